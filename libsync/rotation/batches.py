"""Batches (bộ luân chuyển): a named filter over one library's copies, resolved to copies.

A batch in ``network.yaml`` (``rotation.batches``) names its library and a filter: record
``type``, curriculum ``grade`` / ``subject`` / ``series`` (matched folded, so accents and case do
not matter; a GDPT 2018 series by its canonical name, so "KNTT" is "Kết nối tri thức với cuộc
sống"), a ``call_number`` range (from/to, folded text order), explicit
``barcodes`` and ``records``. Fields combine with AND, values inside a field with OR.

``resolve_batch`` returns the copies that may travel now and, for every copy the filter
matched but that cannot travel, the reason: its status (on-loan, lost, withdrawn,
at-partner, in-transit, damaged), it is held elsewhere, it is already in an active
exchange, or (explicit barcodes) it does not exist in the library's records.

Plain data in and out (the copies come from the store's one index, ``libsync.store.copies``)::

    index = CopyIndex.from_repository(repo)     # or CopyIndex.from_records(records, exchanges)
    result = resolve_batch(batch, index)        # BatchResult
    result.copies      -> [{"barcode", "record", "title", "authors", "relpath"?}]
    result.left_out    -> [{"barcode", "record", "reason", "status"?, "ref"?}]
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from libsync.errors import LibsyncError
from libsync.model import gdpt
from libsync.model.enums import EXCHANGE_OPEN
from libsync.store.copies import Copy, CopyIndex

__all__ = ["ACTIVE_STATUSES", "BatchResult", "CompiledFilter", "Copy", "CopyIndex", "copy_row", "find_batch",
           "record_matches", "resolve_batch", "why_not_available"]   # Copy, CopyIndex: the store's, for old imports
from libsync.text import fold

if TYPE_CHECKING:
    from libsync.network import Network

ACTIVE_STATUSES = EXCHANGE_OPEN


@dataclass
class BatchResult:
    batch: str
    library: str
    name: str
    copies: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.copies)

    def to_dict(self) -> dict[str, Any]:
        return {"batch": self.batch, "library": self.library, "name": self.name, "count": self.size,
                "copies": self.copies, "left_out": self.left_out}


# network → (its batches list, that list's length, batch id → batch): rebuilt when either changes
_BY_ID: weakref.WeakKeyDictionary[Network, tuple[list[dict[str, Any]], int, dict[object, dict[str, Any]]]] = (
    weakref.WeakKeyDictionary())


def find_batch(network: Network, batch_id: str) -> dict[str, Any]:
    """The batch ``batch_id`` of ``network`` (the first one, if an id is given twice)."""
    entry = _BY_ID.get(network)
    if entry is None or entry[0] is not network.batches or entry[1] != len(network.batches):
        by_id: dict[object, dict[str, Any]] = {}
        for batch in network.batches:
            try:
                by_id.setdefault(batch.get("id"), batch)
            except TypeError:  # an id that is not text can never be asked for
                continue
        entry = (network.batches, len(network.batches), by_id)
        _BY_ID[network] = entry
    found = entry[2].get(batch_id)
    if found is not None:
        return found
    known = ", ".join(str(b.get("id", "?")) for b in network.batches) or "—"
    raise LibsyncError("rotation.unknown_batch", batch=batch_id, known=known)


@lru_cache(maxsize=65536)
def _fold_cached(value: str | None) -> str:
    return fold(value)


def _folded(value: str | None) -> str:
    """``fold``, remembered: the same subjects and series recur in every record."""
    try:
        return _fold_cached(value)
    except TypeError:  # not hashable (a hand-made record): fold it as before
        return fold(value)


@lru_cache(maxsize=4096)
def _series_cached(value: str) -> str:
    return gdpt.series_filter_key(value)


def _series(value: object) -> str:
    """A series as filters compare it: "KNTT" is "Kết nối tri thức với cuộc sống" (``libsync.model.gdpt``)."""
    return _series_cached(value) if isinstance(value, str) else ""


class CompiledFilter:
    """A batch filter with its value lists turned into sets and folded once."""

    __slots__ = ("types", "grades", "subjects", "series", "records", "low", "high")

    types: list[str] | None
    grades: list[int] | None
    subjects: set[str] | None
    series: set[str] | None
    records: frozenset[str] | None
    low: str | None          # None: no call-number range; "": that end is open
    high: str | None

    def __init__(self, flt: dict[str, Any]) -> None:
        self.types = flt["type"] if flt.get("type") else None
        self.grades = list(flt["grade"]) if flt.get("grade") else None
        self.subjects = {_folded(s) for s in flt["subject"]} if flt.get("subject") else None
        self.series = {_series(s) for s in flt["series"]} if flt.get("series") else None
        self.records = frozenset(flt["records"]) if flt.get("records") else None
        cn = flt.get("call_number")
        self.low = self.high = None
        if cn:
            self.low = _folded(cn["from"]) if cn.get("from") else ""
            self.high = _folded(cn["to"]) if cn.get("to") else ""

    def matches(self, record: dict[str, Any]) -> bool:
        if self.types is not None and record.get("type") not in self.types:
            return False
        curriculum = record.get("curriculum") or {}
        if self.grades is not None and curriculum.get("grade") not in self.grades:
            return False
        if self.subjects is not None and _folded(curriculum.get("subject")) not in self.subjects:
            return False
        if self.series is not None and _series(curriculum.get("series") or record.get("series")) not in self.series:
            return False
        if self.records is not None:
            rid = record.get("id")
            if not isinstance(rid, str) or rid not in self.records:
                return False
        if self.low is not None:
            key = _folded(record.get("call_number") or "")
            if not key:
                return False
            if self.low and key < self.low:
                return False
            if self.high and key > self.high and not key.startswith(self.high):
                return False
        return True


def record_matches(record: dict[str, Any], flt: dict[str, Any]) -> bool:
    """Whether ``record`` passes the record-level parts of a batch filter."""
    return CompiledFilter(flt).matches(record)


def why_not_available(ref: Copy, index: CopyIndex, exclude_exchange: str | None = None) -> dict[str, Any] | None:
    """The reason a copy cannot travel now, or ``None`` when it can."""
    status = ref.status
    if status != "available":
        return {"reason": "status", "status": status, "ref": ref.status_ref}
    if ref.holder != ref.owner:
        return {"reason": "elsewhere", "status": status, "ref": ref.holder}
    others = [e for e in index.active.get(ref.barcode, []) if e != exclude_exchange]
    if others:
        return {"reason": "in-exchange", "status": status, "ref": ", ".join(others)}
    return None


def copy_row(ref: Copy) -> dict[str, Any]:
    record = ref.info
    return {
        "barcode": ref.barcode,
        "record": record.get("id"),
        "title": record.get("title", ""),
        "authors": list(record.get("authors") or []),
    }


def resolve_batch(batch: dict[str, Any], index: CopyIndex, exclude_exchange: str | None = None) -> BatchResult:
    lib = batch.get("library", "")
    flt = batch.get("filter") or {}
    result = BatchResult(batch.get("id", "?"), lib, batch.get("name", batch.get("id", "?")))
    compiled = CompiledFilter(flt)
    wanted = list(dict.fromkeys(flt.get("barcodes") or []))
    candidates: list[Copy]
    if wanted:
        candidates = []
        for code in wanted:
            ref = index.copies.get(code)
            if ref is None or ref.owner != lib:
                result.left_out.append({"barcode": code, "record": ref.record if ref else None,
                                        "reason": "unknown" if ref is None else "not-owned",
                                        "ref": ref.owner if ref else None})
                continue
            if compiled.matches(ref.info):
                candidates.append(ref)
    elif compiled.records is not None:
        # the filter names its records: look them up instead of testing every record
        candidates = [ref for rid in dict.fromkeys(flt["records"])
                      for record, refs in index.by_record.get((lib, rid), ()) if compiled.matches(record)
                      for ref in refs]
    else:
        candidates = [ref for record, refs in index.records.get(lib, ()) if compiled.matches(record) for ref in refs]
    for ref in sorted(candidates, key=lambda r: (r.info.get("call_number") or "", r.record or "", r.barcode)):
        why = why_not_available(ref, index, exclude_exchange)
        if why is None:
            result.copies.append(copy_row(ref))
        else:
            result.left_out.append({"barcode": ref.barcode, "record": ref.record, **why})
    return result
