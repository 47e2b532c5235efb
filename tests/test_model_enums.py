"""The data model's enumerations come from schema/ and are written down nowhere else.

``libsync.model.enums`` reads them from the JSON Schemas; this test reads the same JSON
files itself (not through libsync) and checks every enum, and then looks through the source
(Python by its syntax tree, the site's scripts by text) for a hand-typed list that repeats
three or more values of one enum: such a list is how a status added to the schema ends up
known in one place and unknown in another.
"""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from libsync.model import enums

PROJECT = Path(__file__).resolve().parent.parent
SCHEMA = PROJECT / "schema"


def _schema(kind: str) -> dict:
    return json.loads((SCHEMA / f"{kind}.schema.json").read_text(encoding="utf-8"))


def _at(kind: str, *path: str) -> list:
    node = _schema(kind)
    for step in path:
        node = node[step]
    return node["enum"]


EXPECTED = {
    "RECORD_TYPES": _at("record", "properties", "type"),
    "SHARE_LEVELS": _at("record", "properties", "share"),
    "ACCESS_LEVELS": _at("record", "properties", "access"),
    "ITEM_STATUSES": _at("record", "$defs", "item", "properties", "status"),
    "EXCHANGE_STATUSES": _at("exchange", "properties", "status"),
    "COPY_OUTCOMES": _at("exchange", "properties", "copies", "items", "properties", "outcome"),
    "EXCHANGE_KINDS": _at("exchange", "properties", "kind"),
    "INTAKE_SOURCES": _at("record", "$defs", "item", "properties", "intake", "properties", "source"),
    "SCAN_FORMATS": _at("inventory", "properties", "source", "properties", "format"),
    "LIBRARY_LEVELS": _at("network", "properties", "libraries", "items", "properties", "level"),
    "GROUP_MODES": _at("network", "properties", "groups", "items", "properties", "mode"),
    "SCHOOL_DAYS": _at("network", "properties", "calendar", "properties", "school_days", "items"),
    "WITHDRAWAL_RULES": _at("withdrawal", "properties", "rule"),
    "WITHDRAWAL_STATUSES": _at("withdrawal", "properties", "status"),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_each_enum_is_the_schemas_in_its_order(name):
    value = getattr(enums, name)
    assert isinstance(value, tuple)
    assert list(value) == EXPECTED[name]


def test_every_enum_in_the_schemas_is_named():
    """A new ``enum`` in schema/ gets a name in libsync.model.enums (or is listed here)."""
    found = []

    def walk(node):
        if isinstance(node, dict):
            if "enum" in node:
                found.append(node["enum"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for path in sorted(SCHEMA.glob("*.schema.json")):
        walk(json.loads(path.read_text(encoding="utf-8")))
    named = [list(v) for v in EXPECTED.values()]
    assert all(e in named for e in found), [e for e in found if e not in named]
    # the other schema item the record types appear in: a group's shares
    assert _schema("network")["properties"]["groups"]["items"]["properties"]["shares"]["items"]["enum"] \
        == list(enums.RECORD_TYPES)


def test_groupings_are_made_of_the_enums_values():
    assert set(enums.SHELF_STATUSES) | set(enums.OFF_SHELF_STATUSES) == set(enums.ITEM_STATUSES)
    assert not set(enums.SHELF_STATUSES) & set(enums.OFF_SHELF_STATUSES)
    assert set(enums.GONE_STATUSES) | set(enums.ROTATING_STATUSES) <= set(enums.OFF_SHELF_STATUSES)
    assert enums.EXCHANGE_STEPS + ("cancelled",) == enums.EXCHANGE_STATUSES
    assert set(enums.EXCHANGE_OPEN) | set(enums.EXCHANGE_FINISHED) == set(enums.EXCHANGE_STATUSES)
    assert enums.EXCHANGE_PENDING + ("returned",) == enums.EXCHANGE_OPEN
    assert set(enums.EXCHANGE_OUT) <= set(enums.EXCHANGE_PENDING)
    assert enums.EXCHANGE_CHECKS == ("dispatched", "received", "returned")
    assert set(enums.EXCHANGE_CHECKS) <= set(enums.EXCHANGE_STEPS)
    assert set(enums.CLOSED_OUTCOMES) | set(enums.MISSING_OUTCOMES) | set(enums.NOT_BACK_OUTCOMES) <= set(enums.COPY_OUTCOMES)
    assert enums.SHARE_DEFAULT == _schema("record")["properties"]["share"]["enum"][0] == "internal"
    assert set(enums.SHARED_LEVELS) == set(enums.SHARE_LEVELS) - {"internal"} == set(enums.NAMED_AUDIENCES)
    assert set(enums.AUTHORLESS_TYPES) <= set(enums.RECORD_TYPES)


# Files another change of issue #13 is editing at the same time as this one; each still
# types a list of its own. Remove a line when its file uses libsync.model.enums instead.
NOT_YET = {
    ("libsync/rotation/minutes.py", "EXCHANGE_STATUSES"),
    ("libsync/scaffold.py", "RECORD_TYPES"),
    ("libsync/scaffold.py", "SCHOOL_DAYS"),
    ("libsync/network.py", "SCHOOL_DAYS"),
    ("libsync/inventory/scan.py", "SCAN_FORMATS"),
}


def _retyped() -> set[tuple[str, str, int]]:
    """(file, enum, line) of every list/tuple/set literal holding ≥ 3 values of one enum."""
    out = set()
    for path in sorted((PROJECT / "libsync").rglob("*.py")):
        rel = path.relative_to(PROJECT).as_posix()
        if rel.startswith("libsync/model/"):
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, (ast.Tuple, ast.List, ast.Set)):
                continue
            words = {e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)}
            for name in EXPECTED:
                if len(words & set(EXPECTED[name])) >= 3:
                    out.add((rel, name, node.lineno))
    for path in sorted((PROJECT / "libsync" / "site").rglob("*.js")):
        rel = path.relative_to(PROJECT).as_posix()
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for literal in re.findall(r"\[[^\[\]]*\]", line):
                words = set(re.findall(r"""["']([^"']+)["']""", literal))
                for name in EXPECTED:
                    if len(words & set(EXPECTED[name])) >= 3:
                        out.add((rel, name, n))
    return out


def test_no_module_retypes_an_enum():
    found = _retyped()
    offenders = sorted(f for f in found if (f[0], f[1]) not in NOT_YET)
    assert not offenders, f"use libsync.model.enums instead: {offenders}"
    still = {(f[0], f[1]) for f in found}
    assert NOT_YET <= still, f"no longer retyped, remove from NOT_YET: {sorted(NOT_YET - still)}"


def test_the_site_scripts_get_the_types_from_the_build(example_repo, tmp_path, cli):
    """The web catalogue's scripts index the type facet by the list the build writes."""
    out = tmp_path / "site"
    result = cli("--repo", example_repo, "site", "build", "-o", out, "--audience", "public")
    assert result.exit_code == 0, result.output
    meta = (out / "data" / "meta.js").read_text(encoding="utf-8")
    data = json.loads(meta[len("LSD.meta("):meta.rindex(")")])
    assert data["type_order"] == list(enums.RECORD_TYPES)
    for script in ("search.js", "title.js"):
        assert "meta.type_order" in (out / "assets" / script).read_text(encoding="utf-8")
