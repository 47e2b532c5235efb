"""The message catalogue is gettext: complete in every language, compiled, and used as it is built.

Keys named literally in the code are found with Babel's extractor; keys built at run time
(``t(f"inventory.status.{code}")``) are checked by the strict mode the whole test suite runs in
(conftest sets ``LIBSYNC_STRICT_I18N=1``: a key missing from any language raises), and the
families whose values come from the schema's enumerations are checked here value by value.
"""

from __future__ import annotations

import ast
import gettext
import os
import re
import string
import subprocess
import sys
from pathlib import Path

import pytest

from libsync import i18n
from libsync.i18n import compile as po

PROJECT = Path(__file__).resolve().parent.parent
PACKAGE = PROJECT / "libsync"
KEYWORDS = ("t", "LibsyncError", "msg", "problem")
# Messages whose languages deliberately use different placeholders (the code passes all of them).
OWN_PLACEHOLDERS = {
    "schema.keyword": "Vietnamese names the schema keyword instead of jsonschema's English detail",
    "rotation.doc.date_line": "each language writes a date its own way",
}


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def test_the_suite_runs_in_strict_mode():
    assert os.environ.get("LIBSYNC_STRICT_I18N") == "1" and i18n.STRICT
    with pytest.raises(i18n.MissingMessage):
        i18n.t("no.such.message.anywhere")


def test_languages_are_the_folders_of_the_locale_directory():
    assert i18n.LANGUAGES[:2] == ("vi", "en")
    assert set(i18n.LANGUAGES) == set(po.languages())


def test_compiled_catalogues_are_up_to_date():
    """The committed .mo files and libsync.pot are what `python3 -m libsync.i18n.compile` makes."""
    run = subprocess.run([sys.executable, "-m", "libsync.i18n.compile", "--check"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr


@pytest.mark.parametrize("lang", po.languages())
def test_every_language_has_every_message_with_the_same_placeholders(lang):
    source = po.read(po.SOURCE)
    catalog = po.read(lang)
    assert not po.problems(lang)
    source_ids = {m.id for m in source if m.id}
    ids = {m.id for m in catalog if m.id}
    assert ids == source_ids, (sorted(source_ids - ids)[:20], sorted(ids - source_ids)[:20])
    for message in catalog:
        if not message.id:
            continue
        assert message.string and message.string.strip(), f"{lang}: {message.id} is empty"
        assert not message.fuzzy, f"{lang}: {message.id} is fuzzy"
        english = source.get(message.id).string
        if message.id not in OWN_PLACEHOLDERS:
            assert _placeholders(message.string) == _placeholders(english), f"{lang}: {message.id}"


def test_the_mo_files_read_back_as_the_po_files_say():
    for lang in po.languages():
        with (po.po_path(lang).with_suffix(".mo")).open("rb") as fh:
            compiled = gettext.GNUTranslations(fh)._catalog  # type: ignore[attr-defined]
        for message in po.read(lang):
            if message.id:
                assert compiled[message.id] == message.string


def _literal_keys() -> dict[str, str]:
    """Every message key written literally in the code, with one place that names it."""
    from babel.messages.extract import extract_from_dir

    found: dict[str, str] = {}
    keywords = {k: None for k in KEYWORDS}
    for filename, lineno, message, _comments, _context in extract_from_dir(
        str(PACKAGE), method_map=[("**.py", "python")], keywords=keywords, comment_tags=()
    ):
        if not (isinstance(message, str) and re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", message)):
            continue
        # Babel joins the strings of `t("a" if x else "b")` into one; those are taken from the AST below
        source = (PACKAGE / filename).read_text(encoding="utf-8")
        if f'"{message}"' in source or f"'{message}'" in source:
            found.setdefault(message, f"{filename}:{lineno}")
    # keys chosen by a conditional expression: t("a" if x else "b")
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in KEYWORDS and node.args:
                for sub in ast.walk(node.args[0]):
                    if (isinstance(sub, ast.Constant) and isinstance(sub.value, str) and "." in sub.value
                            and " " not in sub.value and not sub.value.endswith(("_", "."))):
                        found.setdefault(sub.value, f"{path.relative_to(PROJECT)}:{node.lineno}")
    return found


def test_every_key_named_in_the_code_exists_in_every_language():
    keys = _literal_keys()
    assert len(keys) > 900
    for lang in i18n.LANGUAGES:
        known = i18n.messages(lang)
        missing = sorted(f"{where}: {key}" for key, where in keys.items() if key not in known and not key.endswith("."))
        assert not missing, f"{lang}: {missing[:20]}"


FILE_SUFFIXES = {"xml", "css", "js", "yaml", "yml", "json", "html", "md", "txt", "po", "mo", "csv", "xlsx", "docx"}


def test_every_string_in_the_code_shaped_like_a_key_of_a_known_section_exists():
    """A key kept in a variable or table (``reason_key = "rotation.x"``) is checked too."""
    known = i18n.messages(i18n.SOURCE)
    sections = {key.split(".")[0] for key in known}
    missing = []
    for path in PACKAGE.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Constant) and isinstance(node.value, str)):
                continue
            value = node.value
            if not re.fullmatch(r"[a-z][a-z0-9_]*(\.[a-z0-9_]+)+", value) or value.endswith("_"):
                continue
            if value.split(".")[0] in sections and value.rsplit(".", 1)[1] not in FILE_SUFFIXES and value not in known:
                missing.append(f"{path.relative_to(PROJECT)}:{node.lineno}: {value}")
    assert not missing, missing


def _families() -> dict[str, list[str]]:
    """Families of keys built at run time from a value the schema enumerates."""
    from libsync.model import enums

    families = {
        "inventory.status.": list(enums.ITEM_STATUSES),
        "site.type.": list(enums.RECORD_TYPES),
        "catalog.access.": list(enums.ACCESS_LEVELS),
        "site.access.": list(enums.ACCESS_LEVELS),
        "rotation.status.": list(enums.EXCHANGE_STATUSES),
        "collection.source.": list(enums.INTAKE_SOURCES),
        "collection.reason.": list(enums.WITHDRAWAL_RULES),
    }
    return families


def test_run_time_families_cover_every_value():
    for prefix, values in _families().items():
        assert values, prefix
        for lang in i18n.LANGUAGES:
            known = i18n.messages(lang)
            missing = [prefix + v for v in values if prefix + v not in known]
            assert not missing, f"{lang}: {missing}"


def test_a_key_missing_from_one_language_falls_back_to_english_outside_strict_mode(tmp_path):
    """Without strict mode a user sees English rather than a key when a translation is absent."""
    code = (
        "import libsync.i18n as i; "
        "i.messages('vi').pop('yes'); "
        "print(i.t('yes', 'vi')); print(i.t('no.such.key', 'vi'))"
    )
    env = {k: v for k, v in os.environ.items() if k != "LIBSYNC_STRICT_I18N"}
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert run.returncode == 0, run.stderr
    assert run.stdout.splitlines() == ["yes", "no.such.key"]
