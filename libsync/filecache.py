"""Parse each file once, then only what changed: the one file cache libsync uses.

Several commands need something computed from every data file (the parsed record, a
compact row of its copies, a manifest's summary …). Parsing YAML is the slow part, so the
result for each file is kept in ``<name>.json`` in the repository's cache folder
(``libsync.cachedir``: outside the repository) together with a *stamp* of the file it came
from, and only files whose stamp no longer fits are computed again.

The freshness rule (``fresh``) lives here and nowhere else; the validation cache uses it too:

* the stamp is ``[size, mtime_ns, ctime_ns, inode, blake2b of the bytes]``;
* a different size → changed;
* same size and the same mtime, ctime and inode, and both times older than the moment the
  cache was written by more than ``RACY_NS`` → unchanged, without reading the file (ctime
  matters: ``os.utime`` can put an old mtime back, but not an old ctime);
* anything else (times moved, or "racy": so close to the cache's write that an edit in the
  same clock tick could hide) → the bytes are hashed and compared with the stored digest,
  as Git does for its index. Same bytes → unchanged, and the entry gets the new stamp.

The cache is a convenience, never the source of truth: a missing, unreadable, corrupt or
other-version cache file is simply ignored, and deleting the folder at any time is safe. It is
JSON (never pickle: a tampered cache cannot run code), written atomically, and only when
something in it changed. A ``version`` (for records: the schema fingerprint) drops it all
when it changes.

Usage::

    cache = FileCache(repo.root, "records-v2", schemas.fingerprint())
    values = cache.cached_map(relpaths, compute)   # {relpath: compute(relpath, raw bytes)}

``compute`` must be a module-level function (it may run in another process) returning
plain JSON data. Files that cannot be read are left out of the result (callers report them
their own way); files that were not asked for are dropped from the cache.
"""

from __future__ import annotations

import hashlib
import os
import time
from collections.abc import Callable, Sequence
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Any

import orjson

from libsync import parallel
from libsync.atomic import write_atomic
from libsync.cachedir import repo_cache_dir

RACY_NS = 2_000_000_000       # times this close to the cache's write are not trusted
PARALLEL_FROM = 2000          # files to compute; below this one process is faster
WORKERS = min(2, os.cpu_count() or 1)

Stamp = list[int | str]                # [size, mtime_ns, ctime_ns, inode, digest]
Compute = Callable[[str, bytes], Any]  # (relpath, raw bytes) → plain JSON data
Computed = tuple[str, Stamp | None, Any]   # (relpath, stamp or None when unreadable, value)


def load_json(path: Path) -> object:
    """A cache file's content, or ``None`` when it is missing or not valid JSON (orjson: the
    caches of 30,000 files are read and written several times faster than with json)."""
    try:
        with open(path, "rb") as fh:
            return orjson.loads(fh.read())
    except (OSError, ValueError):
        return None


def dump_json(path: Path, value: object) -> bool:
    """Write a cache file atomically; a cache that cannot be written only costs time."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(path, orjson.dumps(value))
    except Exception:  # never fail a command because of its cache
        return False
    return True


def digest(data: bytes) -> str:
    """The content hash kept in stamps."""
    return hashlib.blake2b(data, digest_size=16).hexdigest()


def stamp(st: os.stat_result, content_digest: str) -> Stamp:
    """The stamp of a file: ``[size, mtime_ns, ctime_ns, inode, digest]``."""
    return [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino, content_digest]


def fresh(entry_stamp: Sequence[Any], st: os.stat_result, written_ns: int,
          read: Callable[[], bytes]) -> Sequence[Any] | None:
    """Is a cached entry with ``entry_stamp`` still right for the file with stat ``st``?

    ``None`` → no (compute again). Otherwise the stamp to keep: ``entry_stamp`` itself when
    the stat alone proves the file unchanged, or a new stamp when the bytes had to be read
    (``read()``) and hashed and were the same. ``read`` may raise ``OSError`` (→ ``None``).
    ``entry_stamp`` comes from a cache file: anything that is not a stamp means "no".
    """
    try:
        size, mtime, ctime, ino, known = entry_stamp
    except (TypeError, ValueError):
        return None
    if st.st_size != size:
        return None
    limit = written_ns - RACY_NS
    if (st.st_mtime_ns == mtime and st.st_ctime_ns == ctime and st.st_ino == ino
            and mtime < limit and ctime < limit):
        return entry_stamp
    try:
        now = digest(read())
    except OSError:
        return None
    if now != known:
        return None
    new = stamp(st, now)
    return entry_stamp if new == list(entry_stamp) else new


def _compute_one(compute: Compute, root: str, relpath: str) -> Computed:
    """(relpath, stamp, value) — ``None`` for a file that cannot be read."""
    path = os.path.join(root, relpath)
    try:
        st = os.stat(path)            # before reading: a later edit moves the stat on
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return relpath, None, None
    return relpath, stamp(st, digest(raw)), compute(relpath, raw)


def _compute_chunk(args: tuple[Compute, str, list[str]]) -> list[Computed]:
    compute, root, relpaths = args
    return [_compute_one(compute, root, rel) for rel in relpaths]


class FileCache:
    """``{relpath: [stamp, value]}`` in ``<repo cache folder>/<name>.json``.

    ``stats`` after ``cached_map``: files asked, ``parsed`` (computed now), ``cached``
    (served from the cache), ``hashed`` (of the cached ones, read and hashed because their
    stat alone could not prove them unchanged), ``written`` (whether the file was rewritten).
    """

    def __init__(self, root: str | os.PathLike[str], name: str, version: object = 1, *, enabled: bool = True,
                 workers: int | None = None, parallel_from: int | None = None) -> None:
        self.root = Path(root)
        self.name = name
        self.version = version
        self.enabled = enabled
        self.workers = WORKERS if workers is None else workers
        self.parallel_from = PARALLEL_FROM if parallel_from is None else parallel_from
        self.path = repo_cache_dir(self.root) / f"{name}.json"
        self.stats: dict[str, int] = {}
        self.stamps: dict[str, Sequence[Any]] = {}   # after cached_map: the stamp of every file served

    # --- storage ---------------------------------------------------------------------------
    def read(self) -> tuple[dict[str, Any], int]:
        """(entries, written_ns) as stored; empty when absent, corrupt or of another version."""
        if not self.enabled:
            return {}, 0
        blob = load_json(self.path)
        if not isinstance(blob, dict) or blob.get("version") != self.version:
            return {}, 0
        entries, written = blob.get("entries"), blob.get("written")
        if not isinstance(entries, dict) or not isinstance(written, int):
            return {}, 0
        return entries, written

    def write(self, entries: dict[str, Any]) -> bool:
        """Store ``entries`` atomically; a cache that cannot be written only costs time."""
        if not self.enabled:
            return False
        return dump_json(self.path, {"version": self.version, "written": time.time_ns(), "entries": entries})

    # --- the one operation -----------------------------------------------------------------
    def cached_map(self, relpaths: list[str], compute: Compute,
                   keep: set[str] | frozenset[str] = frozenset()) -> dict[str, Any]:
        """``{relpath: compute(relpath, raw_bytes)}`` for every readable file of ``relpaths``,
        computing only files that are new or changed (on ``workers`` processes when there are
        at least ``parallel_from`` of them). Cache entries of files in ``keep`` (not asked for
        this time, but still wanted later) are carried over unchecked; all others not asked
        for are dropped."""
        root = str(self.root)
        entries, written = self.read()
        out: dict[str, Any] = {}
        new_entries: dict[str, Any] = {}
        todo: list[str] = []
        hashed = 0
        changed = False
        for rel in relpaths:
            entry = entries.get(rel)
            if not (isinstance(entry, list) and len(entry) == 2):
                todo.append(rel)
                continue
            full = os.path.join(root, rel)
            try:
                st = os.stat(full)
            except OSError:
                todo.append(rel)
                continue
            reads: list[int] = []

            def read(full: str = full, reads: list[int] = reads) -> bytes:
                reads.append(1)
                with open(full, "rb") as fh:
                    return fh.read()

            kept = fresh(entry[0], st, written, read)
            hashed += bool(reads)
            if kept is None:
                todo.append(rel)
                continue
            if kept is not entry[0]:
                changed = True
                entry = [kept, entry[1]]
            out[rel] = entry[1]
            new_entries[rel] = entry
        computed = self._compute(compute, todo) if todo else []
        for rel, st_stamp, value in computed:
            if st_stamp is None:
                continue
            out[rel] = value
            new_entries[rel] = [st_stamp, value]
            changed = True
        for rel in keep:
            if rel not in new_entries and rel in entries:
                new_entries[rel] = entries[rel]
        if len(new_entries) != len(entries):
            changed = True
        wrote = changed and self.write(new_entries)
        self.stamps = {rel: entry[0] for rel, entry in new_entries.items() if rel in out}
        self.stats = {"files": len(relpaths), "parsed": len(todo), "cached": len(relpaths) - len(todo),
                      "hashed": hashed, "written": bool(wrote)}
        return out

    def _compute(self, compute: Compute, todo: list[str]) -> list[Computed]:
        root = str(self.root)
        if self.workers > 1 and len(todo) >= self.parallel_from:
            size = max(50, len(todo) // (self.workers * 8))
            chunks = [(compute, root, todo[i:i + size]) for i in range(0, len(todo), size)]
            try:
                with parallel.executor(self.workers) as pool:
                    return [item for chunk in pool.map(_compute_chunk, chunks) for item in chunk]
            except (OSError, BrokenProcessPool):
                pass  # no pool to be had here: one core it is
        return [_compute_one(compute, root, rel) for rel in todo]
