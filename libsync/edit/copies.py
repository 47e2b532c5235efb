"""The status of copies, set by hand: ``copy set BARCODE… --status lost --ref "Biên bản số …"``.

A librarian records what happened to copies on her shelf — lost, damaged, written off
(withdrawn), or back in service (available) — with the document that says so (``status_ref``,
e.g. the minutes' number), the day (``status_date``) and optionally a note, for several copies
at once or for every barcode of a scan file (``libsync.inventory.scan``).

Copies are found through the store's copy index (``libsync.store.copies``) across the whole
network, barcodes compared case-insensitively as validate compares them. All or nothing: one
unknown barcode, one copy of another library (with ``library``), or one copy away in a
rotation (at a partner or in transit: its status is the exchange lifecycle's to set, through
``libsync exchange``) refuses the whole command and nothing is written.

This module never opens a YAML file (the store reads, ``libsync.store.write`` writes), never
prints, and never touches a copy's holder or a manifest.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from libsync import labels
from libsync.edit import check_day, finish, read_now, today
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import DOCUMENTED_STATUSES, HAND_SET_STATUSES, ROTATING_STATUSES
from libsync.text import nfc

if TYPE_CHECKING:
    from libsync.repository import Repository
    from libsync.store.copies import Copy, CopyIndex

SETTABLE = HAND_SET_STATUSES
NEED_REF = DOCUMENTED_STATUSES
MAX_LISTED = 20


@dataclass
class CopyChange:
    barcode: str
    library: str
    record: str
    file: str
    title: str
    old: dict[str, Any]
    new: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        return {"barcode": self.barcode, "library": self.library, "record": self.record, "file": self.file,
                "title": self.title, "old": self.old, "new": self.new}


@dataclass
class CopyEdit:
    """What ``set_status`` did (or, in a dry run, would do)."""

    status: str
    ref: str | None
    date: str
    changed: list[CopyChange] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)     # barcodes already so
    warnings: list[str] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    written: bool = False
    dry_run: bool = False
    commit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"status": self.status, "ref": self.ref, "date": self.date,
                "changed": [c.to_dict() for c in self.changed], "unchanged": list(self.unchanged),
                "warnings": list(self.warnings), "files": list(self.files), "written": self.written,
                "dry_run": self.dry_run, "commit": self.commit}


def _shown(items: Sequence[str]) -> str:
    more = len(items) - MAX_LISTED
    return ", ".join(items[:MAX_LISTED]) + (f", … (+{more})" if more > 0 else "")


def _wanted(barcodes: Sequence[str], scan: str | os.PathLike[str] | None,
            warnings: list[str]) -> list[tuple[str, str | None]]:
    """(barcode, where it was read) for every barcode given and every one of the scan file."""
    wanted: list[tuple[str, str | None]] = [(nfc(b).strip(), None) for b in barcodes if nfc(b).strip()]
    if scan is not None:
        from libsync.inventory.scan import read_scan

        result = read_scan(os.fspath(scan))
        warnings.extend(f"{p.where}: {p.message}" for p in result.warnings)
        wanted += [(code, t("edit.copy.scan_line", path=os.fspath(scan), line=line))
                   for code, line in zip(result.barcodes, result.lines)]
    if not wanted:
        raise LibsyncError("edit.copy.no_barcodes")
    return wanted


def _find(index: CopyIndex, wanted: list[tuple[str, str | None]], library: str | None,
          warnings: list[str]) -> list[Copy]:
    """The copies asked for, each once; every barcode that is unknown, of another library or
    away in a rotation refuses the whole command."""
    found: dict[str, Copy] = {}
    unknown: list[str] = []
    foreign: list[str] = []
    for code, where in wanted:
        ref = index.get(code)
        if ref is None:
            unknown.append(f"{code} ({where})" if where else code)
            continue
        if library is not None and ref.library != library:
            foreign.append(f"{ref.barcode} ({ref.library}/{ref.record})")
            continue
        if ref.barcode in found:
            warnings.append(t("edit.copy.twice", barcode=ref.barcode))
            continue
        found[ref.barcode] = ref
    if unknown:
        raise LibsyncError("edit.copy.unknown", exit_code=1, count=len(unknown), barcodes=_shown(unknown))
    if foreign:
        raise LibsyncError("edit.copy.not_owned", exit_code=1, library=library, count=len(foreign),
                           barcodes=_shown(foreign))
    away = [ref for ref in found.values() if ref.status in ROTATING_STATUSES or ref.holder != ref.library]
    if away:
        lines = []
        exchanges: list[str] = []
        for ref in away:
            ids = index.active.get(ref.barcode) or ([ref.status_ref] if ref.status_ref else [])
            exchanges += [e for e in ids if e not in exchanges]
            lines.append(t("edit.copy.away_one", barcode=ref.barcode, status=t(f"inventory.status.{ref.status}"),
                           holder=ref.holder, exchange=", ".join(ids) or "—"))
        raise LibsyncError("edit.copy.away", exit_code=1, count=len(away), copies="\n".join(f"  {x}" for x in lines),
                           exchange=exchanges[0] if exchanges else "ID")
    return list(found.values())


def set_status(repo: Repository, barcodes: Sequence[str], status: str, *, ref: str | None = None,
               date: str | None = None, note: str | None = None, library: str | None = None,
               scan: str | os.PathLike[str] | None = None, commit: bool = False,
               dry_run: bool = False) -> CopyEdit:
    """Set ``status`` (with ``ref``, ``date`` — today by default — and ``note``) on every copy
    named by ``barcodes`` and ``scan``, all or none (see the module docstring)."""
    from libsync.store.copies import CopyIndex

    status = status.strip().lower()
    if status not in SETTABLE:
        raise LibsyncError("edit.copy.bad_status", status=status,
                           choices=", ".join(labels.coded("item-status", code) for code in SETTABLE))
    ref = nfc(ref).strip() if ref else None
    note = nfc(note).strip() if note else None
    if status in NEED_REF and not ref:
        raise LibsyncError("edit.copy.ref_required", status=labels.item_status(status))
    if library is not None:
        repo.network.library(library)
    day = check_day(date, today()) or today()
    outcome = CopyEdit(status, ref, day, dry_run=dry_run)
    wanted = _wanted(barcodes, scan, outcome.warnings)
    index = CopyIndex.build(repo)
    copies = _find(index, wanted, library, outcome.warnings)
    for ref_copy in copies:
        pending = index.active.get(ref_copy.barcode, [])
        if pending and status != "available":   # promised to a partner, not sent yet
            outcome.warnings.append(t("edit.copy.in_proposal", barcode=ref_copy.barcode, exchanges=", ".join(pending)))
    by_file: dict[str, list[Copy]] = {}
    for ref_copy in copies:
        by_file.setdefault(ref_copy.file or repo.record_relpath(ref_copy.library, ref_copy.record), []).append(ref_copy)
    texts: dict[str, str] = {}
    current, expected = read_now(repo, sorted(by_file))   # as the files are now
    for relpath, refs in sorted(by_file.items()):
        data = current[relpath]
        items = {item.get("barcode"): item for item in data.get("items") or [] if isinstance(item, dict)}
        touched = False
        for ref_copy in refs:
            item = items.get(ref_copy.barcode)
            if item is None:   # changed since the index was made: never guess
                raise LibsyncError("edit.copy.moved", exit_code=1, barcode=ref_copy.barcode, file=relpath)
            old = {k: item.get(k) for k in ("status", "status_date", "status_ref", "note")}
            if old["status"] == status and old["status_ref"] == ref and (note is None or old["note"] == note):
                outcome.unchanged.append(ref_copy.barcode)
                continue
            item["status"] = status
            item["status_date"] = day
            if ref:
                item["status_ref"] = ref
            else:
                item.pop("status_ref", None)    # an old reason would explain a status the copy no longer has
            if note is not None:
                item["note"] = note
            new = {k: item.get(k) for k in ("status", "status_date", "status_ref", "note")}
            outcome.changed.append(CopyChange(ref_copy.barcode, ref_copy.library, ref_copy.record, relpath,
                                              ref_copy.title, old, new))
            touched = True
        if touched:
            texts[relpath] = repo.render("record", data)
    outcome.files = sorted(texts)
    if not texts:
        return outcome
    message = t("edit.commit.copy_set", count=len(outcome.changed), status=status, ref=ref or "—")
    message += "\n\n" + "\n".join(f"{c.barcode} ({c.library}/{c.record}): {c.old['status']} → {status}"
                                  for c in outcome.changed)
    outcome.commit = finish(repo, texts, message=message, command="copy set", commit=commit, dry_run=dry_run,
                            expected={rel: expected[rel] for rel in texts})
    outcome.written = not dry_run
    return outcome
