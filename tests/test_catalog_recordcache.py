"""The parsed-record cache: reused when files are unchanged, re-read when they change, harmless when broken."""

from __future__ import annotations

import os

from libsync.recordcache import CACHE_FILE, cache_dir, load_records
from libsync.repository import Repository


def test_cache_follows_file_changes_and_survives_corruption(example_repo):
    repo = Repository(example_repo)
    first = load_records(repo)
    assert len(first.records) == len(repo.record_files()) and not first.problems
    cache = cache_dir(repo.root) / CACHE_FILE
    assert cache.is_file()
    assert not str(cache).startswith(str(repo.root))  # the cache never dirties the repository

    path = repo.root / first.paths[0]
    text = path.read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("title:"))
    path.write_text(text.replace(title, "title: Tên đã sửa — Đổi mới"), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 5_000_000))
    second = load_records(repo)
    assert second.records[0]["title"] == "Tên đã sửa — Đổi mới"
    assert second.stamp != first.stamp

    cache.write_text("{không phải JSON", encoding="utf-8")
    third = load_records(repo)
    assert third.records == second.records and third.stamp == second.stamp


def test_parallel_cold_load_matches_serial(example_repo, monkeypatch):
    import libsync.recordcache as rc

    repo = Repository(example_repo)
    serial = load_records(repo, use_cache=False, workers=1)
    monkeypatch.setattr(rc, "PARALLEL_FROM", 10)
    parallel = load_records(repo, use_cache=False, workers=2)
    assert parallel.records == serial.records and parallel.paths == serial.paths
