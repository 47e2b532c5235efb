"""A corrupt validation cache only costs time (issue #14, item 16): every undecodable entry is a
miss, the files are read again, and the report is the one a run without a cache gives."""

from __future__ import annotations

import json

import pytest

from libsync.cachedir import repo_cache_dir
from libsync.validation import validate
from libsync.validation.cache import FACTS, INDEX

BREAKERS = {
    "entry-not-a-list": lambda files, rel: files.__setitem__(rel, "x"),
    "entry-too-short": lambda files, rel: files.__setitem__(rel, [1, 2]),
    "stamp-garbage": lambda files, rel: files[rel].__setitem__(0, ["a", "b"]),
    "problems-garbage": lambda files, rel: files[rel].__setitem__(2, [["x"]]),
    "problem-params-not-a-dict": lambda files, rel: files[rel].__setitem__(2, [[rel, 1, 1, "r", "k", 5, "error", ""]]),
}


def _report(result):
    return sorted((p.file, p.line, p.rule) for p in result.problems)


@pytest.mark.parametrize("how", sorted(BREAKERS) + ["facts-garbage", "cross-garbage", "written-not-a-number"])
def test_corrupt_cache_entries_are_misses(example_repo, how):
    (example_repo / "records/XS/xs-truyen-de-men.yaml").write_text(
        (example_repo / "records/XS/xs-truyen-de-men.yaml").read_text(encoding="utf-8").replace("isbn: 978-604-2-21015-7", "isbn: 978-604-2-21015-8"),
        encoding="utf-8")
    expected = _report(validate(example_repo, use_cache=False))
    assert expected
    validate(example_repo)
    folder = repo_cache_dir(example_repo)
    index = json.loads((folder / INDEX).read_text(encoding="utf-8"))
    facts = json.loads((folder / FACTS).read_text(encoding="utf-8"))
    rel = "records/XS/xs-truyen-de-men.yaml"
    if how in BREAKERS:
        BREAKERS[how](index["files"], rel)
    elif how == "facts-garbage":
        facts["facts"][rel] = [facts["facts"][rel][0], {"x": 1}]
        index["cross"]["key"] = "stale"
    elif how == "cross-garbage":
        index["cross"]["problems"] = [[1, 2, 3]]
    else:
        index["written"] = "hôm qua"
    (folder / INDEX).write_text(json.dumps(index), encoding="utf-8")
    (folder / FACTS).write_text(json.dumps(facts), encoding="utf-8")
    assert _report(validate(example_repo)) == expected
    assert _report(validate(example_repo)) == expected     # and the cache was mended
