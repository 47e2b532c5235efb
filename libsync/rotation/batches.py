"""Batches (bộ luân chuyển): a named filter over one library's copies, resolved to copies.

A batch in ``network.yaml`` (``rotation.batches``) names its library and a filter: record
``type``, curriculum ``grade`` / ``subject`` / ``series`` (matched folded, so accents and
case do not matter), a ``call_number`` range (from/to, folded text order), explicit
``barcodes`` and ``records``. Fields combine with AND, values inside a field with OR.

``resolve_batch`` returns the copies that may travel now and, for every copy the filter
matched but that cannot travel, the reason: its status (on-loan, lost, withdrawn,
at-partner, in-transit, damaged), it is held elsewhere, it is already in an active
exchange, or (explicit barcodes) it does not exist in the library's records.

Plain data in and out::

    index = CopyIndex.build(records, exchanges)
    result = resolve_batch(batch, index)        # BatchResult
    result.copies      -> [{"barcode", "record", "title", "authors", "relpath"?}]
    result.left_out    -> [{"barcode", "record", "reason", "status"?, "ref"?}]
"""

from __future__ import annotations

from dataclasses import dataclass, field

from libsync.errors import LibsyncError
from libsync.text import fold

ACTIVE_STATUSES = ("proposed", "approved", "dispatched", "received", "returned")


@dataclass
class CopyRef:
    barcode: str
    record: dict
    item: dict
    relpath: str | None = None

    @property
    def owner(self) -> str:
        return self.record.get("library", "")


@dataclass
class CopyIndex:
    """Every copy of the network by barcode, and the active exchange holding each copy."""

    copies: dict[str, CopyRef] = field(default_factory=dict)
    by_library: dict[str, list[CopyRef]] = field(default_factory=dict)
    active: dict[str, list[str]] = field(default_factory=dict)  # barcode -> active exchange ids

    @classmethod
    def build(cls, records: list[dict], exchanges: list[dict] = (), relpaths: list[str] | None = None) -> "CopyIndex":
        index = cls()
        for n, record in enumerate(records):
            rel = relpaths[n] if relpaths else None
            lib = record.get("library", "")
            for item in record.get("items") or []:
                code = item.get("barcode")
                if not code:
                    continue
                ref = CopyRef(code, record, item, rel)
                index.copies[code] = ref
                index.by_library.setdefault(lib, []).append(ref)
        for exchange in exchanges:
            if exchange.get("status") not in ACTIVE_STATUSES:
                continue
            for copy in exchange.get("copies") or []:
                if copy.get("barcode") and copy.get("outcome") not in ("returned", "lost"):
                    index.active.setdefault(copy["barcode"], []).append(exchange.get("id", "?"))
        return index

    @classmethod
    def from_repository(cls, repo) -> "CopyIndex":
        files = repo.record_files()
        return cls.build(repo.load_many(files), repo.exchanges(), files)


@dataclass
class BatchResult:
    batch: str
    library: str
    name: str
    copies: list[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)

    @property
    def size(self) -> int:
        return len(self.copies)

    def to_dict(self) -> dict:
        return {"batch": self.batch, "library": self.library, "name": self.name, "count": self.size,
                "copies": self.copies, "left_out": self.left_out}


def find_batch(network, batch_id: str) -> dict:
    for batch in network.batches:
        if batch.get("id") == batch_id:
            return batch
    known = ", ".join(b.get("id", "?") for b in network.batches) or "—"
    raise LibsyncError("rotation.unknown_batch", batch=batch_id, known=known)


def _in_range(value: str, low: str | None, high: str | None) -> bool:
    key = fold(value)
    if not key:
        return False
    if low and key < fold(low):
        return False
    if high:
        top = fold(high)
        if key > top and not key.startswith(top):
            return False
    return True


def record_matches(record: dict, flt: dict) -> bool:
    """Whether ``record`` passes the record-level parts of a batch filter."""
    if flt.get("type") and record.get("type") not in flt["type"]:
        return False
    curriculum = record.get("curriculum") or {}
    if flt.get("grade") and curriculum.get("grade") not in flt["grade"]:
        return False
    if flt.get("subject"):
        subject = fold(curriculum.get("subject"))
        if subject not in {fold(s) for s in flt["subject"]}:
            return False
    if flt.get("series"):
        series = fold(curriculum.get("series") or record.get("series"))
        if series not in {fold(s) for s in flt["series"]}:
            return False
    if flt.get("records") and record.get("id") not in flt["records"]:
        return False
    cn = flt.get("call_number")
    if cn and not _in_range(record.get("call_number") or "", cn.get("from"), cn.get("to")):
        return False
    return True


def why_not_available(ref: CopyRef, index: CopyIndex, exclude_exchange: str | None = None) -> dict | None:
    """The reason a copy cannot travel now, or ``None`` when it can."""
    item = ref.item
    status = item.get("status")
    if status != "available":
        return {"reason": "status", "status": status, "ref": item.get("status_ref")}
    holder = item.get("holder")
    if holder and holder != ref.owner:
        return {"reason": "elsewhere", "status": status, "ref": holder}
    others = [e for e in index.active.get(ref.barcode, []) if e != exclude_exchange]
    if others:
        return {"reason": "in-exchange", "status": status, "ref": ", ".join(others)}
    return None


def copy_row(ref: CopyRef) -> dict:
    record = ref.record
    return {
        "barcode": ref.barcode,
        "record": record.get("id"),
        "title": record.get("title", ""),
        "authors": list(record.get("authors") or []),
    }


def resolve_batch(batch: dict, index: CopyIndex, exclude_exchange: str | None = None) -> BatchResult:
    lib = batch.get("library", "")
    flt = batch.get("filter") or {}
    result = BatchResult(batch.get("id", "?"), lib, batch.get("name", batch.get("id", "?")))
    wanted = list(dict.fromkeys(flt.get("barcodes") or []))
    if wanted:
        candidates = []
        for code in wanted:
            ref = index.copies.get(code)
            if ref is None or ref.owner != lib:
                result.left_out.append({"barcode": code, "record": ref.record.get("id") if ref else None,
                                        "reason": "unknown" if ref is None else "not-owned",
                                        "ref": ref.owner if ref else None})
                continue
            if record_matches(ref.record, flt):
                candidates.append(ref)
    else:
        candidates = [ref for ref in index.by_library.get(lib, []) if record_matches(ref.record, flt)]
    for ref in sorted(candidates, key=lambda r: (r.record.get("call_number") or "", r.record.get("id") or "", r.barcode)):
        why = why_not_available(ref, index, exclude_exchange)
        if why is None:
            result.copies.append(copy_row(ref))
        else:
            result.left_out.append({"barcode": ref.barcode, "record": ref.record.get("id"), **why})
    return result
