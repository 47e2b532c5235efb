"""Reading what the rotation commands need, through the store (``libsync.store.read``).

* ``read_records(repo, relpaths)`` — the named record files as they are on disk *now* (the
  bytes are read and hashed again: these are the records a lifecycle step rewrites, and the
  listing taken at the start of the command could be older than the file).
* ``exchange_files`` / ``exchange_summaries`` — the manifests, and for each its id, status and
  the copies still out.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from libsync.model.enums import CLOSED_OUTCOMES
from libsync.store.read import Store

if TYPE_CHECKING:
    from libsync.repository import Repository


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
