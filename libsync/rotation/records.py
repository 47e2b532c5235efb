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
  its id, status and the copies still out. Summaries are cached in the repository's cache
  folder keyed by the SHA-256 of the manifest's bytes (exact: no clock involved), so the
  "copy already in another active exchange" check reads bytes, not YAML, for unchanged
  manifests.
"""

from __future__ import annotations

import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from libsync import schemas, yamlio
from libsync.atomic import write_atomic
from libsync.cachedir import repo_cache_dir

PARALLEL_FROM = 300          # files; below this a process pool costs more than it saves
WORKERS = min(2, os.cpu_count() or 1)
SUMMARY_CACHE = "rotation-exchanges-v1.json"
CLOSED_OUTCOMES = ("returned", "lost")


# --- both cores ----------------------------------------------------------------------------------

def _map_parallel(func, items: list, chunk: int | None = None) -> list | None:
    """``[func(x) for x in items]`` on ``WORKERS`` processes, in order; ``None`` when a pool
    cannot be had here (the caller then works on one core)."""
    if WORKERS < 2 or len(items) < PARALLEL_FROM:
        return None
    chunk = chunk or max(50, len(items) // (WORKERS * 4))
    try:
        with ProcessPoolExecutor(WORKERS) as pool:
            return list(pool.map(func, items, chunksize=chunk))
    except (OSError, BrokenProcessPool):
        return None


def _parse_file(args: tuple[str, str]) -> tuple[str, object, bool]:
    """(relpath, data, ok) — ok is False when ``Repository.load`` would refuse the file."""
    root, rel = args
    loaded = yamlio.load_file(Path(root) / rel, rel)
    ok = loaded.ok and isinstance(loaded.data, dict)
    return rel, (loaded.data if ok else None), ok


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


def _summarise_file(args: tuple[str, str]) -> tuple[str, dict | None]:
    rel, data, ok = _parse_file(args)
    return rel, (_summary_of(data) if ok else None)


def exchange_summaries(repo, use_cache: bool = True, skip: set[str] | frozenset = frozenset()) -> list[tuple[str, dict]]:
    """(relpath, {"id" (absent when the manifest has none), "status", "open": [barcodes
    not returned or lost]}) of every manifest but those in ``skip`` (relative paths: the
    manifest a step is working on, already read).

    A manifest that cannot be read raises ``LibsyncError`` with file and line, as
    ``Repository.load`` does."""
    every = exchange_files(repo)
    files = [rel for rel in every if rel not in skip]
    digests = {}
    for rel in files:
        try:
            digests[rel] = hashlib.sha256(repo.path(rel).read_bytes()).hexdigest()
        except OSError:
            digests[rel] = None
    cache_path = repo_cache_dir(repo.root) / SUMMARY_CACHE
    cached: dict = {}
    if use_cache and cache_path.is_file():
        try:
            cached = json.loads(cache_path.read_text(encoding="utf-8"))
            if not isinstance(cached, dict):
                cached = {}
        except (OSError, ValueError):
            cached = {}
    out: dict[str, dict] = {}
    todo = []
    for rel in files:
        entry = cached.get(rel)
        if (digests[rel] and isinstance(entry, list) and len(entry) == 2 and entry[0] == digests[rel]
                and isinstance(entry[1], dict) and isinstance(entry[1].get("open"), list)):
            out[rel] = entry[1]
        else:
            todo.append(rel)
    if todo:
        root = str(repo.root)
        parsed = _map_parallel(_summarise_file, [(root, rel) for rel in todo])
        if parsed is None:
            parsed = [_summarise_file((root, rel)) for rel in todo]
        for rel, summary in parsed:
            if summary is None:
                repo.load(rel)  # raises the usual message with file and line
            out[rel] = summary
        if use_cache:
            entries = {rel: [digests[rel], out[rel]] for rel in files if digests[rel]}
            for rel in every:   # keep what was known of the skipped ones
                if rel in skip and rel in cached:
                    entries[rel] = cached[rel]
            try:
                cache_path.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(cache_path, json.dumps(entries, ensure_ascii=False, separators=(",", ":")))
            except Exception:  # noqa: BLE001 - a cache that cannot be written is only slower
                pass
    return [(rel, out[rel]) for rel in files]


def active_exchanges(repo) -> list[dict]:
    """Manifest-shaped dicts (id, status, copies still out) for ``CopyIndex.build``."""
    return [{"id": s.get("id", "?"), "status": s.get("status"), "copies": [{"barcode": code} for code in s["open"]]}
            for _, s in exchange_summaries(repo)]
