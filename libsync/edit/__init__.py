"""Everyday edits without opening a YAML file: one record's fields (``records``), the status of
copies (``copies``), the rotation batches of network.yaml (``batches``).

Every edit is planned first as plain data (what changes, old → new), then written through the
one write path, ``libsync.store.write.apply``: checked as ``libsync validate`` checks the files,
under the repository lock, all-or-nothing, optionally as one Git commit. A dry run stops after
the same checks. A refusal raises ``LibsyncError`` before anything is written.

This package reads only through the store (``libsync.store.read``) and writes only through
``libsync.store.write``; it never opens a YAML file itself and never prints (the CLI renders
what it returns).
"""

from __future__ import annotations

import copy
import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from libsync.dates import typed_date
from libsync.errors import LibsyncError
from libsync.store import write as store_write

if TYPE_CHECKING:
    from libsync.repository import Repository


def today() -> str:
    return dt.date.today().isoformat()


def check_day(value: str | None, default: str | None = None) -> str | None:
    """``YYYY-MM-DD`` as stored (typed as ``dd/mm/yyyy`` too), or ``default`` when not given;
    anything else is a usage error."""
    if value is None:
        return default
    day = typed_date(value)
    if day is None:
        raise LibsyncError("edit.bad_date", value=value)
    return day.isoformat()


def read_now(repo: Repository, relpaths: list[str]) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """The documents at ``relpaths`` as the files are now (a copy the caller may change), and the
    Git blob id of each as it was read: the write refuses if another command changes one of them
    in between (``libsync.store.write.apply``'s ``expected``). A file validate refuses stops here
    with validate's message, file and line."""
    from libsync.store.read import Store

    store = Store.of(repo)
    documents = {rel: copy.deepcopy(data) for rel, data in store.current(relpaths)}
    return documents, {rel: store.listing.ids.get(rel, "") for rel in relpaths}


def finish(repo: Repository, texts: Mapping[str, str], *, message: str, command: str, commit: bool,
           dry_run: bool, expected: Mapping[str, str] | None = None) -> str | None:
    """Write ``texts`` ({relpath: canonical text}) all-or-nothing, with ``message`` as one commit when
    ``commit``; ``expected`` (relpath → blob id read, "" for a new file) refuses the write if
    another command changed a file since. A dry run only makes the checks the write would make
    (each file's own and the cross-file ones). Returns the commit's sha."""
    if dry_run:
        store_write.refuse_invalid({rel: text.encode("utf-8") for rel, text in texts.items()}, root=repo.root)
        return None
    return store_write.apply(repo, dict(texts), message=message if commit else None, command=command,
                             expected=expected)
