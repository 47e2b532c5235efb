"""Exchange manifests (phiếu luân chuyển) and their lifecycle.

    proposed → approved → dispatched → received → returned → closed
    proposed | approved → cancelled

Every step checks its preconditions and refuses illegal ones with a ``LibsyncError``
(nothing written); the manifest and the copies' records change together through the store's write path
(locked, all or none, a failed commit undone);
every transition is appended to ``history``. With ``commit=True`` the step is one Git
commit of exactly those files with a structured message.

* ``propose(repo, ...)`` writes a new manifest on a new branch ``exchange/<id>`` and
  commits it; ``push=True`` pushes the branch (the remote is checked first, so a missing
  remote leaves the repository untouched; a failed push is rolled back).
* ``advance(repo, exchange_id, action, ...)`` runs approve / dispatch / receive / return /
  close / cancel. Dispatch: the sender holds every copy, each is available and in no other
  active exchange → copies ``at-partner`` with ``holder`` = receiver. Receive / return take
  an optional scan (``libsync.inventory.scan.read_scan``) compared with the manifest.
  Return: copies scanned back become ``available`` again at the owner; the others are
  ``missing-on-return``. Close records each such copy as ``lost`` (status_date,
  status_ref = exchange id) — only with ``confirm_losses=True``; ``pending_losses`` lists
  them first so the librarian can see and confirm.
* ``list_exchanges`` / ``find`` / ``summary`` read manifests; ``check_state`` finds
  manifests edited by hand into an impossible state.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

from libsync import gitops, schemas
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model.enums import EXCHANGE_FINISHED, EXCHANGE_OUT, EXCHANGE_STATUSES, MISSING_OUTCOMES
from libsync.network import parse_date
from libsync.rotation.batches import ACTIVE_STATUSES, CopyIndex, find_batch, resolve_batch
from libsync.rotation.records import exchange_files, exchange_summaries, read_records, render_many
from libsync.store import lock
from libsync.store import write as store_write

STATUSES = EXCHANGE_STATUSES
ACTIONS = {
    # action: (allowed current statuses, new status)
    "approve": (("proposed",), "approved"),
    "dispatch": (("approved",), "dispatched"),
    "receive": (("dispatched",), "received"),
    "return": (("received",), "returned"),
    "close": (("returned",), "closed"),
    "cancel": (("proposed", "approved"), "cancelled"),
}
OUT_STATUSES = EXCHANGE_OUT  # copies are at the partner


@dataclass
class Outcome:
    """What a step did: plain data for the CLI to render (``to_dict`` for JSON)."""

    exchange: str
    relpath: str
    status: str
    action: str
    files: list[str] = field(default_factory=list)
    commit: str | None = None
    branch: str | None = None
    pushed: str | None = None
    check: dict | None = None
    losses: list[dict] = field(default_factory=list)
    left_out: list[dict] = field(default_factory=list)
    count: int = 0

    def to_dict(self) -> dict:
        return dict(self.__dict__)


# --- reading -----------------------------------------------------------------------------------

def find(repo, exchange_id: str) -> tuple[str, dict]:
    """The manifest ``exchange_id`` (relative path, data); unknown id → LibsyncError."""
    for rel in exchange_files(repo):
        if Path(rel).stem == exchange_id:
            return rel, repo.load(rel)
    raise LibsyncError("rotation.unknown_exchange", exchange=exchange_id)


def list_exchanges(repo, term: str | None = None, library: str | None = None, status: str | None = None,
                   today: dt.date | None = None) -> list[dict]:
    """One summary row per manifest, filtered; ``overdue`` when out past its return date."""
    if library:
        repo.network.library(library)
    if term:
        repo.network.term(term)
    if status and status not in STATUSES:
        raise LibsyncError("rotation.bad_status", status=status, known=", ".join(STATUSES))
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
        rows.append(summary(data, rel, today))
    rows.sort(key=lambda r: (r["term"], r["handover"] or "", r["id"]))
    return rows


def summary(data: dict, relpath: str | None = None, today: dt.date | None = None) -> dict:
    today = today or dt.date.today()
    planned = data.get("planned") or {}
    due = parse_date(planned.get("return_due"))
    overdue = bool(due and data.get("status") in OUT_STATUSES and due < today)
    return {
        "id": data.get("id"), "term": data.get("term"), "from": data.get("from"), "to": data.get("to"),
        "batch": data.get("batch"), "status": data.get("status"), "copies": len(data.get("copies") or []),
        "handover": planned.get("handover"), "return_due": planned.get("return_due"),
        "overdue": overdue, "overdue_days": (today - due).days if overdue else 0, "path": relpath,
    }


# --- checks ------------------------------------------------------------------------------------

def _schema_check(repo, relpath: str, data: dict) -> None:
    if schemas.fast_validator("exchange").is_valid(data):
        return
    from libsync.validation.schema_errors import first_problem

    try:
        text = repo.path(relpath).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        text = ""
    problem = first_problem("exchange", data, text, relpath)
    where = f"{relpath}:{problem.line}" if problem.line else relpath
    raise LibsyncError("rotation.manifest_invalid", exit_code=1, path=where,
                       pointer=problem.pointer or "/", reason=problem.message)


def _schema_check_new(relpath: str, data: dict) -> None:
    """A manifest about to be written must be valid (a bad --by or --note is refused)."""
    if not schemas.fast_validator("exchange").is_valid(data):
        from libsync.validation.schema_errors import first_problem

        problem = first_problem("exchange", data, "", relpath)   # validate's own words (with the id's hint)
        raise LibsyncError("rotation.manifest_invalid", path=relpath, pointer=problem.pointer or "/",
                           reason=problem.message)


def _impossible(relpath: str, reason_key: str, **params) -> LibsyncError:
    return LibsyncError("rotation.impossible_state", exit_code=1, path=relpath, reason=t(reason_key, **params))


def load_copies(repo, manifest: dict) -> dict[str, tuple[str, dict, dict]]:
    """The manifest's copies in the sender's records: barcode → (relpath, record, item).

    Only the records the manifest names are read (parsed from disk, on both cores when there
    are many: these are the records the step rewrites), so large networks stay fast.
    """
    sender = manifest.get("from", "")
    out: dict[str, tuple[str, dict, dict]] = {}
    copies = manifest.get("copies") or []
    wanted = [repo.record_relpath(sender, copy.get("record")) for copy in copies]
    loaded = read_records(repo, wanted)
    items_of: dict[str, dict[str, dict]] = {}   # relpath -> barcode -> first item with it
    for copy, rel in zip(copies, wanted):
        record = loaded.get(rel)
        if record is None:
            continue
        if rel not in items_of:
            first: dict[str, dict] = {}
            for item in record.get("items") or []:
                first.setdefault(item.get("barcode"), item)
            items_of[rel] = first
        item = items_of[rel].get(copy.get("barcode"))
        if item is not None:
            out[copy["barcode"]] = (rel, record, item)
    return out


def check_state(repo, relpath: str, data: dict, copies: dict | None = None) -> dict:
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
        if status in OUT_STATUSES and copy.get("outcome") is None:
            if item.get("status") != "at-partner" or item.get("holder") != data["to"]:
                raise _impossible(relpath, "rotation.why.copy_not_out", barcode=code, status=item.get("status"),
                                  holder=item.get("holder") or data["from"], receiver=data["to"])
    return copies


# --- writing helpers ---------------------------------------------------------------------------

def _commit_message(data: dict, action: str, by: str | None, extra: dict | None = None) -> str:
    subject = t("rotation.commit.subject", id=data["id"], status=data["status"], sender=data["from"],
                receiver=data["to"], count=len(data.get("copies") or []))
    trailers = [f"Exchange: {data['id']}", f"Action: {action}", f"Status: {data['status']}",
                f"Term: {data['term']}", f"From: {data['from']}", f"To: {data['to']}",
                f"Copies: {len(data.get('copies') or [])}"]
    if by:
        trailers.append(f"By: {by}")
    for key, value in (extra or {}).items():
        trailers.append(f"{key}: {value}")
    return subject + "\n\n" + "\n".join(trailers) + "\n"


def _history(data: dict, status: str, date: dt.date, by: str | None, note: str | None) -> None:
    entry = {"status": status, "date": date.isoformat()}
    if by:
        entry["by"] = by
    if note:
        entry["note"] = note
    data.setdefault("history", []).append(entry)


def _check_date(data: dict, date: dt.date) -> None:
    history = data.get("history") or []
    if history:
        last = parse_date(history[-1].get("date"))
        if last and date < last:
            raise LibsyncError("rotation.date_before_history", date=date.isoformat(), last=last.isoformat(),
                               exchange=data["id"])


def _check_dispatch_date(repo, data: dict, date: dt.date) -> None:
    """Copies leave inside the manifest's term and before they are due back."""
    term = repo.network.term(data["term"])
    if not term.start <= date <= term.end:
        raise LibsyncError("rotation.dispatch_outside_term", date=date.isoformat(), term=term.id,
                           start=term.start.isoformat(), end=term.end.isoformat(), exchange=data["id"])
    due = parse_date((data.get("planned") or {}).get("return_due"))
    if due and date >= due:
        raise LibsyncError("rotation.dispatch_after_return", date=date.isoformat(), return_due=due.isoformat(),
                           exchange=data["id"])


def _scan_check(repo, data: dict, scan_path, date: dt.date, by: str | None, index: CopyIndex | None = None) -> tuple[dict, dict]:
    """Read a scan, compare it with the manifest; unknown barcodes are refused."""
    from libsync.inventory.scan import compare_with_manifest, read_scan

    scan = read_scan(scan_path)
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
    check = {"date": date.isoformat()}
    if by:
        check["by"] = by
    try:
        check["snapshot"] = repo.relpath(scan_path)
    except ValueError:
        check["snapshot"] = os.path.basename(str(scan_path))
    check["missing"] = list(comparison["missing"])
    check["extra"] = list(comparison["extra"])
    return check, comparison


def _set_item(item: dict, status: str, date: dt.date, ref: str, holder: str | None) -> None:
    item["status"] = status
    if holder:
        item["holder"] = holder
    else:
        item.pop("holder", None)
    item["status_date"] = date.isoformat()
    item["status_ref"] = ref


def _apply(repo, relpath: str, data: dict, touched: dict[str, dict], commit: bool, message: str) -> tuple[list[str], str | None]:
    """Write the manifest and the touched records together (the store's write path); optionally
    one commit — a commit that fails puts the files and the index back."""
    paths = [relpath, *sorted(touched)]
    items = [(relpath, data), *touched.items()]
    texts = render_many(repo, items)   # canonical YAML, as Repository.save writes it
    sha = store_write.apply(repo, {rel: text for (rel, _), text in zip(items, texts)},
                            message=message if commit else None, command=message.splitlines()[0])
    return paths, sha


# --- propose -----------------------------------------------------------------------------------

def new_manifest(repo, *, term: str, sender: str, receiver: str, handover: dt.date, return_due: dt.date,
                 batch: str | None = None, barcodes: list[str] | None = None, exchange_id: str | None = None,
                 by: str | None = None, date: dt.date | None = None, title: str | None = None,
                 group: str | None = None, note: str | None = None, index: CopyIndex | None = None,
                 max_stay_days: int | None = None) -> tuple[dict, list[dict]]:
    """A proposed manifest (not written) and the batch copies left out with reasons."""
    network = repo.network
    network.library(sender)
    network.library(receiver)
    term_obj = network.term(term)
    if sender == receiver:
        raise LibsyncError("rotation.same_library", code=sender)
    if not term_obj.start <= handover <= term_obj.end:
        raise LibsyncError("rotation.handover_outside_term", date=handover.isoformat(), term=term,
                           start=term_obj.start.isoformat(), end=term_obj.end.isoformat())
    if not network.is_school_day(handover, term_obj):
        raise LibsyncError("rotation.handover_not_school_day", date=handover.isoformat(), term=term)
    if return_due <= handover:
        raise LibsyncError("rotation.return_before_handover", handover=handover.isoformat(),
                           return_due=return_due.isoformat())
    max_stay = max_stay_days or network.max_stay_days
    if (return_due - handover).days > max_stay:
        raise LibsyncError("rotation.stay_too_long", days=(return_due - handover).days, max=max_stay)
    index = index or CopyIndex.from_repository(repo)
    left_out: list[dict] = []
    if batch:
        spec = find_batch(network, batch)
        if spec.get("library") != sender:
            raise LibsyncError("rotation.batch_other_library", batch=batch, library=spec.get("library"), sender=sender)
        resolved = resolve_batch(spec, index)
        rows, left_out = resolved.copies, resolved.left_out
        title = title or resolved.name
        group = group or spec.get("group")
    else:
        rows = []
        if not barcodes:
            raise LibsyncError("rotation.no_copies_given")
        from libsync.rotation.batches import copy_row, why_not_available

        unknown = [c for c in barcodes if c not in index.copies or index.copies[c].owner != sender]
        if unknown:
            raise LibsyncError("rotation.copies_not_owned", exit_code=1, library=sender, barcodes=", ".join(unknown))
        for code in dict.fromkeys(barcodes):
            ref = index.copies[code]
            why = why_not_available(ref, index)
            if why:
                key = "rotation.overlap" if why["reason"] == "in-exchange" else "rotation.copy_unavailable"
                raise LibsyncError(key, exit_code=1, barcode=code, status=why.get("status"), ref=why.get("ref") or "—")
            rows.append(copy_row(ref))
    if not rows:
        raise LibsyncError("rotation.batch_empty", exit_code=1, batch=batch or "—", left_out=len(left_out))
    if not group:
        shared = [g for g in network.groups if g.get("rotation") and sender in g.get("members", [])
                  and receiver in g.get("members", [])]
        group = shared[0]["id"] if shared else None
    from libsync.rotation.schedule import exchange_id as make_id

    eid = exchange_id or make_id(sender, receiver, term, batch or "ds")
    data: dict = {"id": eid, "term": term}
    if group:
        data["group"] = group
    data.update({"from": sender, "to": receiver})
    if batch:
        data["batch"] = batch
    if title:
        data["title"] = title
    data["status"] = "proposed"
    data["planned"] = {"handover": handover.isoformat(), "return_due": return_due.isoformat()}
    people = {}
    for side, code in (("sender", sender), ("receiver", receiver)):
        librarians = network.libraries[code].get("librarians") or []
        if librarians:
            people[side] = {"name": librarians[0]["name"]}
            if librarians[0].get("role"):
                people[side]["position"] = librarians[0]["role"]
    if people:
        data["people"] = people
    data["copies"] = [{"barcode": r["barcode"], "record": r["record"]} for r in rows]
    _history(data, "proposed", date or dt.date.today(), by, note)
    return data, left_out


def propose(repo, **kwargs) -> Outcome:
    """Write a new manifest on branch ``exchange/<id>`` and commit it; optionally push. Under the
    repository lock, so two proposals cannot take the same id or the same copies."""
    with lock.locked(repo.root, "exchange propose"):
        return _propose(repo, **kwargs)


def _propose(repo, *, branch: bool = True, push: bool = False, remote: str = "origin", **kwargs) -> Outcome:
    data, left_out = new_manifest(repo, **kwargs)
    relpath = repo.exchange_relpath(data["term"], data["id"])
    _schema_check_new(relpath, data)
    if repo.path(relpath).exists() or any(Path(p).stem == data["id"] for p in exchange_files(repo)):
        raise LibsyncError("rotation.exchange_exists", exchange=data["id"], path=relpath)
    outcome = Outcome(data["id"], relpath, "proposed", "propose", [relpath], left_out=left_out,
                      count=len(data["copies"]))
    text = repo.render("exchange", data)
    if not branch:
        store_write.apply(repo, {relpath: text}, command="exchange propose")
        return outcome
    git_repo = gitops.open_repo(repo.root)
    if push and remote not in [r.name for r in git_repo.remotes]:
        raise LibsyncError("git.no_remote", remote=remote)
    name = f"exchange/{data['id']}"
    if name in [h.name for h in git_repo.heads]:
        raise LibsyncError("rotation.branch_exists", branch=name)
    original = git_repo.head.commit.hexsha if git_repo.head.is_detached else git_repo.active_branch.name
    import git as gitmodule

    try:
        git_repo.git.checkout("-b", name)
    except gitmodule.GitCommandError as exc:
        raise LibsyncError("git.failed", reason=(exc.stderr or str(exc)).strip()) from None
    try:
        outcome.commit = store_write.apply(repo, {relpath: text}, command="exchange propose",
                                           message=_commit_message(data, "propose", kwargs.get("by")))
        outcome.branch = name
        if push:
            try:
                git_repo.git.push("--set-upstream", remote, name)
            except gitmodule.GitCommandError as exc:
                raise LibsyncError("git.failed", reason=(exc.stderr or str(exc)).strip()) from None
            outcome.pushed = remote
    except BaseException:
        git_repo.git.checkout(original)  # never -f: other uncommitted work stays
        git_repo.git.branch("-D", name)
        repo.path(relpath).unlink(missing_ok=True)
        raise
    return outcome


# --- the steps after propose -------------------------------------------------------------------

def pending_losses(repo, exchange_id: str) -> list[dict]:
    """Copies that ``close`` would record as lost (not back from the partner)."""
    relpath, data = find(repo, exchange_id)
    return _losses(data)


def _losses(data: dict) -> list[dict]:
    return [{"barcode": c["barcode"], "record": c["record"], "outcome": c.get("outcome")}
            for c in data.get("copies") or [] if c.get("outcome") in MISSING_OUTCOMES]


def advance(repo, exchange_id: str, action: str, **kwargs) -> Outcome:
    """Run one lifecycle step (see the module docstring) under the repository lock, so two steps
    on the same manifest at once cannot both read the old state."""
    with lock.locked(repo.root, f"exchange {action} {exchange_id}"):
        return _advance(repo, exchange_id, action, **kwargs)


def _advance(repo, exchange_id: str, action: str, *, date: dt.date | None = None, by: str | None = None,
             note: str | None = None, scan: str | os.PathLike | None = None, confirm_losses: bool = False,
             commit: bool = False) -> Outcome:
    if action not in ACTIONS:
        raise LibsyncError("rotation.bad_action", action=action, known=", ".join(ACTIONS))
    relpath, data = find(repo, exchange_id)
    allowed, new_status = ACTIONS[action]
    if data.get("status") not in allowed:
        raise LibsyncError("rotation.illegal_transition", exchange=exchange_id, status=data.get("status"),
                           action=action, allowed=", ".join(allowed))
    copies = check_state(repo, relpath, data)
    date = date or dt.date.today()
    _check_date(data, date)
    if action == "dispatch":
        _check_dispatch_date(repo, data, date)
    outcome = Outcome(data["id"], relpath, new_status, action, count=len(data["copies"]))
    touched: dict[str, dict] = {}
    extra_trailers: dict = {}

    if action == "dispatch":
        index = None
        others = _other_active(repo, data, relpath)
        problems = []
        for copy in data["copies"]:
            code = copy["barcode"]
            rel, record, item = copies[code]
            if code in others:
                problems.append(t("rotation.why.in_exchange", barcode=code, ref=", ".join(others[code])))
            elif item.get("status") != "available":
                problems.append(t("rotation.why.not_available", barcode=code, status=item.get("status"),
                                  ref=item.get("status_ref") or "—"))
            elif item.get("holder") not in (None, data["from"]):
                problems.append(t("rotation.why.held_elsewhere", barcode=code, holder=item.get("holder")))
        if problems:
            raise LibsyncError("rotation.cannot_dispatch", exit_code=1, exchange=exchange_id, count=len(problems),
                               details="; ".join(problems[:30]))
        if scan is not None:
            check, comparison = _scan_check(repo, data, scan, date, by, index)
            outcome.check = comparison
            if check["missing"] or check["extra"]:
                raise LibsyncError("rotation.dispatch_scan_mismatch", exit_code=1, exchange=exchange_id,
                                   missing=", ".join(check["missing"]) or "—", extra=", ".join(check["extra"]) or "—")
            data["dispatched"] = check
        for copy in data["copies"]:
            rel, record, item = copies[copy["barcode"]]
            _set_item(item, "at-partner", date, data["id"], data["to"])
            touched[rel] = record

    elif action == "receive":
        if scan is not None:
            check, comparison = _scan_check(repo, data, scan, date, by)
            outcome.check = comparison
            missing = set(check["missing"])
            for copy in data["copies"]:
                if copy["barcode"] in missing:
                    copy["outcome"] = "missing-on-receipt"
        else:
            check = {"date": date.isoformat(), **({"by": by} if by else {})}
        data["received"] = check

    elif action == "return":
        if scan is not None:
            check, comparison = _scan_check(repo, data, scan, date, by)
            outcome.check = comparison
            missing = set(check["missing"])
        else:
            check, missing = {"date": date.isoformat(), **({"by": by} if by else {})}, set()
        data["returned"] = check
        for copy in data["copies"]:
            code = copy["barcode"]
            if code in missing:
                copy["outcome"] = "missing-on-return"
                continue
            copy["outcome"] = "returned"
            rel, record, item = copies[code]
            _set_item(item, "available", date, data["id"], None)
            touched[rel] = record
        extra_trailers["Missing"] = len(missing)

    elif action == "close":
        losses = _losses(data)
        outcome.losses = losses
        if losses and not confirm_losses:
            raise LibsyncError("rotation.losses_unconfirmed", exit_code=1, exchange=exchange_id, count=len(losses),
                               barcodes=", ".join(x["barcode"] for x in losses))
        lost = {x["barcode"] for x in losses}
        for copy in data["copies"]:
            if copy["barcode"] in lost:
                copy["outcome"] = "lost"
                if copy["barcode"] in copies:
                    rel, record, item = copies[copy["barcode"]]
                    _set_item(item, "lost", date, data["id"], None)
                    touched[rel] = record
        extra_trailers["Lost"] = len(lost)

    data["status"] = new_status
    _history(data, new_status, date, by, note)
    _schema_check_new(relpath, data)
    message = _commit_message(data, action, by, extra_trailers)
    outcome.files, outcome.commit = _apply(repo, relpath, data, touched, commit, message)
    return outcome


def _other_active(repo, data: dict, relpath: str | None = None) -> dict[str, list[str]]:
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


def create_from_plan(repo, plan, **kwargs) -> dict:
    """Write the proposed manifests of a schedule ``Plan`` together (all or none), under the lock."""
    with lock.locked(repo.root, "schedule --write"):
        return _create_from_plan(repo, plan, **kwargs)


def _create_from_plan(repo, plan, *, by: str | None = None, date: dt.date | None = None,
                      commit: bool = False) -> dict:
    index = CopyIndex.from_repository(repo)
    written, skipped, manifests = [], [], []
    for stage in plan.stages:
        relpath = repo.exchange_relpath(stage.term, stage.exchange_id)
        if repo.path(relpath).exists():
            skipped.append({"exchange": stage.exchange_id, "reason": "exists"})
            continue
        data, _ = new_manifest(repo, term=stage.term, sender=stage.sender, receiver=stage.receiver,
                               handover=stage.handover, return_due=stage.return_due, batch=stage.batch,
                               exchange_id=stage.exchange_id, by=by, date=date, group=stage.group,
                               index=index, max_stay_days=plan.max_stay_days)
        manifests.append((relpath, data))
        written.append(relpath)
    texts = render_many(repo, manifests)   # canonical YAML, on both cores when there are many
    message = t("rotation.commit.schedule", term=plan.term, count=len(written)) if commit and written else None
    sha = store_write.apply(repo, {relpath: text for (relpath, _), text in zip(manifests, texts)},
                            message=message, command="schedule --write")
    return {"written": written, "skipped": skipped, "commit": sha}
