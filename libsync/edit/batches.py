"""Rotation batches (bộ luân chuyển) in network.yaml, edited by command: ``batch add|set|remove``.

A batch names one library's copies by a filter (see ``libsync.rotation.batches`` for what each
filter field means and ``docs/rotation.md``). Here a batch is checked more closely than the
schema checks it, so a typo never makes a batch that quietly holds nothing: the library is in
network.yaml, the group exists and the library is one of its members, record types are the
schema's, grades are 1–12, named barcodes are copies of that library, named records exist in
it, and the filter says something (an empty filter would send the whole library). After the
change the batch is resolved against the copy index, so the librarian sees how many copies it
holds now and how many are left out.

network.yaml is read through the store and written through ``libsync.store.write.apply``,
which keeps the comments its author wrote. A batch still used by an open exchange is not
removed. This module never opens a YAML file and never prints.
"""

from __future__ import annotations

import copy
import difflib
import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from libsync.edit import finish, read_now
from libsync.edit.records import FieldChange, library_ids, value_text
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import EXCHANGE_OPEN, RECORD_TYPES, SAFE_ID
from libsync.network import Network
from libsync.repository import NETWORK_FILE
from libsync.text import nfc

if TYPE_CHECKING:
    from libsync.repository import Repository
    from libsync.store.copies import CopyIndex

_SAFE_ID = SAFE_ID   # network.yaml's safe_id is the record schema's
FILTER_FIELDS = ("type", "grade", "subject", "series", "call_number", "barcodes", "records")
CLEARABLE = ("group", "notes", *FILTER_FIELDS)
MAX_LISTED = 20


@dataclass
class BatchEdit:
    """What ``add_batch``, ``set_batch`` or ``remove_batch`` did (or would do, in a dry run)."""

    action: str                       # add | set | remove
    id: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None
    changes: list[FieldChange] = field(default_factory=list)
    copies: int | None = None         # copies the batch holds now (free to travel)
    left_out: int | None = None       # copies its filter matches that cannot travel now
    warnings: list[str] = field(default_factory=list)
    file: str = NETWORK_FILE
    written: bool = False
    dry_run: bool = False
    commit: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "id": self.id, "before": self.before, "after": self.after,
                "changes": [c.to_dict() for c in self.changes], "copies": self.copies, "left_out": self.left_out,
                "warnings": list(self.warnings), "file": self.file, "written": self.written,
                "dry_run": self.dry_run, "commit": self.commit}


def _network_now(repo: Repository) -> tuple[dict[str, Any], str]:
    """network.yaml's data as the file is now (a copy this module may change), and its blob id."""
    documents, ids = read_now(repo, [NETWORK_FILE])
    return documents[NETWORK_FILE], ids[NETWORK_FILE]


def _batches(data: dict[str, Any]) -> list[dict[str, Any]]:
    rotation = data.setdefault("rotation", {})
    batches: list[dict[str, Any]] = rotation.setdefault("batches", [])
    return batches


def _find(batches: list[dict[str, Any]], batch_id: str) -> int:
    for i, batch in enumerate(batches):
        if batch.get("id") == batch_id:
            return i
    known = ", ".join(str(b.get("id", "?")) for b in batches) or "—"
    close = difflib.get_close_matches(batch_id, [str(b.get("id")) for b in batches], n=1, cutoff=0.6)
    raise LibsyncError("rotation.unknown_batch", batch=batch_id + (f" ({t('edit.field.did_you_mean', field=close[0])})"
                                                                  if close else ""), known=known)


def _text(value: str | None) -> str | None:
    if value is None:
        return None
    return nfc(value).strip() or None


def _texts(values: Sequence[str] | None) -> list[str]:
    return [v for v in (_text(x) for x in values or []) if v]


def build_filter(*, types: Sequence[str] | None = None, grades: Sequence[int] | None = None,
                 subjects: Sequence[str] | None = None, series: Sequence[str] | None = None,
                 call_from: str | None = None, call_to: str | None = None,
                 barcodes: Sequence[str] | None = None, records: Sequence[str] | None = None,
                 scan: str | os.PathLike[str] | None = None) -> dict[str, Any]:
    """The filter fields given (and only those), as network.yaml keeps them; a scan file's
    barcodes join ``barcodes``."""
    flt: dict[str, Any] = {}
    if types:
        chosen = [v.strip().lower() for v in types]
        wrong = [v for v in chosen if v not in RECORD_TYPES]
        if wrong:
            raise LibsyncError("edit.bad_choice", field="type", value=", ".join(wrong), choices=", ".join(RECORD_TYPES))
        flt["type"] = list(dict.fromkeys(chosen))
    if grades:
        wrong_grades = [g for g in grades if not 1 <= g <= 12]
        if wrong_grades:
            raise LibsyncError("edit.out_of_range", field="grade", value=wrong_grades[0], low=1, high=12)
        flt["grade"] = list(dict.fromkeys(grades))
    for key, values in (("subject", subjects), ("series", series)):
        if _texts(values):
            flt[key] = list(dict.fromkeys(_texts(values)))
    if _text(call_from) or _text(call_to):
        flt["call_number"] = {k: v for k, v in (("from", _text(call_from)), ("to", _text(call_to))) if v}
    codes = _texts(barcodes)
    if scan is not None:
        from libsync.inventory.scan import read_scan

        codes += read_scan(os.fspath(scan)).barcodes
    if codes:
        flt["barcodes"] = list(dict.fromkeys(codes))
    if _texts(records):
        flt["records"] = list(dict.fromkeys(_texts(records)))
    return flt


def _shown(items: Sequence[str]) -> str:
    more = len(items) - MAX_LISTED
    return ", ".join(items[:MAX_LISTED]) + (f", … (+{more})" if more > 0 else "")


def _check(repo: Repository, network: Network, batch: dict[str, Any], index: CopyIndex) -> list[str]:
    """Refuse what would make a batch wrong (see the module docstring); the warnings."""
    warnings: list[str] = []
    library = batch["library"]
    network.library(library)
    group_id = batch.get("group")
    if group_id:
        group = network.group(group_id)
        if group is None:
            known = ", ".join(str(g.get("id", "?")) for g in network.groups) or "—"
            raise LibsyncError("rotation.unknown_group", group=group_id, known=known)
        if library not in group.get("members", []):
            raise LibsyncError("edit.batch.not_member", exit_code=1, library=library, group=group_id,
                               members=", ".join(group.get("members", [])))
        if not group.get("rotation"):
            warnings.append(t("edit.batch.group_not_rotating", group=group_id))
    elif not any(g.get("rotation") for g in network.groups_of(library)):
        warnings.append(t("edit.batch.no_rotation_group", library=library))
    flt = batch.get("filter") or {}
    if not flt:
        raise LibsyncError("edit.batch.empty_filter", batch=batch["id"])
    if flt.get("barcodes"):
        canonical, unknown, foreign = [], [], []
        for code in flt["barcodes"]:
            found = index.get(code)
            if found is None:
                unknown.append(code)
            elif found.library != library:
                foreign.append(f"{found.barcode} ({found.library}/{found.record})")
            else:
                canonical.append(found.barcode)
        if unknown:
            raise LibsyncError("edit.copy.unknown", exit_code=1, count=len(unknown), barcodes=_shown(unknown))
        if foreign:
            raise LibsyncError("edit.copy.not_owned", exit_code=1, library=library, count=len(foreign),
                               barcodes=_shown(foreign))
        flt["barcodes"] = list(dict.fromkeys(canonical))
    if flt.get("records"):
        ids = library_ids(repo, library)
        missing = [r for r in flt["records"] if r not in ids]
        if missing:
            close = [c for m in missing for c in difflib.get_close_matches(m, ids, n=1, cutoff=0.6)]
            raise LibsyncError("edit.batch.unknown_records", exit_code=1, library=library, ids=_shown(missing),
                               hint=t("edit.record.close", ids=", ".join(close)) if close else "")
    return warnings


def _resolve(outcome: BatchEdit, batch: dict[str, Any], index: CopyIndex) -> None:
    from libsync.rotation.batches import resolve_batch

    result = resolve_batch(batch, index)
    outcome.copies, outcome.left_out = result.size, len(result.left_out)
    if not result.size:
        outcome.warnings.append(t("edit.batch.holds_nothing", batch=batch["id"], left_out=len(result.left_out)))


def _flat(batch: Mapping[str, Any] | None) -> dict[str, Any]:
    if not batch:
        return {}
    out = {k: v for k, v in batch.items() if k != "filter"}
    out.update({f"filter.{k}": v for k, v in (batch.get("filter") or {}).items()})
    return out


def _changes(before: Mapping[str, Any] | None, after: Mapping[str, Any] | None) -> list[FieldChange]:
    old, new = _flat(before), _flat(after)
    return [FieldChange(k, old.get(k), new.get(k)) for k in dict.fromkeys([*old, *new]) if old.get(k) != new.get(k)]


def _write(repo: Repository, data: dict[str, Any], oid: str, outcome: BatchEdit, commit: bool,
           dry_run: bool) -> BatchEdit:
    if not data["rotation"]["batches"]:
        del data["rotation"]["batches"]
    if not data["rotation"]:
        del data["rotation"]
    name = (outcome.after or outcome.before or {}).get("name", "")
    message = t(f"edit.commit.batch_{outcome.action}", id=outcome.id, name=name)
    details = "\n".join(f"{c.field}: {value_text(c.old)} → {value_text(c.new)}" for c in outcome.changes)
    outcome.commit = finish(repo, {NETWORK_FILE: repo.render("network", data)},
                            message=message + ("\n\n" + details if details else ""),
                            command=f"batch {outcome.action}", commit=commit, dry_run=dry_run,
                            expected={NETWORK_FILE: oid})
    outcome.written = not dry_run
    return outcome


def add_batch(repo: Repository, batch_id: str, *, library: str, name: str, filter: Mapping[str, Any],
              group: str | None = None, notes: str | None = None, commit: bool = False,
              dry_run: bool = False) -> BatchEdit:
    """``batch add ID --library LIB --name …`` with its filter (``build_filter``)."""
    from libsync.store.copies import CopyIndex

    data, oid = _network_now(repo)
    batches = _batches(data)
    batch_id = batch_id.strip()
    if not _SAFE_ID.match(batch_id):
        raise LibsyncError("edit.batch.bad_id", batch=batch_id)
    taken = [b.get("id") for b in batches if str(b.get("id", "")).lower() == batch_id.lower()]
    if taken:
        raise LibsyncError("edit.batch.exists", exit_code=1, batch=taken[0])
    if not _text(name):
        raise LibsyncError("edit.batch.no_name")
    batch: dict[str, Any] = {"id": batch_id, "library": library.strip().upper(), "name": _text(name),
                             "filter": copy.deepcopy(dict(filter))}
    if _text(group):
        batch["group"] = _text(group)
    if _text(notes):
        batch["notes"] = _text(notes)
    index = CopyIndex.build(repo)
    outcome = BatchEdit("add", batch_id, None, batch, dry_run=dry_run)
    outcome.warnings = _check(repo, Network(data), batch, index)
    outcome.changes = _changes(None, batch)
    _resolve(outcome, batch, index)
    batches.append(batch)
    return _write(repo, data, oid, outcome, commit, dry_run)


def set_batch(repo: Repository, batch_id: str, *, library: str | None = None, name: str | None = None,
              group: str | None = None, notes: str | None = None, filter: Mapping[str, Any] | None = None,
              clear: Sequence[str] = (), commit: bool = False, dry_run: bool = False) -> BatchEdit:
    """``batch set ID …``: the fields given replace the batch's (a filter field as a whole);
    ``clear`` names fields to remove (``CLEARABLE``)."""
    from libsync.store.copies import CopyIndex

    wrong = [c for c in clear if c not in CLEARABLE]
    if wrong:
        raise LibsyncError("edit.batch.bad_clear", field=", ".join(wrong), choices=", ".join(CLEARABLE))
    data, oid = _network_now(repo)
    batches = _batches(data)
    at = _find(batches, batch_id)
    before = copy.deepcopy(batches[at])
    batch = copy.deepcopy(before)
    flt = dict(batch.get("filter") or {})
    for key in clear:
        if key in FILTER_FIELDS:
            flt.pop(key, None)
        else:
            batch.pop(key, None)
    flt.update(copy.deepcopy(dict(filter or {})))
    batch["filter"] = flt
    if library is not None:
        batch["library"] = library.strip().upper()
    if name is not None:
        if not _text(name):
            raise LibsyncError("edit.batch.no_name")
        batch["name"] = _text(name)
    for key, value in (("group", group), ("notes", notes)):
        if value is not None:
            if _text(value):
                batch[key] = _text(value)
            else:
                batch.pop(key, None)
    index = CopyIndex.build(repo)
    outcome = BatchEdit("set", batch_id, before, batch, dry_run=dry_run)
    outcome.warnings = _check(repo, Network(data), batch, index)
    outcome.changes = _changes(before, batch)
    _resolve(outcome, batch, index)
    if not outcome.changes:
        return outcome
    batches[at] = batch
    return _write(repo, data, oid, outcome, commit, dry_run)


def remove_batch(repo: Repository, batch_id: str, *, commit: bool = False, dry_run: bool = False) -> BatchEdit:
    """``batch remove ID``; refused while an open exchange (proposed … returned) sends it."""
    from libsync.store.read import Store

    data, oid = _network_now(repo)
    batches = _batches(data)
    at = _find(batches, batch_id)
    using = [str(e.get("id")) for e in Store.of(repo).documents(("exchange",), strict=True).documents
             if e.get("batch") == batch_id and e.get("status") in EXCHANGE_OPEN]
    if using:
        raise LibsyncError("edit.batch.in_use", exit_code=1, batch=batch_id, exchanges=_shown(using))
    before = batches.pop(at)
    outcome = BatchEdit("remove", batch_id, before, None, _changes(before, None), dry_run=dry_run)
    return _write(repo, data, oid, outcome, commit, dry_run)


def list_batches(repo: Repository, library: str | None = None) -> list[dict[str, Any]]:
    """Every batch (of ``library``) as network.yaml has it, with the copies it holds now and
    the copies its filter matches that cannot travel now."""
    from libsync.rotation.batches import resolve_batch
    from libsync.store.copies import CopyIndex

    network = repo.network
    if library is not None:
        network.library(library)
    chosen = [b for b in network.batches if library is None or b.get("library") == library]
    index = CopyIndex.build(repo) if chosen else None
    out = []
    for batch in chosen:
        result = resolve_batch(batch, index) if index is not None else None
        out.append({**batch, "copies": result.size if result else 0, "left_out": len(result.left_out) if result else 0})
    return out
