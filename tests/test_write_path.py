"""The write path's reading of what it writes agrees with `libsync validate` exactly.

``store.write.render_and_examine`` skips reading the rendered text back when the canonical
document passes every check itself; these tests hold that shortcut to the full reading for
every record of the example network and for documents that fail in each way a document can.
"""

from __future__ import annotations

import copy
import unicodedata
from pathlib import Path

import pytest
import yaml

from libsync.store import write as store_write

PROJECT = Path(__file__).resolve().parent.parent


def example_records() -> list[tuple[str, dict]]:
    out = []
    for path in sorted((PROJECT / "records").rglob("*.yaml")):
        out.append((path.relative_to(PROJECT).as_posix(), yaml.safe_load(path.read_text(encoding="utf-8"))))
    return out


def full_reading(rel: str, raw: bytes):
    errors, facts = store_write._examine_one((rel, raw, False))
    return [(p.rule, p.key, p.line) for p in errors], facts


def test_every_example_record_reads_the_same_both_ways():
    items = example_records()
    assert len(items) > 150
    texts, examined = store_write.render_and_examine(items)
    for rel, _ in items:
        errors, facts = examined[rel]
        assert ([(p.rule, p.key, p.line) for p in errors], facts) == full_reading(rel, texts[rel]), rel


def _broken(kind: str, record: dict) -> dict:
    record = copy.deepcopy(record)
    if kind == "schema":
        record["year"] = "hai nghìn"
    elif kind == "rule":
        record["isbn"] = "978-604-0-98544-7"          # a wrong check digit
    elif kind == "place":
        record["library"] = "HD"                        # not the folder it is in
    elif kind == "control":
        record["title"] = "Âm\x07nhạc"
    elif kind == "nfd":
        record["title"] = unicodedata.normalize("NFD", "Âm nhạc 6")
    elif kind == "unknown-field":
        record["tieu_de"] = "x"
    elif kind == "date":
        record["created"] = "2024-02-30"
    elif kind == "share":
        record["share"] = "public"
        record.pop("call_number", None)
    elif kind == "non-text-key":
        record["notes"] = {1: "a"}
    return record


@pytest.mark.parametrize("kind", ["schema", "rule", "place", "control", "nfd", "unknown-field", "date", "share",
                                  "non-text-key"])
def test_a_document_that_fails_reads_the_same_both_ways(kind):
    rel, record = next((r, d) for r, d in example_records() if r == "records/XS/xs-am-nhac-6-kntt.yaml")
    broken = _broken(kind, record)
    try:
        texts, examined = store_write.render_and_examine([(rel, broken)])
    except yaml.YAMLError:
        pytest.fail("the writer must render whatever it is given")
    errors, facts = examined[rel]
    assert ([(p.rule, p.key, p.line) for p in errors], facts) == full_reading(rel, texts[rel])
    if kind not in ("nfd",):
        assert errors, kind    # each of these is an error validate reports
