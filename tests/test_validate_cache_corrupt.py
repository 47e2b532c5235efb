"""A corrupt cache only costs time (issue #14, item 16; the store's cache since #13): a tampered
examination row or result file is a miss, the files are read again, and the report is the one a
run without a cache gives."""

from __future__ import annotations

import json
import sqlite3

import pytest

from libsync.cachedir import cache_root, repo_cache_dir
from libsync.validation import validate
from libsync.validation.engine import RESULT_CACHE

REL = "records/XS/xs-truyen-de-men.yaml"
ROW_BREAKERS = {
    "problems-not-json": "UPDATE exam SET problems = x'ff00' WHERE path = ?",
    "problems-not-a-list": "UPDATE exam SET problems = '{\"a\": 1}' WHERE path = ?",
    "problem-state-short": "UPDATE exam SET problems = '[[1, 2]]' WHERE path = ?",
    "params-not-a-dict": "UPDATE exam SET problems = '[[\"x\", 1, 1, \"r\", \"k\", 5, \"error\", \"\"]]' WHERE path = ?",
    "facts-garbage": "UPDATE exam SET facts = '[1, 2, 3]' WHERE path = ?",
    "data-not-a-mapping": "UPDATE exam SET data = '\"chuỗi\"' WHERE path = ?",
}


def _report(result):
    return sorted((p.file, p.line, p.rule) for p in result.problems)


def _break_isbn(repo):
    path = repo / REL
    path.write_text(path.read_text(encoding="utf-8").replace("isbn: 978-604-2-21015-7", "isbn: 978-604-2-21015-8"),
                    encoding="utf-8")


@pytest.mark.parametrize("how", sorted(ROW_BREAKERS))
def test_tampered_cache_rows_are_misses(example_repo, how):
    _break_isbn(example_repo)
    expected = _report(validate(example_repo, use_cache=False))
    assert expected
    validate(example_repo)
    (repo_cache_dir(example_repo) / RESULT_CACHE).unlink()    # or the whole report would be reused
    for db in (cache_root() / "store").glob("exam-*.sqlite"):
        with sqlite3.connect(db) as con:
            assert con.execute(ROW_BREAKERS[how], (REL,)).rowcount == 1
    assert _report(validate(example_repo)) == expected


@pytest.mark.parametrize("garbage", ["{không phải JSON", json.dumps({"key": "x", "problems": [[1]], "checked": 1}),
                                     json.dumps([1, 2, 3])])
def test_a_tampered_result_file_is_a_miss(example_repo, garbage):
    _break_isbn(example_repo)
    expected = _report(validate(example_repo, use_cache=False))
    validate(example_repo)
    path = repo_cache_dir(example_repo) / RESULT_CACHE
    stored = json.loads(path.read_text(encoding="utf-8"))
    path.write_text(garbage, encoding="utf-8")
    assert _report(validate(example_repo)) == expected
    # a result file with the right key but forged problems is only trusted in its shape: a valid
    # forged state would be shown, which is why the file lives outside the repository
    assert json.loads(path.read_text(encoding="utf-8"))["key"] == stored["key"]
