"""Recording and finding inventory snapshots (inventories/<LIB>/<id>.yaml + raw/ scan).

A snapshot keeps the scanned barcodes in order, who took it and when, optional location
sections, and a reference (file name, format, SHA-256, encoding) to the raw scan, which is
stored byte-for-byte under ``inventories/<LIB>/raw/``. Both files are written through the
store's write path (locked, all or none): either both land or neither does.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from libsync import schemas
from libsync.errors import LibsyncError
from libsync.inventory.index import cached_load
from libsync.inventory.scan import ScanResult, read_scan
from libsync.network import parse_date
from libsync.store import lock
from libsync.store import write as store_write
from libsync.text import fold, nfc

if TYPE_CHECKING:
    from libsync.problems import Problem
    from libsync.repository import Repository

CATALOG_REFS = ("catalog", "catalogue", "now")
RAW_SUFFIXES = {"text": ".txt", "csv": ".csv", "xlsx": ".xlsx"}
_ID_OK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")


def slug(text: str, limit: int = 50) -> str:
    words = fold(text).split()
    out = "-".join(words)[:limit].strip("-")
    return out or "kiem-ke"


def check_date(value: str | dt.date | None, what: str = "date") -> dt.date:
    if value is None:
        return dt.date.today()
    day = parse_date(value)
    if day is None:
        raise LibsyncError("inventory.bad_date", value=str(value))
    return day


def record_snapshot(repo: Repository, library: str, scan_path: str | Path, **kwargs: Any) -> dict[str, Any]:
    """``_record_snapshot`` under the repository lock (no two snapshots race for one id)."""
    with lock.locked(repo.root, f"inventory record {library}"):
        return _record_snapshot(repo, library, scan_path, **kwargs)


def _record_snapshot(repo: Repository, library: str, scan_path: str | Path, *, label: str, date: str | dt.date | None = None,
                    location: str | None = None, taken_by: str | None = None, exchange: str | None = None,
                    snapshot_id: str | None = None, encoding: str | None = None, notes: str | None = None,
                    scan: ScanResult | None = None) -> dict[str, Any]:
    """Store a snapshot of ``scan_path`` for ``library``; returns what was written.

    Result: ``{"snapshot": relpath, "raw": relpath, "data": snapshot dict, "scan": ScanResult}``.
    Refuses (``LibsyncError``, nothing written) an unknown library, an empty or badly
    encoded scan, a bad date or id, and an id that already exists.
    """
    repo.network.library(library)
    label = nfc((label or "").strip())
    if not label:
        raise LibsyncError("inventory.no_label")
    day = check_date(date)
    scan = scan or read_scan(scan_path, encoding=encoding)
    snapshot_id = snapshot_id or f"{day.isoformat()}-{slug(label)}"
    if not _ID_OK.match(snapshot_id):
        raise LibsyncError("inventory.bad_id", id=snapshot_id)
    relpath = repo.inventory_relpath(library, snapshot_id)
    raw_rel = f"inventories/{library}/raw/{snapshot_id}{RAW_SUFFIXES[scan.format]}"
    for rel in (relpath, raw_rel):
        if repo.path(rel).exists():
            raise LibsyncError("inventory.snapshot_exists", path=rel, id=snapshot_id)
    data: dict[str, Any] = {"id": snapshot_id, "library": library, "label": label, "date": day.isoformat()}
    if taken_by:
        data["taken_by"] = nfc(taken_by.strip())
    if location:
        data["location"] = nfc(location.strip())
    if exchange:
        from libsync.rotation.queries import find as find_exchange

        find_exchange(repo, exchange)   # an exchange that does not exist is refused, not recorded
        data["exchange"] = exchange
    source = {"file": raw_rel, "format": scan.format, "sha256": scan.sha256}
    if scan.encoding:
        source["encoding"] = scan.encoding
    data["source"] = source
    if scan.sections:
        data["sections"] = [dict(s) for s in scan.sections]
    data["barcodes"] = list(scan.barcodes)
    if notes:
        data["notes"] = nfc(notes.strip())
    if not schemas.fast_validator("inventory").is_valid(data):
        from libsync.validation.schema_errors import first_problem

        # jsonschema-rs found it invalid, so python-jsonschema names a problem
        problem = cast("Problem", first_problem("inventory", data, "", relpath))
        raise LibsyncError("inventory.invalid_snapshot", reason=problem.message.rstrip("."))
    # the snapshot and its raw scan land together or not at all; the snapshot is checked as
    # `libsync validate` would check it (size included) before anything is written
    store_write.apply(repo, {relpath: repo.render("inventory", data), raw_rel: scan.raw},
                      command=f"inventory record {library}")
    return {"snapshot": relpath, "raw": raw_rel, "data": data, "scan": scan}


def snapshot_files(repo: Repository, library: str | None = None) -> list[str]:
    files = repo.data_files(("inventory",))
    if library:
        files = [f for f in files if f.startswith(f"inventories/{library}/")]
    return files


def resolve(repo: Repository, ref: str) -> str:
    """The relative path of snapshot ``ref``: a path, ``LIB/id`` or an id unique in the network."""
    ref = ref.strip()
    candidates: list[str] = []
    path = Path(ref)
    if path.suffix in (".yaml", ".yml"):
        full = path if path.is_absolute() else (Path.cwd() / path)
        if full.is_file():
            try:
                return repo.relpath(full)
            except ValueError:
                raise LibsyncError("inventory.outside_repo", path=ref) from None
        if repo.path(ref).is_file():
            return Path(ref).as_posix()
        raise LibsyncError("file.not_found", path=ref)
    if "/" in ref:
        lib, sid = ref.split("/", 1)
        candidates = [repo.inventory_relpath(lib, sid)]
    else:
        candidates = [f for f in snapshot_files(repo) if Path(f).stem == ref]
    found = [c for c in candidates if repo.path(c).is_file()]
    if not found:
        raise LibsyncError("inventory.snapshot_not_found", ref=ref)
    if len(found) > 1:
        raise LibsyncError("inventory.snapshot_ambiguous", ref=ref, paths=", ".join(found))
    return found[0]


def load_snapshot(repo: Repository, ref: str) -> tuple[str, dict[str, Any]]:
    """(relpath, data) of a snapshot, checked against the schema and the network."""
    relpath = resolve(repo, ref)
    data: dict[str, Any] = cached_load(repo, relpath)
    if not schemas.fast_validator("inventory").is_valid(data):
        from libsync.validation.schema_errors import first_problem

        try:
            text = repo.path(relpath).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            text = ""
        problem = cast("Problem", first_problem("inventory", data, text, relpath))   # invalid: see above
        raise LibsyncError("inventory.snapshot_invalid", path=problem.where, reason=problem.message)
    library = data["library"]
    if library not in repo.network.libraries:
        raise LibsyncError("repo.unknown_library", code=library, known=", ".join(sorted(repo.network.libraries)))
    if parse_date(data["date"]) is None:
        raise LibsyncError("inventory.bad_date", value=data["date"])
    return relpath, data
