"""Reading what the rotation commands need, as little and as fast as possible.

* ``all_records(repo)`` — every record, through the shared parsed-record cache
  (``libsync.recordcache.load_records``; warm, a JSON read instead of a YAML parse
  per file). That cache leaves out files that fail the record schema; the rotation commands
  have always used those and stopped only on a file that cannot be read, so this thin
  adapter reads the left-out files itself: unreadable → ``LibsyncError`` with file and line
  (the message of ``Repository.load``), readable → kept. Used for read-only decisions
  (which copies a batch holds, whether a scanned barcode exists).
* ``read_records(repo, relpaths)`` — the named record files parsed from disk (never from a
  cache: these are the records a lifecycle step rewrites, and a cache keyed by size and
  modification time could hand back a same-size edit made within the file system's clock
  tick — writing that back would silently undo it). On both cores when there are many.
* ``render_many(repo, items)`` — canonical YAML for many records, on both cores.
* ``exchange_files(repo)`` / ``exchange_summaries(repo)`` / ``active_exchanges(repo)`` —
  the manifests only (``exchanges/`` is walked, not every record), and for each manifest
  its id, status and the copies still out. Summaries are kept in the shared file cache
  (``libsync.filecache``: size, times, inode and a content hash, hashed again whenever the
  stat alone cannot prove a manifest unchanged), so the "copy already in another active
  exchange" check parses no YAML for unchanged manifests.
"""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from libsync import parallel, schemas, yamlio
from libsync.validation import gate
from libsync.filecache import FileCache

PARALLEL_FROM = 300          # files; below this a process pool costs more than it saves
WORKERS = min(2, os.cpu_count() or 1)
SUMMARY_CACHE = "rotation-exchanges-v2"
CLOSED_OUTCOMES = ("returned", "lost")


# --- both cores ----------------------------------------------------------------------------------

def _map_parallel(func, items: list, chunk: int | None = None) -> list | None:
    """``[func(x) for x in items]`` on ``WORKERS`` processes, in order; ``None`` when a pool
    cannot be had here (the caller then works on one core)."""
    if WORKERS < 2 or len(items) < PARALLEL_FROM:
        return None
    chunk = chunk or max(50, len(items) // (WORKERS * 4))
    try:
        with parallel.executor(WORKERS) as pool:
            return list(pool.map(func, items, chunksize=chunk))
    except (OSError, BrokenProcessPool):
        return None


def _parse_file(args: tuple[str, str]) -> tuple[str, object, bool]:
    """(relpath, data, ok) — ok is False when ``Repository.load`` would refuse the file
    (it cannot be read or does not validate: ``libsync.validation.gate``)."""
    root, rel = args
    try:
        with open(Path(root) / rel, "rb") as fh:
            raw = fh.read()
    except OSError:
        return rel, None, False
    data, _ = gate.check_raw(rel, raw)
    return rel, data, data is not None


def _render(args: tuple[str | None, dict]) -> str:
    kind, data = args
    return yamlio.dump(data, schemas.load_schema(kind)) if kind else yamlio.dump(data)


# --- records -------------------------------------------------------------------------------------

def all_records(repo, use_cache: bool = True) -> tuple[list[dict], list[str]]:
    """Every record of ``repo`` and its relative path, in path order (see module docstring)."""
    from libsync.recordcache import load_records

    loaded = load_records(repo, use_cache=use_cache)
    if not loaded.problems:
        return loaded.records, loaded.paths
    by_path = dict(zip(loaded.paths, loaded.records))
    for rel in sorted({p.file for p in loaded.problems}):
        by_path[rel] = repo.load(rel)   # unreadable: raises with file and line, as before
    paths = sorted(by_path)
    return [by_path[p] for p in paths], paths


def read_records(repo, relpaths: list[str]) -> dict[str, dict | None]:
    """The named record files, parsed now; a missing file maps to ``None``; a file that cannot
    be read raises ``LibsyncError`` (file and line) like ``Repository.load``."""
    wanted = [rel for rel in dict.fromkeys(relpaths)]
    present = [rel for rel in wanted if repo.path(rel).is_file()]
    root = str(repo.root)
    parsed = _map_parallel(_parse_file, [(root, rel) for rel in present])
    if parsed is None:
        parsed = [_parse_file((root, rel)) for rel in present]
    out: dict[str, dict | None] = {rel: None for rel in wanted}
    for rel, data, ok in parsed:
        if not ok:
            repo.load(rel)  # raises the usual message with file and line
        out[rel] = data
    return out


def render_many(repo, items: list[tuple[str, dict]]) -> list[str]:
    """Canonical text of each (relpath, data), as ``Repository.save`` would write it."""
    jobs = [(schemas.kind_of(rel), data) for rel, data in items]
    texts = _map_parallel(_render, jobs)
    if texts is None:
        texts = [_render(job) for job in jobs]
    return texts


# --- manifests -----------------------------------------------------------------------------------

def exchange_files(repo) -> list[str]:
    """Relative paths of every manifest (``exchanges/<year>/<term>/<id>.yaml``), sorted."""
    return repo.data_files(("exchange",))


def _summary_of(data: dict) -> dict:
    open_codes = []
    for copy in data.get("copies") or []:
        if isinstance(copy, dict) and copy.get("barcode") and copy.get("outcome") not in CLOSED_OUTCOMES:
            open_codes.append(copy["barcode"])
    summary = {"status": data.get("status"), "open": open_codes}
    if "id" in data:  # kept apart from a missing id: callers choose their own stand-in
        summary["id"] = data["id"]
    return summary


def _summarise(rel: str, raw: bytes) -> dict | None:
    """``libsync.filecache`` compute: the summary, or ``None`` when the manifest cannot be read
    or does not validate (the caller then stops with validate's message)."""
    data, _ = gate.check_raw(rel, raw, "exchange")
    return None if data is None else _summary_of(data)


def exchange_summaries(repo, use_cache: bool = True, skip: set[str] | frozenset = frozenset()) -> list[tuple[str, dict]]:
    """(relpath, {"id" (absent when the manifest has none), "status", "open": [barcodes
    not returned or lost]}) of every manifest but those in ``skip`` (relative paths: the
    manifest a step is working on, already read).

    A manifest that cannot be read raises ``LibsyncError`` with file and line, as
    ``Repository.load`` does."""
    every = exchange_files(repo)
    files = [rel for rel in every if rel not in skip]
    cache = FileCache(repo.root, SUMMARY_CACHE, [2, gate.fingerprint()], enabled=use_cache, workers=WORKERS, parallel_from=PARALLEL_FROM)
    out = cache.cached_map(files, _summarise, keep=frozenset(rel for rel in every if rel in skip))
    for rel in files:
        summary = out.get(rel)
        if not (isinstance(summary, dict) and isinstance(summary.get("open"), list)):
            out[rel] = _summary_of(repo.load(rel))  # unreadable: the usual message with file and line
    return [(rel, out[rel]) for rel in files]


def active_exchanges(repo) -> list[dict]:
    """Manifest-shaped dicts (id, status, copies still out) for ``CopyIndex.build``."""
    return [{"id": s.get("id", "?"), "status": s.get("status"), "copies": [{"barcode": code} for code in s["open"]]}
            for _, s in exchange_summaries(repo)]
