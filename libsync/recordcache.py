"""Parsed-record cache: read every record file once, then only the ones that changed.

Parsing YAML costs about 0.3 ms a record, so 100,000 records take half a minute. Every
record file's parsed data (and whether it passed the record schema) is kept through the
shared ``libsync.filecache`` (``records-v2.json`` in the repository's cache folder, outside
the repository; see that module for when a file counts as changed). The schema fingerprint
is the cache's version, so a schema change drops it. Files to parse are parsed on both cores
when there are many of them.

Used by catalog, site, rotation, interchange and merge: ``load_records(repository)``.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path

from libsync import filecache, schemas, yamlio
from libsync.cachedir import repo_cache_dir
from libsync.problems import ERROR, Problem

CACHE_NAME = "records-v3"
CACHE_FILE = CACHE_NAME + ".json"
PARALLEL_FROM = filecache.PARALLEL_FROM

__all__ = ["LoadedRecords", "load_records", "records_stamp", "cache_dir", "CACHE_FILE", "CACHE_NAME",
           "PARALLEL_FROM"]


@dataclass
class LoadedRecords:
    records: list[dict] = field(default_factory=list)       # valid records, in path order
    paths: list[str] = field(default_factory=list)          # their relative paths
    problems: list[Problem] = field(default_factory=list)   # files skipped, with file and line
    stamp: str = ""                                         # changes whenever any record file changes


def cache_dir(root: Path) -> Path:
    return repo_cache_dir(Path(root))


def _check(relpath: str, loaded: yamlio.Loaded) -> list:
    """[data or None, [problem state]] for one loaded file."""
    problems = [p for p in loaded.problems if p.severity == ERROR]
    if problems:
        return [None, [problems[0].to_state()]]
    data = loaded.data
    if not isinstance(data, dict) or not schemas.fast_validator("record").is_valid(data):
        error = None
        if isinstance(data, dict):
            error = next(iter(sorted(schemas.explainer("record").iter_errors(data), key=lambda e: list(e.path))), None)
        path = list(error.absolute_path) if error is not None else []
        line, col = yamlio.locate(loaded.text, path)
        field_name = "/".join(str(p) for p in path) or "-"
        return [None, [Problem(relpath, line, col, "schema", "catalog.invalid_record",
                               {"path": relpath, "field": field_name}).to_state()]]
    from libsync.validation.gate import place_problems

    misplaced = place_problems(relpath, data, loaded.text)   # never shown as another library's
    if misplaced:
        return [None, [misplaced[0].to_state()]]
    return [data, []]


def _compute(relpath: str, raw: bytes) -> list:
    return _check(relpath, yamlio.load_bytes(raw, relpath))


def _stamp_text(relpaths: list[str], stamps: dict) -> str:
    parts = [CACHE_NAME]   # what counts as a valid record is part of the stamp (indexes built on it follow)
    for rel in relpaths:
        s = stamps.get(rel) or (-1, -1, -1, -1)
        parts.append(f"{rel}\0{s[0]}\0{s[1]}\0{s[2]}\0{s[3]}")
    return hashlib.sha256("\n".join(parts).encode("utf-8")).hexdigest()


def load_records(repository, use_cache: bool = True, workers: int | None = None) -> LoadedRecords:
    """Every record file of ``repository``, parsed and schema-checked, using the cache."""
    from libsync.catalog.merge import quiet_gc

    with quiet_gc():
        return _load_records(repository, use_cache, workers)


def _load_records(repository, use_cache: bool, workers: int | None) -> LoadedRecords:
    root = repository.root
    relpaths = repository.record_files()
    cache = filecache.FileCache(root, CACHE_NAME, schemas.fingerprint(), enabled=use_cache,
                                workers=workers, parallel_from=PARALLEL_FROM)
    values = cache.cached_map(relpaths, _compute)
    result = LoadedRecords()
    for rel in relpaths:
        value = values.get(rel)
        if value is None:   # could not be read: say why, with the file
            value = _check(rel, yamlio.load_file(Path(root) / rel, rel))
        data, problems = value
        if data is not None:
            result.records.append(data)
            result.paths.append(rel)
        result.problems.extend(Problem.from_state(p) for p in problems)
    result.stamp = _stamp_text(relpaths, cache.stamps)
    return result


def records_stamp(repository) -> str:
    """The same stamp as ``load_records`` gives, from the files' stat only (cheap)."""
    root = repository.root
    relpaths = repository.record_files()
    stamps = {}
    for rel in relpaths:
        try:
            st = os.stat(root / rel)
        except OSError:
            continue
        stamps[rel] = (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)
    return _stamp_text(relpaths, stamps)
