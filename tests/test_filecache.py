"""libsync.filecache: parse each file once, then only what changed — and never serve a stale value."""

from __future__ import annotations

import json
import os
import time
import unicodedata

import pytest

from libsync import filecache, yamlio
from libsync.filecache import FileCache


def title_of(relpath: str, raw: bytes) -> object:
    """A compute like the real ones: strict YAML, a small JSON projection."""
    loaded = yamlio.load_bytes(raw, relpath)
    return loaded.data.get("title") if loaded.ok and isinstance(loaded.data, dict) else None


@pytest.fixture()
def tree(tmp_path, monkeypatch):
    monkeypatch.setenv("LIBSYNC_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    (root / "records" / "XS").mkdir(parents=True)
    titles = {"a": "Tiếng Việt 6", "b": "Ngữ văn 7", "c": "Lịch sử và Địa lí 8"}
    for name, title in titles.items():
        (root / "records" / "XS" / f"{name}.yaml").write_text(f"id: {name}\ntitle: {title}\n", encoding="utf-8")
    rels = [f"records/XS/{name}.yaml" for name in titles]
    return root, rels


def _cache(root, version=1, **kw) -> FileCache:
    return FileCache(root, "test-titles", version, **kw)


def _age(path, seconds=3600):
    """Give a file old times (mtime by utime; its ctime stays now — see the tests using it)."""
    old = time.time_ns() - seconds * 1_000_000_000
    os.utime(path, ns=(old, old))


def test_first_run_parses_second_serves_and_stores_json(tree):
    root, rels = tree
    cache = _cache(root)
    first = cache.cached_map(rels, title_of)
    assert first == {rels[0]: "Tiếng Việt 6", rels[1]: "Ngữ văn 7", rels[2]: "Lịch sử và Địa lí 8"}
    assert cache.stats["parsed"] == 3 and cache.stats["written"]
    stored = json.loads(cache.path.read_text(encoding="utf-8"))   # JSON, never pickle
    assert stored["version"] == 1 and set(stored["entries"]) == set(rels)
    size, mtime, ctime, ino, digest = stored["entries"][rels[0]][0]
    assert size == (root / rels[0]).stat().st_size and len(digest) == 32
    assert not str(cache.path).startswith(str(root))              # the cache never dirties the repository

    again = _cache(root)
    assert again.cached_map(rels, title_of) == first
    assert again.stats["parsed"] == 0 and again.stats["cached"] == 3


def test_size_change_is_parsed_again(tree):
    root, rels = tree
    _cache(root).cached_map(rels, title_of)
    (root / rels[1]).write_text("id: b\ntitle: Ngữ văn 7 — tập hai\n", encoding="utf-8")
    cache = _cache(root)
    assert cache.cached_map(rels, title_of)[rels[1]] == "Ngữ văn 7 — tập hai"
    assert cache.stats["parsed"] == 1 and cache.stats["cached"] == 2


def test_same_size_edit_with_restored_mtime_is_seen_through_ctime(tree, monkeypatch):
    # no racy window here, so only the stat can tell: mtime and size are the same, ctime is not
    monkeypatch.setattr(filecache, "RACY_NS", 0)
    root, rels = tree
    path = root / rels[0]
    _age(path)
    cache = _cache(root)
    cache.cached_map(rels, title_of)
    warm = _cache(root)
    warm.cached_map(rels, title_of)
    assert warm.stats["parsed"] == 0 and warm.stats["hashed"] == 0   # the stat alone proved them unchanged

    before = path.stat()
    time.sleep(0.02)   # let the clock move past the cache's ctime
    edited = "id: a\ntitle: Tiếng Việt 9\n"
    assert len(edited.encode()) == before.st_size
    path.write_text(edited, encoding="utf-8")
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert after.st_ctime_ns != before.st_ctime_ns

    third = _cache(root)
    assert third.cached_map(rels, title_of)[rels[0]] == "Tiếng Việt 9"
    assert third.stats["parsed"] == 1


def test_racy_entry_is_hashed_and_an_edit_in_the_same_tick_is_seen(tree):
    root, rels = tree
    path = root / rels[2]
    old_raw = path.read_bytes()
    new_raw = "id: c\ntitle: Lịch sử và Địa lí 9\n".encode()
    assert len(new_raw) == len(old_raw)
    path.write_bytes(new_raw)
    st = path.stat()
    # the cache stamped this very stat but saw the old bytes (the edit landed in the same clock tick)
    entry = filecache.stamp(st, filecache.digest(old_raw))
    assert filecache.fresh(entry, st, time.time_ns(), path.read_bytes) is None
    # outside the window the stat alone is trusted: that is exactly why the window exists
    later = max(st.st_mtime_ns, st.st_ctime_ns) + filecache.RACY_NS + 1
    assert filecache.fresh(entry, st, later, path.read_bytes) is entry
    # same bytes within the window: still fresh, after reading them
    good = filecache.stamp(st, filecache.digest(new_raw))
    assert filecache.fresh(good, st, time.time_ns(), path.read_bytes) == good

    # end to end: files just written are racy, so a warm run hashes (but does not parse) them
    cache = _cache(root)
    cache.cached_map(rels, title_of)
    warm = _cache(root)
    assert warm.cached_map(rels, title_of)[rels[2]] == "Lịch sử và Địa lí 9"
    assert warm.stats["parsed"] == 0 and warm.stats["hashed"] == 3


def test_touch_without_change_is_hashed_not_parsed_and_restamped(tree, monkeypatch):
    monkeypatch.setattr(filecache, "RACY_NS", 0)
    root, rels = tree
    _cache(root).cached_map(rels, title_of)
    time.sleep(0.02)
    os.utime(root / rels[0])   # new times, same bytes
    cache = _cache(root)
    assert cache.cached_map(rels, title_of)[rels[0]] == "Tiếng Việt 6"
    assert cache.stats["parsed"] == 0 and cache.stats["hashed"] == 1 and cache.stats["written"]
    again = _cache(root)
    again.cached_map(rels, title_of)
    assert again.stats["hashed"] == 0 and not again.stats["written"]   # new stamp kept, nothing to write


@pytest.mark.parametrize("garbage", ["{không phải JSON", "[1, 2]", '{"version": 1, "written": 0, "entries": [1]}', ""])
def test_corrupt_cache_file_is_ignored_and_replaced(tree, garbage):
    root, rels = tree
    cache = _cache(root)
    first = cache.cached_map(rels, title_of)
    cache.path.write_text(garbage, encoding="utf-8")
    again = _cache(root)
    assert again.cached_map(rels, title_of) == first
    assert again.stats["parsed"] == 3
    assert json.loads(again.path.read_text(encoding="utf-8"))["version"] == 1


def test_corrupt_entry_is_parsed_again(tree):
    root, rels = tree
    cache = _cache(root)
    cache.cached_map(rels, title_of)
    blob = json.loads(cache.path.read_text(encoding="utf-8"))
    blob["entries"][rels[0]] = ["không phải stamp", "Sai"]
    blob["entries"][rels[1]] = "rác"
    cache.path.write_text(json.dumps(blob), encoding="utf-8")
    again = _cache(root)
    assert again.cached_map(rels, title_of)[rels[0]] == "Tiếng Việt 6"
    assert again.stats["parsed"] == 2


def test_version_change_drops_everything(tree):
    root, rels = tree
    _cache(root, version="schemas-1").cached_map(rels, title_of)
    same = _cache(root, version="schemas-1")
    same.cached_map(rels, title_of)
    assert same.stats["parsed"] == 0
    other = _cache(root, version="schemas-2")
    other.cached_map(rels, title_of)
    assert other.stats["parsed"] == 3
    assert json.loads(other.path.read_text(encoding="utf-8"))["version"] == "schemas-2"


def test_deleted_and_unreadable_files_are_left_out_and_dropped(tree):
    root, rels = tree
    _cache(root).cached_map(rels, title_of)
    (root / rels[1]).unlink()
    cache = _cache(root)
    got = cache.cached_map(rels, title_of)
    assert rels[1] not in got and set(got) == {rels[0], rels[2]}
    assert rels[1] not in json.loads(cache.path.read_text(encoding="utf-8"))["entries"]
    # a file no longer asked for is dropped too, unless the caller keeps it
    cache.cached_map([rels[0]], title_of, keep={rels[2]})
    assert set(json.loads(cache.path.read_text(encoding="utf-8"))["entries"]) == {rels[0], rels[2]}
    cache.cached_map([rels[0]], title_of)
    assert set(json.loads(cache.path.read_text(encoding="utf-8"))["entries"]) == {rels[0]}


def test_disabled_cache_reads_and_writes_nothing(tree):
    root, rels = tree
    cache = _cache(root, enabled=False)
    assert cache.cached_map(rels, title_of)[rels[0]] == "Tiếng Việt 6"
    assert not cache.path.exists() and cache.stats["parsed"] == 3


def test_nfd_file_names_and_content_round_trip(tree):
    root, rels = tree
    name = unicodedata.normalize("NFD", "records/XS/tiếng-anh.yaml")
    (root / name).write_text("id: ta\ntitle: " + unicodedata.normalize("NFD", "Tiếng Anh 6") + "\n", encoding="utf-8")
    cache = _cache(root)
    got = cache.cached_map([*rels, name], title_of)
    assert unicodedata.normalize("NFC", got[name]) == "Tiếng Anh 6"
    again = _cache(root)
    assert again.cached_map([*rels, name], title_of) == got and again.stats["parsed"] == 0


def test_parallel_equals_serial(tree, tmp_path, monkeypatch):
    root, rels = tree
    for i in range(40):
        rel = f"records/XS/s{i:03d}.yaml"
        (root / rel).write_text(f"id: s{i}\ntitle: Sách số {i} — Đông Triều\n", encoding="utf-8")
        rels.append(rel)
    serial = _cache(root, workers=1, enabled=False).cached_map(rels, title_of)
    parallel_cache = _cache(root, workers=2, parallel_from=5)
    parallel = parallel_cache.cached_map(rels, title_of)
    assert parallel == serial and list(parallel) == list(serial) and len(parallel) == 43
    assert parallel_cache.stats["parsed"] == 43
    warm = _cache(root, workers=2, parallel_from=5)
    assert warm.cached_map(rels, title_of) == serial and warm.stats["parsed"] == 0
