"""Exchange manifests read and checked: nothing here writes.

* ``find`` / ``list_exchanges`` / ``summary``: the manifests and one summary row each.
* ``load_copies``: the manifest's copies in the sender's records (only those records are read).
* ``check_state``: refuse a manifest edited by hand into an impossible state.
* ``other_active``: copies already out in another active exchange; ``pending_losses``: the
  copies ``close`` would record as lost.
* The checks a lifecycle step makes before it changes anything: ``check_step_date``,
  ``check_dispatch_date``, ``check_new`` (a manifest about to be written) and ``scan_check``
  (a scan compared with the manifest).
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from libsync import gitops, labels, schemas
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import EXCHANGE_FINISHED, EXCHANGE_OUT, EXCHANGE_STATUSES, MISSING_OUTCOMES
from libsync.network import parse_date
from libsync.problems import Problem, msg, render_param
from libsync.rotation.batches import ACTIVE_STATUSES, CopyIndex
from libsync.rotation.records import exchange_files, exchange_summaries, read_records
from libsync.rotation.workflow import BRANCH_PREFIX

if TYPE_CHECKING:
    from libsync.repository import Repository

STATUSES = EXCHANGE_STATUSES
OUT_STATUSES = EXCHANGE_OUT  # copies are at the partner

Manifest = dict[str, Any]
Copies = dict[str, tuple[str, dict[str, Any], dict[str, Any]]]   # barcode → (relpath, record, item)


# --- reading -----------------------------------------------------------------------------------

def find(repo: Repository, exchange_id: str) -> tuple[str, Manifest]:
    """The manifest ``exchange_id`` in the work tree (relative path, data); unknown id →
    LibsyncError (one that names the branch when the proposal waits on one for review)."""
    for rel in exchange_files(repo):
        if Path(rel).stem == exchange_id:
            return rel, repo.load(rel)
    waiting = [ref for ref in gitops.branch_refs(repo.root, BRANCH_PREFIX) if ref.name == exchange_id]
    if waiting:
        raise LibsyncError("rotation.exchange_on_branch", exchange=exchange_id, branch=waiting[0].branch,
                           local=BRANCH_PREFIX + exchange_id)
    raise LibsyncError("rotation.unknown_exchange", exchange=exchange_id)


@dataclass
class Waiting:
    """A proposal that waits for review on its branch: its manifest is on ``exchange/<id>`` (or
    ``<remote>/exchange/<id>``), not yet in the work tree (the pull request is not merged)."""

    branch: str
    relpath: str
    data: Manifest


def waiting(repo: Repository, skipped: list[Problem] | None = None) -> list[Waiting]:
    """The manifests that exist only on branches ``exchange/<id>`` or ``<remote>/exchange/<id>``:
    of each such branch, the file ``<id>.yaml`` under exchanges/ in its last commit, read from
    Git (the work tree is never touched). An id the work tree already has is the work tree's
    (merged: no duplicate). When a local and a remote-tracking branch both hold one, the later
    commit's is shown (the partner may have approved it on the branch). A manifest that does not
    read or fit its schema is left out and its problem appended to ``skipped``, with the branch."""
    refs = gitops.branch_refs(repo.root, BRANCH_PREFIX)
    if not refs:
        return []
    merged = {Path(rel).stem for rel in exchange_files(repo)}
    latest: dict[str, gitops.BranchRef] = {}
    for ref in refs:   # local ones first: a tie keeps the local branch
        if ref.name in merged or "/" in ref.name:
            continue
        if ref.name not in latest or ref.time > latest[ref.name].time:
            latest[ref.name] = ref
    try:
        found = gitops.blobs_named(repo.root, {ref.sha: f"{ref.name}.yaml" for ref in latest.values()}, "exchanges")
    except LibsyncError as exc:   # Git could not show the branches: the work tree's manifests still listed
        if skipped is not None:
            skipped.append(Problem("", None, None, "branch-manifest", exc.key, dict(exc.params)))
        return []
    from libsync.store.read import Store

    store = Store.of(repo)
    out = []
    for name, ref in sorted(latest.items()):
        for relpath, _oid, raw in found.get(ref.sha, [])[:1]:
            if schemas.kind_of(relpath) != "exchange":
                continue
            exam = store.examine_raw(relpath, raw)
            if exam.usable and isinstance(exam.data, dict):
                out.append(Waiting(ref.branch, relpath, exam.data))
            elif skipped is not None:
                problem = next(iter(exam.refusal() or exam.problem_list()), None)
                skipped.append(Problem(relpath, problem.line if problem else None, None, "branch-manifest",
                                       "rotation.branch_manifest_broken",
                                       {"branch": ref.branch, "exchange": name,
                                        "path": f"{relpath}:{problem.line}" if problem and problem.line else relpath,
                                        "reason": msg(problem.key, **problem.params) if problem else ""}))
    return out


def find_anywhere(repo: Repository, exchange_id: str) -> tuple[str, Manifest, str | None]:
    """``find``, or else the proposal waiting on its branch: (relative path, data, branch or None)."""
    try:
        relpath, data = find(repo, exchange_id)
        return relpath, data, None
    except LibsyncError as exc:
        if exc.key != "rotation.exchange_on_branch":
            raise
    skipped: list[Problem] = []
    for item in waiting(repo, skipped):
        if item.data.get("id") == exchange_id or Path(item.relpath).stem == exchange_id:
            return item.relpath, item.data, item.branch
    for problem in skipped:
        if problem.params.get("exchange") == exchange_id:
            raise LibsyncError("rotation.branch_manifest_unreadable", exit_code=1,
                               **{k: render_param(v) for k, v in problem.params.items()})
    raise LibsyncError("rotation.unknown_exchange", exchange=exchange_id)


def list_exchanges(repo: Repository, term: str | None = None, library: str | None = None, status: str | None = None,
                   today: dt.date | None = None, branches: bool = True,
                   skipped: list[Problem] | None = None) -> list[dict[str, Any]]:
    """One summary row per manifest, filtered; ``overdue`` when out past its return date;
    ``branch``: None for a manifest in the work tree, else the branch where the proposal waits
    for review (``waiting``; ``branches=False`` leaves those out; a broken one goes to ``skipped``)."""
    if library:
        repo.network.library(library)
    if term:
        repo.network.term(term)
    if status and status not in STATUSES:
        raise LibsyncError("rotation.bad_status", status=status,
                           known=", ".join(labels.coded("exchange-status", code) for code in STATUSES))
    today = today or dt.date.today()
    rows = []
    for rel in exchange_files(repo):
        data = repo.load(rel)
        if term and data.get("term") != term:
            continue
        if library and library not in (data.get("from"), data.get("to")):
            continue
        if status and data.get("status") != status:
            continue
        rows.append(summary(data, rel, today) | {"branch": None})
    for item in waiting(repo, skipped) if branches else []:
        data = item.data
        if (term and data.get("term") != term) or (library and library not in (data.get("from"), data.get("to"))) \
                or (status and data.get("status") != status):
            continue
        rows.append(summary(data, item.relpath, today) | {"branch": item.branch})
    rows.sort(key=lambda r: (r["term"], r["handover"] or "", r["id"]))
    return rows


def summary(data: Manifest, relpath: str | None = None, today: dt.date | None = None) -> dict[str, Any]:
    today = today or dt.date.today()
    planned = data.get("planned") or {}
    due = parse_date(planned.get("return_due"))
    overdue = bool(due and data.get("status") in OUT_STATUSES and due < today)
    return {
        "id": data.get("id"), "term": data.get("term"), "from": data.get("from"), "to": data.get("to"),
        "batch": data.get("batch"), "status": data.get("status"), "copies": len(data.get("copies") or []),
        "handover": planned.get("handover"), "return_due": planned.get("return_due"),
        "overdue": overdue, "overdue_days": (today - due).days if due and overdue else 0, "path": relpath,
    }


def load_copies(repo: Repository, manifest: Manifest) -> Copies:
    """The manifest's copies in the sender's records: barcode → (relpath, record, item).

    Only the records the manifest names are read (parsed from disk, on both cores when there
    are many: these are the records the step rewrites), so large networks stay fast.
    """
    sender = manifest.get("from", "")
    out: Copies = {}
    copies = manifest.get("copies") or []
    wanted = [repo.record_relpath(sender, copy.get("record")) for copy in copies]
    loaded = read_records(repo, wanted)
    items_of: dict[str, dict[str, dict[str, Any]]] = {}   # relpath -> barcode -> first item with it
    for copy, rel in zip(copies, wanted):
        record = loaded.get(rel)
        if record is None:
            continue
        if rel not in items_of:
            first: dict[str, dict[str, Any]] = {}
            for item in record.get("items") or []:
                first.setdefault(item.get("barcode"), item)
            items_of[rel] = first
        item = items_of[rel].get(copy.get("barcode"))
        if item is not None:
            out[copy["barcode"]] = (rel, record, item)
    return out


def losses(data: Manifest) -> list[dict[str, Any]]:
    """The copies of ``data`` not back from the partner (``close`` records them as lost)."""
    return [{"barcode": c["barcode"], "record": c["record"], "outcome": c.get("outcome")}
            for c in data.get("copies") or [] if c.get("outcome") in MISSING_OUTCOMES]


def pending_losses(repo: Repository, exchange_id: str) -> list[dict[str, Any]]:
    """Copies that ``close`` would record as lost (not back from the partner)."""
    _relpath, data = find(repo, exchange_id)
    return losses(data)


def other_active(repo: Repository, data: Manifest, relpath: str | None = None) -> dict[str, list[str]]:
    """Copies of ``data`` still out in another active manifest: barcode → those manifests' ids.

    Reads manifest summaries (cached by content hash), not every manifest's YAML."""
    mine = {c["barcode"] for c in data["copies"]}
    out: dict[str, list[str]] = {}
    for rel, other in exchange_summaries(repo, skip={relpath} if relpath else frozenset()):
        if Path(rel).stem == data["id"]:
            continue
        if other.get("status") not in ACTIVE_STATUSES:
            continue
        for code in other["open"]:
            if code in mine:
                out.setdefault(code, []).append(other.get("id", rel))
    return out


# --- checks ------------------------------------------------------------------------------------

def _schema_check(repo: Repository, relpath: str, data: Manifest) -> None:
    if schemas.fast_validator("exchange").is_valid(data):
        return
    from libsync.validation.schema_errors import first_problem

    try:
        text = repo.path(relpath).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    problem = cast("Problem", first_problem("exchange", data, text, relpath))   # invalid: there is one
    where = f"{relpath}:{problem.line}" if problem.line else relpath
    raise LibsyncError("rotation.manifest_invalid", exit_code=1, path=where,
                       pointer=problem.pointer or "/", reason=problem.message)


def check_new(relpath: str, data: Manifest) -> None:
    """A manifest about to be written must be valid (a bad --by or --note is refused)."""
    if not schemas.fast_validator("exchange").is_valid(data):
        from libsync.validation.schema_errors import first_problem

        problem = cast("Problem", first_problem("exchange", data, "", relpath))   # validate's own words
        raise LibsyncError("rotation.manifest_invalid", path=relpath, pointer=problem.pointer or "/",
                           reason=problem.message)


def _impossible(relpath: str, reason_key: str, **params: Any) -> LibsyncError:
    return LibsyncError("rotation.impossible_state", exit_code=1, path=relpath, reason=t(reason_key, **params))


def check_state(repo: Repository, relpath: str, data: Manifest, copies: Copies | None = None) -> Copies:
    """Refuse a manifest that cannot be true: schema, libraries, term, history, copies' records.

    Returns the copies map of ``load_copies`` for reuse.
    """
    _schema_check(repo, relpath, data)
    network = repo.network
    for side in ("from", "to"):
        if data[side] not in network.libraries:
            raise _impossible(relpath, "rotation.why.unknown_library", code=data[side])
    if data["from"] == data["to"]:
        raise _impossible(relpath, "rotation.why.same_library", code=data["to"])
    if data["term"] not in network.terms:
        raise _impossible(relpath, "rotation.why.unknown_term", term=data["term"])
    if Path(relpath).stem != data["id"]:
        raise _impossible(relpath, "rotation.why.id_path", id=data["id"])
    history = data.get("history") or []
    if history and history[-1]["status"] != data["status"]:
        raise _impossible(relpath, "rotation.why.history_status", status=data["status"], last=history[-1]["status"])
    dates = [h["date"] for h in history]
    if dates != sorted(dates):
        raise _impossible(relpath, "rotation.why.history_order")
    seen = set()
    for copy in data["copies"]:
        if copy["barcode"] in seen:
            raise _impossible(relpath, "rotation.why.copy_twice", barcode=copy["barcode"])
        seen.add(copy["barcode"])
    copies = copies if copies is not None else load_copies(repo, data)
    status = data["status"]
    for copy in data["copies"]:
        code = copy["barcode"]
        if code not in copies:
            if status in EXCHANGE_FINISHED:
                continue
            raise _impossible(relpath, "rotation.why.copy_not_in_records", barcode=code, record=copy["record"],
                              library=data["from"])
        _, _, item = copies[code]
        # dispatched: on its way to the receiver (in-transit, as validate allows) or there already
        out = ("at-partner", "in-transit") if status == "dispatched" else ("at-partner",)
        if status in OUT_STATUSES and copy.get("outcome") is None and (
                item.get("status") not in out or item.get("holder") != data["to"]):
            raise _impossible(relpath, "rotation.why.copy_not_out", barcode=code, status=labels.item_status(item.get("status")),
                              holder=item.get("holder") or data["from"], receiver=data["to"])
    return copies


def check_step_date(data: Manifest, date: dt.date) -> None:
    """A step is never dated before the last one in the manifest's history."""
    history = data.get("history") or []
    if history:
        last = parse_date(history[-1].get("date"))
        if last and date < last:
            raise LibsyncError("rotation.date_before_history", date=date.isoformat(), last=last.isoformat(),
                               exchange=data["id"])


def check_dispatch_date(repo: Repository, data: Manifest, date: dt.date) -> None:
    """Copies leave inside the manifest's term and before they are due back."""
    term = repo.network.term(data["term"])
    if not term.start <= date <= term.end:
        raise LibsyncError("rotation.dispatch_outside_term", date=date.isoformat(), term=term.id,
                           start=term.start.isoformat(), end=term.end.isoformat(), exchange=data["id"])
    due = parse_date((data.get("planned") or {}).get("return_due"))
    if due and date >= due:
        raise LibsyncError("rotation.dispatch_after_return", date=date.isoformat(), return_due=due.isoformat(),
                           exchange=data["id"])


def scan_check(repo: Repository, data: Manifest, scan_path: str | os.PathLike[str], date: dt.date, by: str | None,
               index: CopyIndex | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """Read a scan, compare it with the manifest; unknown barcodes are refused.

    Returns the check as the manifest keeps it (date, by, snapshot, missing, extra) and the
    full comparison (``libsync.inventory.scan.compare_with_manifest``)."""
    from libsync.inventory.scan import compare_with_manifest, read_scan

    scan = read_scan(os.fspath(scan_path))
    comparison = compare_with_manifest(scan.barcodes, data)
    if comparison["extra"]:
        index = index or CopyIndex.from_repository(repo)
        known = {code.casefold() for code in index.copies}   # barcodes compare case-insensitively
        unknown = [code for code in comparison["extra"] if code.casefold() not in known]
        if unknown:
            lines = scan.line_numbers
            shown = ", ".join(f"{code} ({t('rotation.line')} {lines[code][0]})" for code in unknown[:20])
            raise LibsyncError("rotation.scan_unknown", exit_code=1, path=str(scan_path), count=len(unknown),
                               barcodes=shown)
    check: dict[str, Any] = {"date": date.isoformat()}
    if by:
        check["by"] = by
    try:
        check["snapshot"] = repo.relpath(scan_path)
    except ValueError:
        check["snapshot"] = os.path.basename(str(scan_path))
    check["missing"] = list(comparison["missing"])
    check["extra"] = list(comparison["extra"])
    return check, comparison
