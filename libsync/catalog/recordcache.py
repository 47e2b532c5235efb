"""Parsed-record cache: read every record file once, then only the ones that changed.

Parsing YAML costs about 0.3 ms a record, so 100,000 records take half a minute. The cache
keeps each file's parsed data (and whether it passed the record schema) in
``records-v1.json`` of the repository's cache folder (``libsync.cachedir``: outside the
repository, ``$LIBSYNC_CACHE_DIR`` or ``~/.cache/libsync``) keyed by (path, size, mtime_ns); a file whose size or
modification time changed is read again. The cache is a convenience, never the source of
truth: delete the folder at any time. It is rewritten atomically, and JSON (not pickle) so a
tampered cache cannot run code. Files missing from the cache are parsed on both cores when
there are many of them.
"""

from __future__ import annotations

import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from libsync import schemas, yamlio
from libsync.atomic import write_atomic
from libsync.cachedir import repo_cache_dir
from libsync.problems import ERROR, Problem

CACHE_FILE = "records-v1.json"
PARALLEL_FROM = 2000


@dataclass
class LoadedRecords:
    records: list[dict] = field(default_factory=list)       # valid records, in path order
    paths: list[str] = field(default_factory=list)          # their relative paths
    problems: list[Problem] = field(default_factory=list)   # files skipped, with file and line
    stamp: str = ""                                         # changes whenever any record file changes


def cache_dir(root: Path) -> Path:
    return repo_cache_dir(Path(root))


def _parse(root: str, relpath: str) -> tuple[str, object, list]:
    """Read and check one file: (relpath, data or None, problem state)."""
    loaded = yamlio.load_file(Path(root) / relpath, relpath)
    problems = [p for p in loaded.problems if p.severity == ERROR]
    if problems:
        return relpath, None, [problems[0].to_state()]
    data = loaded.data
    if not isinstance(data, dict) or not schemas.fast_validator("record").is_valid(data):
        error = None
        if isinstance(data, dict):
            error = next(iter(sorted(schemas.explainer("record").iter_errors(data), key=lambda e: list(e.path))), None)
        path = list(error.absolute_path) if error is not None else []
        line, col = yamlio.locate(loaded.text, path)
        field_name = "/".join(str(p) for p in path) or "-"
        return relpath, None, [Problem(relpath, line, col, "schema", "catalog.invalid_record",
                                       {"path": relpath, "field": field_name}).to_state()]
    return relpath, data, []


def _parse_chunk(args: tuple[str, list[str]]) -> list[tuple[str, object, list]]:
    root, relpaths = args
    return [_parse(root, p) for p in relpaths]


def _stat_all(root: Path, relpaths: list[str]) -> dict[str, tuple[int, int]]:
    out = {}
    for rel in relpaths:
        try:
            st = os.stat(root / rel)
        except OSError:
            continue
        out[rel] = (st.st_size, st.st_mtime_ns)
    return out


def load_records(repository, use_cache: bool = True, workers: int | None = None) -> LoadedRecords:
    """Every record file of ``repository``, parsed and schema-checked, using the cache."""
    from libsync.catalog.merge import quiet_gc

    with quiet_gc():
        return _load_records(repository, use_cache, workers)


def _load_records(repository, use_cache: bool, workers: int | None) -> LoadedRecords:
    root = repository.root
    relpaths = repository.record_files()
    stats = _stat_all(root, relpaths)
    cache_path = cache_dir(root) / CACHE_FILE
    fingerprint = schemas.fingerprint()
    entries: dict = {}
    if use_cache and cache_path.is_file():
        try:
            cached = json.loads(cache_path.read_text(encoding="utf-8"))
            if cached.get("schemas") == fingerprint:
                entries = cached.get("entries", {})
        except (OSError, ValueError):
            entries = {}
    fresh: dict[str, list] = {}
    todo = []
    for rel in relpaths:
        st = stats.get(rel)
        old = entries.get(rel)
        if st and old and old[0] == st[0] and old[1] == st[1]:
            fresh[rel] = old
        else:
            todo.append(rel)
    if todo:
        workers = workers or min(2, os.cpu_count() or 1)
        if workers > 1 and len(todo) >= PARALLEL_FROM:
            size = max(200, len(todo) // (workers * 8))
            chunks = [(str(root), todo[i:i + size]) for i in range(0, len(todo), size)]
            with ProcessPoolExecutor(workers) as pool:
                parsed = [item for chunk in pool.map(_parse_chunk, chunks) for item in chunk]
        else:
            parsed = [_parse(str(root), rel) for rel in todo]
        for rel, data, problems in parsed:
            st = stats.get(rel, (-1, -1))
            fresh[rel] = [st[0], st[1], data, problems]
        if use_cache:
            try:
                payload = json.dumps({"schemas": fingerprint, "entries": fresh}, ensure_ascii=False,
                                     separators=(",", ":"))
                cache_path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(cache_path, payload)
            except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
                pass
    result = LoadedRecords()
    stamp_parts = []
    for rel in relpaths:
        size, mtime, data, problems = fresh[rel]
        stamp_parts.append(f"{rel}\0{size}\0{mtime}")
        if data is not None:
            result.records.append(data)
            result.paths.append(rel)
        result.problems.extend(Problem.from_state(p) for p in problems)
    import hashlib

    result.stamp = hashlib.sha256("\n".join(stamp_parts).encode("utf-8")).hexdigest()
    return result


def records_stamp(repository) -> str:
    """The same stamp as ``load_records`` gives, from file sizes and times only (cheap)."""
    root = repository.root
    relpaths = repository.record_files()
    stats = _stat_all(root, relpaths)
    import hashlib

    parts = [f"{rel}\0{stats.get(rel, (-1, -1))[0]}\0{stats.get(rel, (-1, -1))[1]}" for rel in relpaths]
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()
