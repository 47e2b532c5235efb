"""Shelf check: a scan compared with what the catalogue says should be on the shelf now.

"On the shelf" at library L on day D:

* L's own copies whose status is available or damaged, held by L, and not away in an
  exchange that is out on D (dispatched, not yet returned);
* other libraries' copies that an exchange brought to L and that are still out on D, or
  that the catalogue records as ``at-partner`` with holder L.

Copies of digital records (files) are never expected. Copies lent (on-loan), at a
partner, in transit, lost or withdrawn are not expected.
Categories: present, missing, unknown, foreign (expected/unexpected), conflict, twice —
the same ids as ``diff`` so reports and minutes share one renderer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from libsync.inventory.diff import Entry, Report, _dispatch_day, _entry, _report, _status_known_at, moves_by_barcode
from libsync.inventory.index import CopyIndex, Movement
from libsync.model.enums import SHELF_STATUSES


def expected_on_shelf(index: CopyIndex, moves: list[Movement], library: str, day: dt.date) -> dict[str, dict[str, Any]]:
    """barcode → why it is expected (``{"reason", "ref", "ref_file"}``), in catalogue order."""
    away: dict[str, Movement] = {}
    brought: dict[str, Movement] = {}
    for move in moves:
        if not move.out_at(day):
            continue
        if move.source == library:
            for code in move.barcodes:
                away[code] = move
        elif move.target == library:
            for code in move.barcodes:
                if move.outcomes.get(code) not in ("lost", "missing-on-receipt"):
                    brought[code] = move
    expected: dict[str, dict[str, Any]] = {}
    for code, copy in index.copies.items():
        if copy.type == "digital":
            continue
        if copy.library == library:
            if copy.status in SHELF_STATUSES and copy.holder == library and code not in away:
                expected[code] = {"reason": "own", "ref": None, "ref_file": copy.file}
        elif code in brought:
            move = brought[code]
            expected[code] = {"reason": "exchange", "ref": move.id, "ref_file": move.file, "partner": move.source}
        elif copy.holder == library and copy.status == "at-partner" and _status_known_at(copy, day):
            expected[code] = {"reason": "status", "ref": copy.status_ref, "ref_file": copy.file}
    return expected


def catalog_snapshot(index: CopyIndex, moves: list[Movement], library: str, day: dt.date | None = None) -> dict[str, Any]:
    """A virtual snapshot: what the catalogue says is on ``library``'s shelves on ``day``."""
    day = day or dt.date.today()
    return {"id": "catalog", "library": library, "label": "catalog", "date": day.isoformat(),
            "barcodes": list(expected_on_shelf(index, moves, library, day))}


def check(barcodes: list[str], library: str, index: CopyIndex, moves: list[Movement], day: dt.date | None = None,
          scan_file: str | None = None, lines: list[int] | None = None) -> Report:
    """Classify a shelf scan of ``library`` against the catalogue on ``day`` (default today)."""
    day = day or dt.date.today()
    expected = expected_on_shelf(index, moves, library, day)
    by_code = moves_by_barcode(moves, library)
    lines = lines or list(range(1, len(barcodes) + 1))
    positions: dict[str, list[int]] = {}
    for code, line in zip(barcodes, lines):
        positions.setdefault(code, []).append(line)
    entries: list[Entry] = []
    for code, where in positions.items():
        copy = index.get(code)
        at = {"scan": where}
        if copy is None:
            entries.append(_entry("unknown", code, None, where=at))
            continue
        if copy.library != library:
            why = expected.get(code)
            if why:
                entries.append(_entry("foreign", code, copy, where=at, expected=True, reason=why["reason"],
                                      ref=why["ref"], ref_file=why["ref_file"], partner=why.get("partner")))
            else:
                entries.append(_entry("foreign", code, copy, where=at, expected=False))
            continue
        if code not in expected:
            move = next((m for m in by_code.get(code, ()) if m.source == library and m.out_at(day)), None)
            if move is not None:
                entries.append(_entry("conflict", code, copy, where=at, reason="exchange", ref=move.id,
                                      ref_file=move.file, partner=move.target, date=_dispatch_day(move)))
            else:
                entries.append(_entry("conflict", code, copy, where=at, reason=f"status:{copy.status}",
                                      ref=copy.status_ref, ref_file=copy.file, date=copy.status_date))
            continue
        if len(where) > 1:
            entries.append(_entry("twice", code, copy, where=at, base="present"))
        else:
            entries.append(_entry("present", code, copy, where=at))
    for code in expected:
        if code not in positions:
            entries.append(_entry("missing", code, index.get(code), where={"scan": []}))
    return _report("check", library, entries,
                   scan={"file": scan_file, "date": day.isoformat(), "count": len(barcodes),
                         "unique": len(positions), "expected": len(expected)})
