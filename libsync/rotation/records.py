"""Reading what the rotation commands need, through the store (``libsync.store.read``).

* ``all_records(repo)`` — every record, by the store's strict read policy: a record file that
  ``validate`` refuses on its own stops the command with its file and line (a batch resolved
  against part of a library could move the wrong copies). Warm, no YAML is parsed.
* ``read_records(repo, relpaths)`` — the named record files as they are on disk *now* (the
  bytes are read and hashed again: these are the records a lifecycle step rewrites, and the
  listing taken at the start of the command could be older than the file).
* ``render_many(repo, items)`` — canonical YAML for many records, on both cores.
* ``exchange_files`` / ``exchange_summaries`` / ``active_exchanges`` — the manifests, and for
  each its id, status and the copies still out.
"""

from __future__ import annotations

import os
from concurrent.futures.process import BrokenProcessPool

from libsync import parallel, schemas, yamlio
from libsync.model.enums import CLOSED_OUTCOMES
from libsync.store.read import Store

PARALLEL_FROM = 300          # files; below this a process pool costs more than it saves
WORKERS = min(2, os.cpu_count() or 1)


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


def _render(args: tuple[str | None, dict]) -> str:
    kind, data = args
    return yamlio.dump(data, schemas.load_schema(kind)) if kind else yamlio.dump(data)


# --- records -------------------------------------------------------------------------------------

def all_records(repo, use_cache: bool = True) -> tuple[list[dict], list[str]]:
    """Every record of ``repo`` and its relative path, in path order (see module docstring)."""
    loaded = Store.of(repo, use_cache).records(strict=True)
    return loaded.documents, loaded.paths


def read_records(repo, relpaths: list[str]) -> dict[str, dict | None]:
    """The named record files as they are now; a missing file maps to ``None``; a file the
    read policy refuses raises ``LibsyncError`` (file and line)."""
    wanted = list(dict.fromkeys(relpaths))
    present = [rel for rel in wanted if repo.path(rel).is_file()]
    out: dict[str, dict | None] = dict.fromkeys(wanted)
    for rel, data in Store.of(repo).current(present):
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
    return Store.of(repo).files(("exchange",))


def summary_of(data: dict) -> dict:
    """{"id" (absent when the manifest has none), "status", "open": [barcodes not returned or lost]}."""
    open_codes = []
    for copy in data.get("copies") or []:
        if isinstance(copy, dict) and copy.get("barcode") and copy.get("outcome") not in CLOSED_OUTCOMES:
            open_codes.append(copy["barcode"])
    summary = {"status": data.get("status"), "open": open_codes}
    if "id" in data:  # kept apart from a missing id: callers choose their own stand-in
        summary["id"] = data["id"]
    return summary


def exchange_summaries(repo, use_cache: bool = True, skip: set[str] | frozenset = frozenset()) -> list[tuple[str, dict]]:
    """(relpath, ``summary_of`` the manifest) of every manifest but those in ``skip`` (relative
    paths: the manifest a step is working on, already read). A manifest the read policy refuses
    raises ``LibsyncError`` with file and line."""
    store = Store.of(repo, use_cache)
    files = [rel for rel in store.files(("exchange",)) if rel not in skip]
    return [(rel, summary_of(data)) for rel, data in store.iter_documents(files, strict=True)]


def active_exchanges(repo) -> list[dict]:
    """Manifest-shaped dicts (id, status, copies still out) for ``CopyIndex.build``."""
    return [{"id": s.get("id", "?"), "status": s.get("status"), "copies": [{"barcode": code} for code in s["open"]]}
            for _, s in exchange_summaries(repo)]
