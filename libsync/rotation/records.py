"""Reading what the rotation commands need, through the store (``libsync.store.read``).

* ``read_records(repo, relpaths)`` — the named record files as they are on disk *now* (the
  bytes are read and hashed again: these are the records a lifecycle step rewrites, and the
  listing taken at the start of the command could be older than the file).
* ``render_many(repo, items)`` — canonical YAML for many records, on both cores.
* ``exchange_files`` / ``exchange_summaries`` — the manifests, and for each its id, status and
  the copies still out.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import TYPE_CHECKING, Any, TypeVar

from libsync import parallel, schemas, yamlio
from libsync.model.enums import CLOSED_OUTCOMES
from libsync.store.read import Store

if TYPE_CHECKING:
    from libsync.repository import Repository

T = TypeVar("T")
R = TypeVar("R")

PARALLEL_FROM = 300          # files; below this a process pool costs more than it saves
WORKERS = min(2, os.cpu_count() or 1)


# --- both cores ----------------------------------------------------------------------------------

def _map_parallel(func: Callable[[T], R], items: list[T], chunk: int | None = None) -> list[R] | None:
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


def _render(args: tuple[str | None, dict[str, Any]]) -> str:
    kind, data = args
    return yamlio.dump(data, schemas.load_schema(kind)) if kind else yamlio.dump(data)


# --- records -------------------------------------------------------------------------------------

def read_records(repo: Repository, relpaths: list[str]) -> dict[str, dict[str, Any] | None]:
    """The named record files as they are now; a missing file maps to ``None``; a file the
    read policy refuses raises ``LibsyncError`` (file and line)."""
    wanted = list(dict.fromkeys(relpaths))
    present = [rel for rel in wanted if repo.path(rel).is_file()]
    out: dict[str, dict[str, Any] | None] = dict.fromkeys(wanted)
    for rel, data in Store.of(repo).current(present):
        out[rel] = data
    return out


def render_many(repo: Repository, items: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """Canonical text of each (relpath, data), as ``Repository.save`` would write it."""
    jobs = [(schemas.kind_of(rel), data) for rel, data in items]
    texts = _map_parallel(_render, jobs)
    if texts is None:
        texts = [_render(job) for job in jobs]
    return texts


# --- manifests -----------------------------------------------------------------------------------

def exchange_files(repo: Repository) -> list[str]:
    """Relative paths of every manifest (``exchanges/<year>/<term>/<id>.yaml``), sorted."""
    return Store.of(repo).files(("exchange",))


def summary_of(data: dict[str, Any]) -> dict[str, Any]:
    """{"id" (absent when the manifest has none), "status", "open": [barcodes not returned or lost]}."""
    open_codes: list[Any] = []   # barcodes as the manifest writes them
    for copy in data.get("copies") or []:
        if isinstance(copy, dict) and copy.get("barcode") and copy.get("outcome") not in CLOSED_OUTCOMES:
            open_codes.append(copy["barcode"])
    summary: dict[str, Any] = {"status": data.get("status"), "open": open_codes}
    if "id" in data:  # kept apart from a missing id: callers choose their own stand-in
        summary["id"] = data["id"]
    return summary


def exchange_summaries(repo: Repository, use_cache: bool = True,
                       skip: set[str] | frozenset[str] = frozenset()) -> list[tuple[str, dict[str, Any]]]:
    """(relpath, ``summary_of`` the manifest) of every manifest but those in ``skip`` (relative
    paths: the manifest a step is working on, already read). A manifest the read policy refuses
    raises ``LibsyncError`` with file and line."""
    store = Store.of(repo, use_cache)
    files = [rel for rel in store.files(("exchange",)) if rel not in skip]
    return [(rel, summary_of(data)) for rel, data in store.iter_documents(files, strict=True)]
