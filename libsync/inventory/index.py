"""The copies of the whole network by barcode, and the exchanges that move them.

A stocktake needs, for every copy, only a few fields: owner, record, holder, status and
why. ``CopyIndex.build`` reads every record through the store (``libsync.store.read``: parsed
once per content, strict read policy) and keeps a compact ``Copy`` per barcode.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path

from libsync.model.enums import EXCHANGE_STEPS
from libsync.network import parse_date

# The item fields a stocktake needs, in the order ``Copy`` takes them.
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
        """Every copy of the repository at ``root`` (or of a ``Repository``), through the store
        (strict: a record file validate refuses stops the stocktake with its file and line)."""
        from libsync.store.read import Store

        store = Store(root, use_cache) if isinstance(root, (str, os.PathLike)) else Store.of(root, use_cache)
        files = store.files(("record",))
        copies: dict[str, Copy] = {}
        duplicates: list[str] = []
        for relpath, data in store.iter_documents(files, strict=True):   # path order: "first copy wins"
            library = str(data.get("library") or relpath.split("/")[1])
            record_id = str(data.get("id") or Path(relpath).stem)
            title = str(data.get("title") or "")
            kind = data.get("type")
            for item in data.get("items") or []:
                barcode = item.get("barcode") if isinstance(item, dict) else None
                if not barcode:
                    continue
                barcode = str(barcode)
                if barcode in copies:
                    duplicates.append(barcode)
                    continue
                values = [None if item.get(f) is None else str(item.get(f)) for f in ITEM_FIELDS[1:]]
                status, holder, status_date, status_ref, acquired, location = values
                copies[barcode] = Copy(barcode, library, record_id, relpath, title, status or "available",
                                       holder or library, status_date, status_ref, acquired, location, kind)
        stats = {"files": len(files), "parsed": store.stats["examined"], "cached": store.stats["cached"],
                 "copies": len(copies), "duplicates": duplicates}
        return cls(copies, stats)


def cached_load(repo, relpath: str) -> dict:
    """``repo.load(relpath)`` through the store: parsed once per content (a snapshot of 100,000
    barcodes is slow to parse as YAML, fast to read back)."""
    from libsync.store.read import Store

    return Store.of(repo).load(relpath)


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
    from libsync.store.read import Store

    store = Store.of(repo)
    return [movement(data, rel) for rel, data in store.iter_documents(store.files(("exchange",)), strict=True)]
