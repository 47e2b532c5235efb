"""The copies of the whole network by barcode, and the exchanges that move them.

A stocktake needs, for every copy, only a few fields: owner, record, holder, status and
why. ``CopyIndex.build`` reads every record file strictly (``yamlio``) but keeps a parsed
cache outside the repository (see ``libsync.cachedir``), keyed by each file's
``(relative path, size, mtime_ns)``: an unchanged file is never parsed twice, a changed
one always is. A cold build with many files parses them on both cores.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from libsync import yamlio
from libsync.atomic import write_atomic
from libsync.cachedir import repo_cache_dir
from libsync.errors import LibsyncError
from libsync.network import parse_date

CACHE_VERSION = 2
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


def _parse_record(args: tuple[str, str]) -> tuple[str, object]:
    """(relpath, row) — row is [library, id, title, [item rows], type] or an error tuple."""
    path, relpath = args
    loaded = yamlio.load_file(Path(path), relpath)
    data = loaded.data
    if not loaded.ok or not isinstance(data, dict):
        first = next((p for p in loaded.problems if p.severity == "error"), None)
        where = f"{relpath}:{first.line}" if first and first.line else relpath
        return relpath, ("error", where, first.message if first else "?")
    library = str(data.get("library") or relpath.split("/")[1])
    items = []
    for item in data.get("items") or []:
        if isinstance(item, dict) and item.get("barcode"):
            items.append([None if item.get(f) is None else str(item.get(f)) for f in ITEM_FIELDS])
    return relpath, [library, str(data.get("id") or Path(relpath).stem), str(data.get("title") or ""), items,
                     data.get("type")]


def _record_files(root: Path) -> list[tuple[str, os.stat_result]]:
    base = root / "records"
    out = []
    if not base.is_dir():
        return out
    with os.scandir(base) as libs:
        for lib in sorted(libs, key=lambda e: e.name):
            if lib.name.startswith(".") or not lib.is_dir():
                continue
            with os.scandir(lib.path) as files:
                for entry in files:
                    if entry.name.startswith(".") or not entry.name.endswith((".yaml", ".yml")):
                        continue
                    out.append((f"records/{lib.name}/{entry.name}", entry.stat()))
    out.sort()
    return out


class CopyIndex:
    """barcode → ``Copy`` for every copy in the network, with build statistics."""

    def __init__(self, copies: dict[str, Copy], stats: dict | None = None) -> None:
        self.copies = copies
        self.stats = stats or {}

    def get(self, barcode: str) -> Copy | None:
        return self.copies.get(barcode)

    def __contains__(self, barcode: str) -> bool:
        return barcode in self.copies

    def __len__(self) -> int:
        return len(self.copies)

    @classmethod
    def build(cls, root: str | os.PathLike, use_cache: bool = True, workers: int | None = None) -> "CopyIndex":
        root = Path(root)
        cache_file = repo_cache_dir(root) / "inventory-index.json"
        cached: dict = {}
        if use_cache:
            try:
                blob = json.loads(cache_file.read_text(encoding="utf-8"))
                if blob.get("version") == CACHE_VERSION:
                    cached = blob.get("files", {})
            except (OSError, ValueError):
                cached = {}
        files = _record_files(root)
        rows: dict[str, list] = {}
        todo: list[tuple[str, str]] = []
        fresh: dict[str, list] = {}
        for relpath, st in files:
            entry = cached.get(relpath)
            if entry and entry[0] == st.st_size and entry[1] == st.st_mtime_ns:
                rows[relpath] = entry[2]
                fresh[relpath] = entry
            else:
                todo.append((str(root / relpath), relpath))
        stats = {"files": len(files), "parsed": len(todo), "cached": len(files) - len(todo)}
        if todo:
            workers = workers if workers is not None else min(2, os.cpu_count() or 1)
            if workers > 1 and len(todo) >= PARALLEL_THRESHOLD:
                with ProcessPoolExecutor(max_workers=workers) as pool:
                    results = list(pool.map(_parse_record, todo, chunksize=256))
            else:
                results = [_parse_record(job) for job in todo]
            stat_of = dict(files)
            for relpath, row in results:
                if isinstance(row, tuple):
                    raise LibsyncError("file.unreadable", path=row[1], reason=row[2])
                rows[relpath] = row
                st = stat_of[relpath]
                fresh[relpath] = [st.st_size, st.st_mtime_ns, row]
        if use_cache and (todo or len(fresh) != len(cached)):
            try:
                cache_file.parent.mkdir(parents=True, exist_ok=True)
                write_atomic(cache_file, json.dumps({"version": CACHE_VERSION, "files": fresh},
                                                    ensure_ascii=False, separators=(",", ":")))
            except (LibsyncError, OSError):
                pass  # a cache that cannot be written only costs time
        copies: dict[str, Copy] = {}
        duplicates: list[str] = []
        for relpath, _ in files:  # file order, so "first copy wins" is the same cold or warm
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


def cached_load(repo, relpath: str) -> dict:
    """``repo.load(relpath)`` through a parsed-file cache keyed by (path, size, mtime_ns).

    Used for snapshots (100,000 barcodes are slow to parse as YAML, fast as JSON). The
    file is still read strictly on the first use and after every change.
    """
    path = repo.path(relpath)
    try:
        st = path.stat()
    except OSError:
        return repo.load(relpath)
    digest = hashlib.sha256(relpath.encode()).hexdigest()[:20]
    cache_file = repo_cache_dir(repo.root) / "inventory-files" / f"{digest}.json"
    try:
        blob = json.loads(cache_file.read_text(encoding="utf-8"))
        if blob.get("key") == [CACHE_VERSION, relpath, st.st_size, st.st_mtime_ns]:
            return blob["data"]
    except (OSError, ValueError, AttributeError):
        pass
    data = repo.load(relpath)
    try:
        cache_file.parent.mkdir(parents=True, exist_ok=True)
        write_atomic(cache_file, json.dumps({"key": [CACHE_VERSION, relpath, st.st_size, st.st_mtime_ns], "data": data},
                                            ensure_ascii=False, separators=(",", ":")))
    except (LibsyncError, OSError, TypeError, ValueError):
        pass
    return data


# --- exchanges ----------------------------------------------------------------------------

_ORDER = ("proposed", "approved", "dispatched", "received", "returned", "closed")


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
