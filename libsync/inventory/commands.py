"""The work of each ``libsync inventory`` command, as library functions: plain data in and out.

The command line (``libsync.cli.inventory``) only parses arguments, calls one of these and
renders what it returns; everything here can be called from Python the same way.

* ``record(repo, library, scan_file, label=…, …) -> dict`` stores a snapshot and its raw scan.
* ``diff_snapshots(repo, before, after, library=, date=, use_cache=) -> Report`` compares two
  snapshots (or a snapshot and the catalogue: ``catalog`` as either side).
* ``check_scan(repo, library, scan_file, date=, encoding=, use_cache=) -> Report`` compares a
  shelf scan with what the catalogue says should be on the shelf.
* ``finish(report, network, fail_on, minutes)`` writes the minutes, if asked, and returns the
  ``--fail-on`` categories that have entries.
* ``list_snapshots(repo, library)`` / ``show_snapshot(repo, ref)``: the stored snapshots.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from libsync.errors import LibsyncError
from libsync.inventory.check import catalog_snapshot, check
from libsync.inventory.diff import CATEGORIES, Report, diff, failing
from libsync.inventory.index import CopyIndex, Movement, movements
from libsync.inventory.scan import ScanResult, check_encoding, read_scan
from libsync.inventory.snapshot import CATALOG_REFS, check_date, load_snapshot, record_snapshot, snapshot_files

if TYPE_CHECKING:
    from pathlib import Path

    from libsync.network import Network
    from libsync.repository import Repository


def parse_fail_on(value: str | None) -> set[str]:
    """``--fail-on missing,unknown`` → the categories; an unknown one is a usage error."""
    if not value:
        return set()
    chosen = {v.strip().lower() for v in value.split(",") if v.strip()}
    for v in chosen:
        if v not in CATEGORIES:
            raise LibsyncError("inventory.bad_fail_on", value=v, choices=",".join(CATEGORIES))
    return chosen


def check_minutes_path(path: str | None) -> None:
    """Refuse a minutes file name whose format is unknown, before any work is done."""
    if path:
        from libsync.render.document import format_of

        format_of(path)


def record(repo: Repository, library: str, scan_file: str | Path, *, label: str, date: str | None = None,
           location: str | None = None, taken_by: str | None = None, exchange: str | None = None,
           snapshot_id: str | None = None, encoding: str | None = None) -> dict[str, Any]:
    """Store a snapshot of ``scan_file`` for ``library`` (``libsync inventory record``).

    Returns what was written, as plain data: ``snapshot`` and ``raw`` (relative paths), ``id``,
    ``library``, ``date``, ``count`` and ``unique`` barcodes, ``sections`` and ``warnings`` (the
    scan's ``Problem``s, e.g. a line that is not a barcode)."""
    check_encoding(encoding)
    result = record_snapshot(repo, library, scan_file, label=label, date=date, location=location,
                             taken_by=taken_by, exchange=exchange, snapshot_id=snapshot_id, encoding=encoding)
    scan: ScanResult = result["scan"]
    return {"snapshot": result["snapshot"], "raw": result["raw"], "id": result["data"]["id"], "library": library,
            "date": result["data"]["date"], "count": len(scan.barcodes), "unique": len(set(scan.barcodes)),
            "sections": scan.sections, "warnings": list(scan.warnings)}


def diff_snapshots(repo: Repository, before: str, after: str, *, library: str | None = None,
                   date: str | None = None, use_cache: bool = True) -> Report:
    """Compare two snapshots of one library (``libsync inventory diff``).

    ``before`` and ``after`` are snapshot references (a path, ``LIB/id`` or an id) or
    ``catalog``: what the catalogue says is on the shelf on ``date`` (default today) — the
    library is then ``library`` or the other side's."""
    sides: list[tuple[str | None, dict[str, Any] | None]] = []
    for ref in (before, after):
        sides.append((None, None) if ref.lower() in CATALOG_REFS else load_snapshot(repo, ref))
    lib = library or next((d["library"] for _, d in sides if d), None)
    if lib is None:
        raise LibsyncError("inventory.catalog_library")
    repo.network.library(lib)
    index = CopyIndex.build(repo, use_cache=use_cache)
    moves = movements(repo)
    day = check_date(date)
    resolved = [(rel, data) if data else ("catalog", catalog_snapshot(index, moves, lib, day)) for rel, data in sides]
    (b_rel, b_data), (a_rel, a_data) = resolved
    report = diff(b_data, a_data, index, moves, b_rel, a_rel)
    report["register"] = register_totals(repo, lib, a_data.get("barcodes") or [], str(a_data.get("date")), moves)
    return report


def register_totals(repo: Repository, library: str, barcodes: Iterable[str], day: str,
                    moves: list[Movement]) -> dict[str, Any]:
    """The stocktake against the general register on ``day`` (``collection.registers.stocktake_counts``):
    the report's ``register``, which the minutes total."""
    from libsync.collection.registers import library_copies, stocktake_counts

    return {"date": day, **stocktake_counts(library_copies(repo, library), barcodes, library, day, moves)}


def check_scan(repo: Repository, library: str, scan_file: str | Path, *, date: str | None = None,
               encoding: str | None = None, use_cache: bool = True,
               on_scan: Callable[[ScanResult], None] | None = None) -> Report:
    """Compare a shelf scan of ``library`` with the catalogue on ``date`` (``libsync inventory check``).

    ``on_scan`` is called with the scan as soon as it is read, before the copies of the whole
    network are indexed: the command line shows the scan's warnings then."""
    check_encoding(encoding)
    repo.network.library(library)
    day = check_date(date)
    scan = read_scan(scan_file, encoding=encoding)
    if on_scan is not None:
        on_scan(scan)
    index = CopyIndex.build(repo, use_cache=use_cache)
    moves = movements(repo)
    report = check(scan.barcodes, library, index, moves, day, scan_file=str(scan_file), lines=scan.lines)
    report["register"] = register_totals(repo, library, scan.barcodes, report["scan"]["date"], moves)
    return report


def finish(report: Report, network: Network, fail_on: Iterable[str] = (),
           minutes: str | os.PathLike[str] | None = None) -> list[str]:
    """Write the minutes of ``report`` to ``minutes`` (if given); the ``fail_on`` categories
    that have entries (``libsync inventory diff|check --fail-on``: exit 1 if any)."""
    if minutes:
        from libsync.inventory.minutes import write_minutes

        write_minutes(report, network, minutes)
    return failing(report, set(fail_on))


def list_snapshots(repo: Repository, library: str | None = None) -> list[dict[str, Any]]:
    """One row per stored snapshot (of ``library``, or all), by library, date and id."""
    if library:
        repo.network.library(library)
    items: list[dict[str, Any]] = []
    for rel in snapshot_files(repo, library):
        data = repo.load(rel)
        codes = data.get("barcodes") or []
        items.append({"id": data.get("id"), "library": data.get("library"), "date": data.get("date"),
                      "label": data.get("label"), "count": len(codes), "file": rel})
    items.sort(key=lambda i: (i["library"] or "", i["date"] or "", i["id"] or ""))
    return items


def show_snapshot(repo: Repository, ref: str) -> dict[str, Any]:
    """The snapshot ``ref`` (checked against the schema and the network) with its ``file``."""
    rel, data = load_snapshot(repo, ref)
    return {"file": rel, **data}
