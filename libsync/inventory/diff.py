"""Before/after stocktake comparison: every barcode in exactly one of eight categories.

Categories (stable ids, in report order):

``present``    in both scans;
``missing``    scanned before, not after, and nothing explains it;
``explained``  scanned before, not after, and a record or manifest says why between the
               two dates (dispatched in an exchange, lent, withdrawn, lost …), with the reference;
``returned``   not scanned before, scanned after, with why when known (back from an
               exchange, a loan, newly acquired) — ``reason`` is ``None`` when nothing explains it;
``unknown``    in no record of the network (kept for follow-up, never dropped);
``foreign``    belongs to another library — ``expected`` when an exchange brought it;
``conflict``   scanned after, but recorded as lost, withdrawn, at a partner or lent;
``twice``      scanned more than once in one scan (``base`` says what it would otherwise be,
               ``scans`` how often in each snapshot, ``where`` the positions where repeated).

Precedence when several apply: unknown, foreign, conflict, twice, then the presence-based
four. Plain data in (snapshot dicts, a ``CopyIndex``, ``Movement`` list), plain data out.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any, cast

from libsync.errors import LibsyncError
from libsync.inventory.index import Copy, CopyIndex, Movement
from libsync.model.enums import NOT_BACK_OUTCOMES, OFF_SHELF_STATUSES, SHELF_STATUSES
from libsync.network import parse_date

CATEGORIES = ("present", "missing", "explained", "returned", "unknown", "foreign", "conflict", "twice")
AWAY_STATUSES = OFF_SHELF_STATUSES       # a copy absent from the shelf for a recorded reason
CONFLICT_STATUSES = OFF_SHELF_STATUSES   # ... yet scanned on it

Entry = dict[str, Any]            # one barcode's line of a report (``_entry``)
Report = dict[str, Any]           # what ``diff`` and ``check.check`` return (``_report``)
ByCode = dict[str, list[Movement]]   # ``moves_by_barcode``


def _dispatch_day(move: Movement) -> str:
    """The dispatch day of a move that is out on some day (``out_at`` is only true once dispatched)."""
    return cast(dt.date, move.dispatched).isoformat()


def _entry(category: str, barcode: str, copy: Copy | None, **extra: Any) -> Entry:
    if copy is not None:
        entry: Entry = {"category": category, "barcode": barcode, "owner": copy.library, "record": copy.record,
                 "title": copy.title, "file": copy.file, "status": copy.status, "location": copy.location,
                 "reason": None, "ref": None, "ref_file": None, "date": None}
    else:
        entry = {"category": category, "barcode": barcode, "owner": None, "record": None, "title": None,
                 "file": None, "status": None, "location": None, "reason": None, "ref": None, "ref_file": None,
                 "date": None}
    if extra:
        entry.update(extra)
    return entry


def _in_window(value: str | None, start: dt.date, end: dt.date) -> bool:
    day = parse_date(value)
    return day is not None and start <= day <= end


def _status_known_at(copy: Copy, day: dt.date) -> bool:
    """The copy's recorded status already held on ``day`` (no date: assume it did)."""
    changed = parse_date(copy.status_date)
    return changed is None or changed <= day


def moves_by_barcode(moves: list[Movement], library: str) -> ByCode:
    out: ByCode = {}
    for move in moves:
        if library not in (move.source, move.target):
            continue
        for code in move.barcodes:
            out.setdefault(code, []).append(move)
    return out


def _foreign(barcode: str, copy: Copy, library: str, day: dt.date, by_code: ByCode, category: str = "foreign",
             **extra: Any) -> Entry:
    for move in by_code.get(barcode, ()):
        if move.source == copy.library and move.target == library and move.out_at(day):
            return _entry(category, barcode, copy, expected=True, reason="exchange", ref=move.id,
                          ref_file=move.file, partner=move.source, date=_dispatch_day(move), **extra)
    if copy.holder == library and copy.status == "at-partner" and _status_known_at(copy, day):
        return _entry(category, barcode, copy, expected=True, reason="status", ref=copy.status_ref,
                      ref_file=copy.file, date=copy.status_date, **extra)
    return _entry(category, barcode, copy, expected=False, **extra)


def _why_gone(barcode: str, copy: Copy, library: str, start: dt.date, end: dt.date, by_code: ByCode) -> dict[str, Any] | None:
    """Why an own copy scanned at ``start`` is absent at ``end``, if records or manifests say."""
    for move in by_code.get(barcode, ()):
        if move.source != library:
            continue
        if move.outcomes.get(barcode) in NOT_BACK_OUTCOMES \
                and move.dispatched and move.dispatched <= end:
            return {"reason": "exchange-lost", "ref": move.id, "ref_file": move.file, "partner": move.target,
                    "date": (move.returned or move.dispatched).isoformat()}
        if move.out_at(end):
            return {"reason": "exchange", "ref": move.id, "ref_file": move.file, "partner": move.target, "date": _dispatch_day(move)}
    if copy.status in AWAY_STATUSES and _in_window(copy.status_date, start, end):
        return {"reason": f"status:{copy.status}", "ref": copy.status_ref, "ref_file": copy.file,
                "date": copy.status_date}
    return None


def _why_back(barcode: str, copy: Copy, library: str, start: dt.date, end: dt.date, by_code: ByCode) -> dict[str, Any]:
    """Why an own copy not scanned at ``start`` is there at ``end``."""
    for move in by_code.get(barcode, ()):
        if move.source == library and move.returned and start <= move.returned <= end:
            return {"reason": "exchange-returned", "ref": move.id, "ref_file": move.file, "partner": move.target,
                    "date": move.returned.isoformat()}
        if move.source == library and move.out_at(start) and not move.out_at(end):
            return {"reason": "exchange-returned", "ref": move.id, "ref_file": move.file, "partner": move.target,
                    "date": move.returned.isoformat() if move.returned else None}
    if _in_window(copy.acquired, start, end):
        return {"reason": "acquired", "ref": None, "ref_file": copy.file, "date": copy.acquired}
    if copy.status in SHELF_STATUSES and _in_window(copy.status_date, start, end):
        return {"reason": "status-changed", "ref": copy.status_ref, "ref_file": copy.file, "date": copy.status_date}
    return {"reason": None, "ref": None, "ref_file": None, "date": None}


def _positions(barcodes: list[str]) -> tuple[Counter[str], dict[str, list[int]]]:
    """How often each barcode was scanned, and the 1-based positions of those scanned more than once."""
    counts = Counter(barcodes)
    repeated = {code for code, n in counts.items() if n > 1}
    positions: dict[str, list[int]] = {}
    if repeated:
        for i, code in enumerate(barcodes, start=1):
            if code in repeated:
                positions.setdefault(code, []).append(i)
    return counts, positions


def check_pair(before: dict[str, Any], after: dict[str, Any]) -> tuple[dt.date, dt.date]:
    if before.get("library") != after.get("library"):
        raise LibsyncError("inventory.different_libraries", before=before.get("library"), after=after.get("library"))
    start, end = parse_date(before.get("date")), parse_date(after.get("date"))
    if start is None or end is None:
        raise LibsyncError("inventory.bad_date", value=before.get("date") if start is None else after.get("date"))
    if start > end:
        raise LibsyncError("inventory.dates_order", before=before.get("id"), before_date=start.isoformat(),
                           after=after.get("id"), after_date=end.isoformat())
    return start, end


def diff(before: dict[str, Any], after: dict[str, Any], index: CopyIndex, moves: list[Movement],
         before_file: str | None = None, after_file: str | None = None) -> Report:
    """Classify every barcode of two snapshots of one library (see module docstring)."""
    start, end = check_pair(before, after)
    library = before["library"]
    by_code = moves_by_barcode(moves, library)
    b_list, a_list = before.get("barcodes") or [], after.get("barcodes") or []
    b_count, b_twice = _positions(b_list)
    a_count, a_twice = _positions(a_list)
    lookup = index.copies.get
    entries: list[Entry] = []
    add = entries.append
    for barcode in dict.fromkeys(b_list + a_list):
        in_b, in_a = barcode in b_count, barcode in a_count
        copy = lookup(barcode)
        if copy is None:
            add(_entry("unknown", barcode, None))
            continue
        if copy.library != library:
            add(_foreign(barcode, copy, library, end if in_a else start, by_code))
            continue
        if in_a and copy.status in CONFLICT_STATUSES and _status_known_at(copy, end):
            add(_entry("conflict", barcode, copy, reason=f"status:{copy.status}", ref=copy.status_ref,
                       ref_file=copy.file, date=copy.status_date))
            continue
        if in_b and in_a:
            base, info = "present", None
        elif in_b:
            info = _why_gone(barcode, copy, library, start, end, by_code)
            base = "explained" if info else "missing"
        else:
            base, info = "returned", _why_back(barcode, copy, library, start, end, by_code)
        if barcode in b_twice or barcode in a_twice:
            where = {"before": b_twice.get(barcode, []), "after": a_twice.get(barcode, [])}
            scans = {"before": b_count.get(barcode, 0), "after": a_count.get(barcode, 0)}
            add(_entry("twice", barcode, copy, where=where, scans=scans, base=base, **(info or {})))
        elif info:
            add(_entry(base, barcode, copy, **info))
        else:
            add(_entry(base, barcode, copy))
    return _report("diff", library, entries, before=_side(before, before_file), after=_side(after, after_file))


def _side(snapshot: dict[str, Any], relpath: str | None) -> dict[str, Any]:
    return {"id": snapshot.get("id"), "label": snapshot.get("label"), "date": snapshot.get("date"),
            "file": relpath, "count": len(snapshot.get("barcodes") or []),
            "unique": len(set(snapshot.get("barcodes") or [])), "taken_by": snapshot.get("taken_by"),
            "location": snapshot.get("location")}


def _report(kind: str, library: str, entries: list[Entry], **sides: Any) -> Report:
    order = {c: i for i, c in enumerate(CATEGORIES)}
    entries.sort(key=lambda e: order[e["category"]])  # stable: scan order inside a category
    counts = Counter(e["category"] for e in entries)
    return {"kind": kind, "library": library, **sides,
            "counts": {c: counts.get(c, 0) for c in CATEGORIES}, "entries": entries}


def failing(report: Report, fail_on: set[str]) -> list[str]:
    """The categories of ``fail_on`` that have entries (``foreign`` counts only unexpected ones)."""
    hits = []
    for category in fail_on:
        entries = [e for e in report["entries"] if e["category"] == category]
        if category == "foreign":
            entries = [e for e in entries if not e.get("expected")]
        if entries:
            hits.append(category)
    return sorted(hits, key=CATEGORIES.index)
