"""The copies of the whole network by barcode, and the exchanges that move them.

A stocktake needs, for every copy, only a few fields: owner, record, holder, status and
why. ``CopyIndex.build`` reads every record file strictly (``yamlio``) but keeps a compact
row per file (smaller than the full record on purpose, for speed) in the shared file cache
(``libsync.filecache``, outside the repository): an unchanged file is never parsed twice, a
changed one always is. A cold build with many files parses them on both cores.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from libsync.errors import LibsyncError
from libsync.filecache import FileCache
from libsync.model.enums import EXCHANGE_STEPS
from libsync.network import parse_date
from libsync.validation import gate

CACHE_VERSION = 3
INDEX_CACHE = "inventory-index-v3"
PARALLEL_THRESHOLD = 2000
# Compact item rows in the cache: the fields a stocktake needs, in this order.
ITEM_FIELDS = ("barcode", "status", "holder", "status_date", "status_ref", "acquired", "location")


@dataclass(slots=True)
class Copy:
    barcode: str
    library: str          # owning library
    record: str           # record id
    file: str             # record file, relative to the repository
    title: str
    status: str
    holder: str           # library where the copy is now (default: the owner)
    status_date: str | None = None
    status_ref: str | None = None
    acquired: str | None = None
    location: str | None = None
    type: str | None = None   # record type: "digital" copies are files, never on a shelf

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


def _row(relpath: str, raw: bytes) -> object:
    """The compact row of one record file: [library, id, title, [item rows], type], or
    {"error": [where, message]} when it cannot be read (``libsync.filecache`` compute)."""
    data, errors = gate.verdict(relpath, raw, "record")
    if data is None:   # cannot be read or does not validate: the problem states, for gate.refusal
        return {"error": errors}
    library = str(data.get("library") or relpath.split("/")[1])
    items = []
    for item in data.get("items") or []:
        if isinstance(item, dict) and item.get("barcode"):
            items.append([None if item.get(f) is None else str(item.get(f)) for f in ITEM_FIELDS])
    return [library, str(data.get("id") or Path(relpath).stem), str(data.get("title") or ""), items,
            data.get("type")]


def _unreadable(root: Path, relpath: str) -> LibsyncError:
    try:
        gate.read(root, relpath, "record")
    except LibsyncError as exc:
        return exc
    return LibsyncError("validate.refused_unknown", path=relpath)


def _record_files(root: Path) -> list[str]:
    from libsync.repository import Repository

    return Repository(root).record_files()   # the one walker: no symlink followed


class CopyIndex:
    """barcode → ``Copy`` for every copy in the network, with build statistics."""

    def __init__(self, copies: dict[str, Copy], stats: dict | None = None) -> None:
        self.copies = copies
        self.stats = stats or {}

    def get(self, barcode: str) -> Copy | None:
        """The copy with ``barcode``; a scan that changed its case (``nd-t00008``) still finds
        ``ND-T00008`` — barcodes compare case-insensitively, as validate's duplicate rule does."""
        found = self.copies.get(barcode)
        if found is None and isinstance(barcode, str):
            if getattr(self, "_folded", None) is None:
                self._folded = {}
                for code, copy in self.copies.items():
                    self._folded.setdefault(code.casefold(), copy)
            found = self._folded.get(barcode.casefold())
        return found

    def __contains__(self, barcode: str) -> bool:
        return self.get(barcode) is not None

    def __len__(self) -> int:
        return len(self.copies)

    @classmethod
    def build(cls, root: str | os.PathLike, use_cache: bool = True, workers: int | None = None) -> "CopyIndex":
        root = Path(root)
        files = _record_files(root)
        cache = FileCache(root, INDEX_CACHE, [CACHE_VERSION, gate.fingerprint()], enabled=use_cache, workers=workers,
                          parallel_from=PARALLEL_THRESHOLD)
        rows = cache.cached_map(files, _row)
        stats = {"files": len(files), "parsed": cache.stats["parsed"], "cached": cache.stats["cached"]}
        for relpath in files:
            row = rows.get(relpath)
            if row is None:
                raise _unreadable(root, relpath)
            if isinstance(row, dict):
                raise gate.refusal(relpath, row.get("error") or [])
        copies: dict[str, Copy] = {}
        duplicates: list[str] = []
        for relpath in files:  # file order, so "first copy wins" is the same cold or warm
            library, record_id, title, items, kind = rows[relpath]
            for barcode, status, holder, status_date, status_ref, acquired, location in items:
                if barcode in copies:
                    duplicates.append(barcode)
                    continue
                copies[barcode] = Copy(barcode, library, record_id, relpath, title, status or "available",
                                       holder or library, status_date, status_ref, acquired, location, kind)
        stats["copies"] = len(copies)
        stats["duplicates"] = duplicates
        return cls(copies, stats)


def _data(relpath: str, raw: bytes) -> object:
    return gate.check_raw(relpath, raw)[0]   # None: cannot be read or does not validate


def cached_load(repo, relpath: str) -> dict:
    """``repo.load(relpath)`` through ``libsync.filecache`` (one small cache file per path).

    Used for snapshots (100,000 barcodes are slow to parse as YAML, fast as JSON). The
    file is still read strictly on the first use and after every change.
    """
    digest = hashlib.sha256(relpath.encode()).hexdigest()[:20]
    cache = FileCache(repo.root, f"inventory-files/{digest}", [CACHE_VERSION, gate.fingerprint()])
    data = cache.cached_map([relpath], _data).get(relpath)
    if data is None:
        return repo.load(relpath)   # missing or unreadable: the usual message with file and line
    return data


# --- exchanges ----------------------------------------------------------------------------

_ORDER = EXCHANGE_STEPS


@dataclass(slots=True)
class Movement:
    """One exchange as the stocktake sees it: who sent what to whom, and when."""

    id: str
    file: str
    source: str
    target: str
    status: str
    barcodes: frozenset
    outcomes: dict           # barcode → outcome (lost, damaged …) where recorded
    dispatched: dt.date | None
    returned: dt.date | None

    def out_at(self, day: dt.date) -> bool:
        """Were the copies away from ``source`` on ``day``?"""
        if self.status == "cancelled" or self.dispatched is None or day < self.dispatched:
            return False
        return self.returned is None or day < self.returned


def _event(ex: dict, *statuses: str) -> dt.date | None:
    for status in statuses:
        for event in ex.get("history") or []:
            if event.get("status") == status and parse_date(event.get("date")):
                return parse_date(event["date"])
    return None


def movement(ex: dict, relpath: str) -> Movement:
    status = ex.get("status", "proposed")
    dispatched = _event(ex, "dispatched", "received")
    if dispatched is None and status in _ORDER[2:]:
        dispatched = parse_date((ex.get("planned") or {}).get("handover"))
    returned = _event(ex, "returned", "closed")
    if returned is None:
        returned = parse_date((ex.get("returned") or {}).get("date"))
    if returned is None and status in ("returned", "closed"):
        returned = parse_date((ex.get("planned") or {}).get("return_due"))
    copies = [c for c in ex.get("copies") or [] if isinstance(c, dict) and c.get("barcode")]
    return Movement(
        id=str(ex.get("id")), file=relpath, source=str(ex.get("from")), target=str(ex.get("to")), status=status,
        barcodes=frozenset(str(c["barcode"]) for c in copies),
        outcomes={str(c["barcode"]): c["outcome"] for c in copies if c.get("outcome")},
        dispatched=dispatched, returned=returned,
    )


def movements(repo) -> list[Movement]:
    """Every exchange manifest (exchanges/<year>/<term>/<id>.yaml) as a ``Movement``."""
    return [movement(repo.load(rel), rel) for rel in repo.data_files(("exchange",))]
