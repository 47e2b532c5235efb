"""The one copy index: every copy of the network by barcode — its record, owner, holder and status.

Rotation (which copies a batch holds, whether a copy may travel), stocktakes (what should be on
the shelf, what a scan means) and the exchange checks all ask the same questions, so they share
this index. It is built from the records through the store (``libsync.store.read``, strict: a
record file that validate refuses stops the command with its file and line), and keeps per copy
only what those questions need (``Copy``), with a small summary of its record (``Copy.info``:
the fields a batch filter tests and an exchange manifest lists), never the whole record.

A barcode that appears twice keeps its first copy in path order (validate reports the
duplicate); ``stats["duplicates"]`` lists them. Barcodes compare case-insensitively in ``get``,
as validate's duplicate rule does.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from libsync.cachedir import repo_cache_dir
from libsync.filecache import dump_json, load_json
from libsync.model.enums import CLOSED_OUTCOMES, EXCHANGE_OPEN

INDEX_CACHE = "copy-index-v1.json"   # the whole index, in the repository's cache folder


def _index_key(records: str, manifests: str, exchanges: bool) -> str:
    from libsync.validation.gate import fingerprint  # what the read policy accepts is part of it

    text = f"{INDEX_CACHE}\n{fingerprint()}\n{records}\n{manifests}\n{exchanges}\n{ITEM_FIELDS}\n{INFO_FIELDS}"
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


# The record fields kept in ``Copy.info`` (shared by the record's copies).
INFO_FIELDS = ("id", "library", "type", "title", "authors", "call_number", "curriculum", "series")


@dataclass(slots=True)
class Copy:
    barcode: str
    library: str          # owning library
    record: str           # record id
    file: str | None      # record file, relative to the repository
    title: str
    status: str
    holder: str           # library where the copy is now (default: the owner)
    status_date: str | None = None
    status_ref: str | None = None
    acquired: str | None = None
    location: str | None = None
    type: str | None = None   # record type: "digital" copies are files, never on a shelf
    info: dict[str, Any] = field(default_factory=dict)   # the record's summary (INFO_FIELDS)

    @property
    def owner(self) -> str:
        return self.library

    def to_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if k != "info"}


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


# The item fields a ``Copy`` takes from its item, in the order ``copy_view`` keeps them.
ITEM_FIELDS = ("barcode", "status", "holder", "status_date", "status_ref", "acquired", "location")


def copy_view(record: dict[str, Any], relpath: str | None = None) -> list[Any]:
    """What the index needs of a record, small and plain (kept by the store beside the record,
    so building the index never decodes whole records): [library, id, info, [item rows]].
    Made for every record read as a mapping, so it takes any shape without failing."""
    library = str(record.get("library") or (relpath.split("/")[1] if relpath else ""))
    record_id = str(record.get("id") or (Path(relpath).stem if relpath else ""))
    info = {k: record[k] for k in INFO_FIELDS if k in record}
    items = record.get("items")   # of any shape: the view is made before the read policy looks
    rows = [[_text(item.get(f)) for f in ITEM_FIELDS] for item in (items if isinstance(items, list) else [])
            if isinstance(item, dict) and item.get("barcode")]
    return [library, record_id, info, rows]


def view_ok(view: Any) -> bool:
    """Is ``view`` what ``copy_view`` makes? (A cached one may have been tampered with.)"""
    width = len(ITEM_FIELDS)
    return (type(view) is list and len(view) == 4 and type(view[0]) is str and type(view[1]) is str
            and type(view[2]) is dict and type(view[3]) is list
            and all(type(r) is list and len(r) == width and type(r[0]) is str for r in view[3]))


class CopyIndex:
    """barcode → ``Copy`` for every copy in the network, grouped by library and by record, and
    the active exchanges holding each copy."""

    def __init__(self) -> None:
        self.copies: dict[str, Copy] = {}
        self.active: dict[str, list[str]] = {}    # barcode → ids of the active exchanges it is in
        self.stats: dict[str, Any] = {"duplicates": []}
        self._folded: dict[str, Copy] | None = None
        self._views: list[tuple[list[Any], str | None]] = []   # (copy_view, relpath) of each record added
        self._groups: tuple[dict[str, Any], dict[tuple[str, str], Any]] | None = None

    # --- building ---------------------------------------------------------------------------
    def add_record(self, record: dict[str, Any], relpath: str | None = None) -> None:
        self.add_view(copy_view(record, relpath), relpath)

    def add_view(self, view: list[Any], relpath: str | None = None) -> None:
        """Add the copies of one record, given as ``copy_view`` made it."""
        library, record_id, info, rows = view
        title = str(info.get("title") or "")
        kind = info.get("type")
        copies = self.copies
        for barcode, status, holder, status_date, status_ref, acquired, location in rows:
            if barcode in copies:
                self.stats["duplicates"].append(barcode)
                continue
            copies[barcode] = Copy(barcode, library, record_id, relpath, title, status or "available",
                                   holder or library, status_date, status_ref, acquired, location, kind, info)
        self._views.append((view, relpath))
        self._groups = None

    def _grouped(self) -> tuple[dict[str, Any], dict[tuple[str, str], Any]]:
        """(library → [(info, copies)], (library, record id) → [(info, copies)]), made when first asked."""
        if self._groups is None:
            by_library: dict[str, list[tuple[dict[str, Any], list[Copy]]]] = {}
            by_record: dict[tuple[str, str], list[tuple[dict[str, Any], list[Copy]]]] = {}
            copies = self.copies
            for (library, record_id, info, rows), relpath in self._views:
                mine = [copies[row[0]] for row in rows
                        if row[0] in copies and copies[row[0]].file == relpath and copies[row[0]].record == record_id]
                if mine:
                    by_library.setdefault(library, []).append((info, mine))
                    by_record.setdefault((library, record_id), []).append((info, mine))
            self._groups = (by_library, by_record)
        return self._groups

    @property
    def records(self) -> dict[str, list[tuple[dict[str, Any], list[Copy]]]]:
        """library → [(record info, its copies)] in path order (what a batch filter scans)."""
        return self._grouped()[0]

    @property
    def by_record(self) -> dict[tuple[str, str], list[tuple[dict[str, Any], list[Copy]]]]:
        """(library, record id) → [(record info, its copies)] (a batch that names its records)."""
        return self._grouped()[1]

    def add_exchanges(self, exchanges: Iterable[dict[str, Any]]) -> None:
        """Note the copies still out in each active exchange (manifest-shaped dicts)."""
        for exchange in exchanges:
            if exchange.get("status") not in EXCHANGE_OPEN:
                continue
            for copy in exchange.get("copies") or []:
                if isinstance(copy, dict) and copy.get("barcode") and copy.get("outcome") not in CLOSED_OUTCOMES:
                    self.active.setdefault(copy["barcode"], []).append(exchange.get("id", "?"))

    @classmethod
    def from_records(cls, records: Iterable[dict[str, Any]], exchanges: Iterable[dict[str, Any]] = (),
                     relpaths: list[str] | None = None) -> CopyIndex:
        """The index of records in hand (tests, tools), with the active ``exchanges``."""
        index = cls()
        for n, record in enumerate(records):
            index.add_record(record, relpaths[n] if relpaths else None)
        index.add_exchanges(exchanges)
        index.stats["copies"] = len(index.copies)
        return index

    @classmethod
    def build(cls, repo: Any, use_cache: bool = True, exchanges: bool = True) -> CopyIndex:
        """The index of every record of ``repo`` (a ``Repository`` or its root folder), through
        the store; with ``exchanges``, the active exchanges too (see ``active``)."""
        from libsync.store.read import Store

        store = Store(repo, use_cache) if isinstance(repo, (str, os.PathLike)) else Store.of(repo, use_cache)
        files = store.files(("record",))
        manifests = store.files(("exchange",)) if exchanges else []
        # the records and manifests only: a new stocktake snapshot does not make the index old
        key = _index_key(store.listing.digest(files), store.listing.digest(manifests), exchanges)
        cache_file = repo_cache_dir(store.root) / INDEX_CACHE
        if use_cache:
            stored = load_json(cache_file)
            if isinstance(stored, dict) and stored.get("key") == key:
                index = cls._restore(stored, len(files))
                if index is not None:
                    return index
        index = cls()
        views = []
        for relpath, view in store.iter_documents(files, strict=True, view="copies"):   # path order: first wins
            index.add_view(view, relpath)
            views.append([relpath, view])
        index.stats.update(files=len(files), parsed=store.stats["examined"], cached=store.stats["cached"],
                           copies=len(index.copies))   # of the record files
        if exchanges:
            index.add_exchanges(data for _, data in store.iter_documents(manifests, strict=True))
        if use_cache:   # the whole index, for the next command on the same records and manifests
            dump_json(cache_file, {"key": key, "views": views, "active": index.active})
        return index

    @classmethod
    def _restore(cls, stored: dict[str, Any], files: int) -> CopyIndex | None:
        """The index kept by ``build``; None when it is not what ``build`` writes."""
        views, active = stored.get("views"), stored.get("active")
        if not isinstance(views, list) or not isinstance(active, dict):
            return None
        index = cls()
        try:   # a tampered file is a miss, never a wrong index
            for relpath, view in views:
                if not view_ok(view) or type(relpath) is not str:
                    return None
                index.add_view(view, relpath)
        except (TypeError, ValueError):
            return None
        if not all(type(v) is list and all(type(x) is str for x in v) for v in active.values()):
            return None
        index.active = active
        index.stats.update(files=files, parsed=0, cached=files, copies=len(index.copies))
        return index

    from_repository = build

    # --- asking -----------------------------------------------------------------------------
    def get(self, barcode: str) -> Copy | None:
        """The copy with ``barcode``; a scan that changed its case (``nd-t00008``) still finds
        ``ND-T00008``."""
        found = self.copies.get(barcode)
        if found is None and isinstance(barcode, str):
            if self._folded is None:
                self._folded = {}
                for code, copy in self.copies.items():
                    self._folded.setdefault(code.casefold(), copy)
            found = self._folded.get(barcode.casefold())
        return found

    def __contains__(self, barcode: str) -> bool:
        return self.get(barcode) is not None

    def __len__(self) -> int:
        return len(self.copies)

    @property
    def by_library(self) -> dict[str, list[Copy]]:
        return {lib: [c for _, copies in entries for c in copies] for lib, entries in self.records.items()}


def barcode_owners(repo: Any, except_library: str | None = None) -> dict[str, tuple[str, str]]:
    """Every barcode of the network's records, case-folded (as validate compares them) →
    ``(library, record id)``; the records of ``except_library`` left out. From the facts the
    store keeps of each record file, so no record is parsed again."""
    from libsync.store.read import Store

    store = Store.of(repo)
    own = f"records/{except_library}/" if except_library else None
    out: dict[str, tuple[str, str]] = {}
    for exam in store.facts([rel for rel in store.files(("record",)) if own is None or not rel.startswith(own)]):
        facts = exam.facts
        if not facts:
            continue
        rid, lib, items = facts[0], facts[1], facts[2]
        for barcode, *_ in items:
            if isinstance(barcode, str):
                out.setdefault(barcode.casefold(), (str(lib), str(rid)))
    return out
