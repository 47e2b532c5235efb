"""Build the compiled message catalogues (``.mo``) and the template (``.pot``) from the ``.po`` files.

The message catalogue lives in ``libsync/locale/<lang>/LC_MESSAGES/libsync.po`` (gettext; the
message id is a stable key such as ``rotation.minutes.title``, the message string the text in
that language). English (``en``) is the source language: ``libsync.pot`` is made from it, with
the English and Vietnamese texts as comments for a translator. This module is a maintainer's
tool (it needs Babel, from the test extras); libsync itself reads the ``.mo`` files with the
standard library only. It never edits a ``.po`` file.

    python3 -m libsync.i18n.compile           # rebuild every .mo and libsync.pot
    python3 -m libsync.i18n.compile --check   # exit 1 when a .mo or the .pot is out of date
"""

from __future__ import annotations

import io
import string
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent.parent / "locale"
DOMAIN = "libsync"
SOURCE = "en"


def po_path(lang: str) -> Path:
    return LOCALE / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def languages() -> list[str]:
    """Every language with a ``.po`` file, English first."""
    found = sorted(p.parent.parent.name for p in LOCALE.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return sorted(found, key=lambda lang: lang != SOURCE)


def read(lang: str):  # type: ignore[no-untyped-def]  # babel has no type hints
    from babel.messages.pofile import read_po

    with po_path(lang).open("rb") as fh:
        return read_po(fh, locale=lang, domain=DOMAIN)


# Messages whose languages deliberately use different placeholders (the code passes all of them).
OWN_PLACEHOLDERS = {
    "schema.keyword": "Vietnamese names the schema keyword instead of jsonschema's English detail",
    "rotation.doc.date_line": "each language writes a date its own way",
}


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a message (ValueError for a lone brace)."""
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def problems(lang: str) -> list[str]:
    """What would go wrong with one language's catalogue when shown, each naming its line and
    key: a brace the formatter cannot read (the message would fail when shown), a placeholder
    the English message does not have (shown as ``{name}``) or lacks, a fuzzy entry (left out
    of the ``.mo``: English would be shown), and the format errors Babel finds."""
    catalog = read(lang)
    source = catalog if lang == SOURCE else read(SOURCE)
    out = []
    for message, errors in catalog.check():
        for error in errors:
            out.append(f"{po_path(lang)}:{message.lineno}: {message.id}: {error}")
    for message in catalog:
        if not message.id or not isinstance(message.string, str):
            continue
        where = f"{po_path(lang)}:{message.lineno}: {message.id}"
        if message.fuzzy:
            out.append(f"{where}: marked fuzzy (left out until the #, fuzzy line is removed)")
        try:
            found = placeholders(message.string)
        except ValueError as exc:
            out.append(f"{where}: {exc} (write {{{{ or }}}} for a brace)")
            continue
        english = source.get(message.id)
        if lang == SOURCE or english is None or message.id in OWN_PLACEHOLDERS or not message.string:
            continue
        try:
            expected = placeholders(english.string)
        except ValueError:
            continue   # reported with the English catalogue
        if found != expected:
            out.append(f"{where}: placeholders {sorted(found)}, the English message has {sorted(expected)}")
    return out


def mo_bytes(lang: str) -> bytes:
    import datetime as dt

    from babel.messages.mofile import write_mo

    catalog = read(lang)
    # the .po has no creation date, so Babel stamps the current minute into the .mo's header: a
    # .mo built a minute ago would then be "out of date" (--check, test_i18n). A fixed date keeps
    # the same .po giving the same bytes.
    catalog.creation_date = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    return buffer.getvalue()


def pot_text() -> str:
    from babel.messages.catalog import Catalog
    from babel.messages.pofile import write_po

    source = read(SOURCE)
    others = {lang: read(lang) for lang in languages() if lang != SOURCE}
    template = Catalog(domain=DOMAIN, project="libsync", charset="utf-8", fuzzy=False)
    for message in source:
        if not message.id:
            continue
        comments = [f"{SOURCE}: {message.string}"]
        for lang, catalog in others.items():
            other = catalog.get(message.id)
            if other is not None and other.string:
                comments.append(f"{lang}: {other.string}")
        template.add(message.id, "", auto_comments=comments)
    buffer = io.BytesIO()
    write_po(buffer, template, width=0, omit_header=False, no_location=True)
    text = buffer.getvalue().decode("utf-8")
    # Babel stamps the creation date into the header; keep the file stable between builds.
    return "\n".join(line for line in text.splitlines() if not line.startswith('"POT-Creation-Date:')) + "\n"


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    check = "--check" in args
    stale: list[str] = []
    errors: list[str] = []
    for lang in languages():
        errors += problems(lang)
        target = po_path(lang).with_suffix(".mo")
        data = mo_bytes(lang)
        if not target.exists() or target.read_bytes() != data:
            stale.append(str(target))
            if not check:
                target.write_bytes(data)
    pot = LOCALE / f"{DOMAIN}.pot"
    text = pot_text()
    if not pot.exists() or pot.read_text(encoding="utf-8") != text:
        stale.append(str(pot))
        if not check:
            pot.write_text(text, encoding="utf-8")
    for line in errors:
        print(line, file=sys.stderr)
    if check and stale:
        print("out of date (run `python3 -m libsync.i18n.compile`): " + ", ".join(stale), file=sys.stderr)
        return 1
    for path in stale:
        print(f"wrote {path}")
    return 1 if errors else 0


if __name__ == "__main__":
    raise SystemExit(main())
