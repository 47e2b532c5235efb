"""The lifecycle of an exchange manifest (phiếu luân chuyển), one function per step.

    proposed → approved → dispatched → received → returned → closed
    proposed | approved → cancelled

Every step runs under the repository lock, checks its preconditions and refuses illegal ones
with a ``LibsyncError`` (nothing written); the manifest and the copies' records change together
through the store's write path (``workflow.write_step``); every transition is appended to
``history``. With ``commit=True`` the step is one Git commit of exactly those files with a
structured message.

* ``propose`` writes a new manifest (on its own branch ``exchange/<id>``, committed, optionally
  pushed: ``workflow.commit_on_branch``); ``create_from_plan`` writes a schedule's proposals.
* ``approve``, ``cancel``: the status only.
* ``dispatch``: the sender holds every copy, each is available and in no other active exchange
  → copies ``at-partner`` with ``holder`` = receiver; an optional scan must match the manifest.
* ``receive`` / ``return_copies``: an optional scan (``libsync.inventory.scan.read_scan``)
  compared with the manifest. Receive: a copy the scan lacks is ``missing-on-receipt`` and its
  record ``in-transit`` with no holder (it never reached the receiver). Return: copies scanned
  back become ``available`` again at the owner; the others are ``missing-on-return``, except a
  copy never received, which stays ``missing-on-receipt`` unless the return scan finds it.
* ``close`` records each such copy as ``lost`` (status_date, status_ref = exchange id) — only
  with ``confirm_losses=True``; ``queries.pending_losses`` lists them first.
* ``advance(repo, id, action, ...)`` runs the step named ``action``.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from libsync import gitops, labels
from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.rotation.batches import CopyIndex, find_batch, resolve_batch
from libsync.rotation.queries import (
    Copies,
    Manifest,
    check_dispatch_date,
    check_new,
    check_state,
    check_step_date,
    find,
    losses,
    other_active,
    scan_check,
)
from libsync.rotation.records import exchange_files
from libsync.rotation.workflow import commit_message, commit_on_branch, write_step
from libsync.store import lock
from libsync.store import write as store_write

if TYPE_CHECKING:
    from libsync.repository import Repository
    from libsync.rotation.schedule import Plan

ScanPath = str | os.PathLike[str]

ACTIONS = {
    # action: (allowed current statuses, new status)
    "approve": (("proposed",), "approved"),
    "dispatch": (("approved",), "dispatched"),
    "receive": (("dispatched",), "received"),
    "return": (("received",), "returned"),
    "close": (("returned",), "closed"),
    "cancel": (("proposed", "approved"), "cancelled"),
}
# a donation (kind: donation) has no return step: received, then closed
DONATION_ACTIONS = {**{k: v for k, v in ACTIONS.items() if k not in ("return", "close")},
                    "close": (("received",), "closed")}
KINDS = ("rotation", "donation")


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
    check: dict[str, Any] | None = None
    losses: list[dict[str, Any]] = field(default_factory=list)
    left_out: list[dict[str, Any]] = field(default_factory=list)
    count: int = 0
    not_received: list[str] = field(default_factory=list)   # receive: the copies that did not arrive
    not_returned: list[str] = field(default_factory=list)   # return: the copies not handed back
    dry_run: bool = False

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


# --- propose -----------------------------------------------------------------------------------

def _history(data: Manifest, status: str, date: dt.date, by: str | None, note: str | None) -> None:
    entry = {"status": status, "date": date.isoformat()}
    if by:
        entry["by"] = by
    if note:
        entry["note"] = note
    data.setdefault("history", []).append(entry)


def new_manifest(repo: Repository, *, term: str, sender: str, receiver: str, handover: dt.date,
                 return_due: dt.date | None = None, kind: str = "rotation",
                 batch: str | None = None, barcodes: list[str] | None = None, exchange_id: str | None = None,
                 by: str | None = None, date: dt.date | None = None, title: str | None = None,
                 group: str | None = None, note: str | None = None, index: CopyIndex | None = None,
                 max_stay_days: int | None = None) -> tuple[Manifest, list[dict[str, Any]]]:
    """A proposed manifest (not written) and the batch copies left out with reasons. A
    ``kind="donation"`` manifest has no return date (the copies do not come back)."""
    network = repo.network
    if kind not in KINDS:
        raise LibsyncError("rotation.donation.bad_kind", kind=kind, known=", ".join(KINDS))
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
    if kind == "donation":
        return_due = None
    elif return_due is None:
        raise LibsyncError("rotation.donation.need_return_due")
    elif return_due <= handover:
        raise LibsyncError("rotation.return_before_handover", handover=handover.isoformat(),
                           return_due=return_due.isoformat())
    else:
        max_stay = max_stay_days or network.max_stay_days
        if (return_due - handover).days > max_stay:
            raise LibsyncError("rotation.stay_too_long", days=(return_due - handover).days, max=max_stay)
    index = index or CopyIndex.from_repository(repo)
    left_out: list[dict[str, Any]] = []
    rows: list[dict[str, Any]]
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
                raise LibsyncError(key, exit_code=1, barcode=code, status=labels.item_status(why.get("status")), ref=why.get("ref") or "—")
            rows.append(copy_row(ref))
    if not rows:
        raise LibsyncError("rotation.batch_empty", exit_code=1, batch=batch or "—", left_out=len(left_out))
    if not group:
        shared = [g for g in network.groups if g.get("rotation") and sender in g.get("members", [])
                  and receiver in g.get("members", [])]
        group = shared[0]["id"] if shared else None
    from libsync.rotation.schedule import exchange_id as make_id

    eid = exchange_id or make_id(sender, receiver, term, batch or "ds")
    data: Manifest = {"id": eid}
    if kind == "donation":
        data["kind"] = kind
    data["term"] = term
    if group:
        data["group"] = group
    data.update({"from": sender, "to": receiver})
    if batch:
        data["batch"] = batch
    if title:
        data["title"] = title
    data["status"] = "proposed"
    data["planned"] = {"handover": handover.isoformat()}
    if return_due is not None:
        data["planned"]["return_due"] = return_due.isoformat()
    people: dict[str, dict[str, Any]] = {}
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


def propose(repo: Repository, *, branch: bool = True, push: bool = False, remote: str = "origin",
            **manifest: Any) -> Outcome:
    """Write a new manifest (``new_manifest(repo, **manifest)``) on branch ``exchange/<id>`` and
    commit it; optionally push. ``branch=False``: written in place, not committed. Under the
    repository lock, so two proposals cannot take the same id or the same copies."""
    with lock.locked(repo.root, "exchange propose"):
        data, left_out = new_manifest(repo, **manifest)
        relpath = repo.exchange_relpath(data["term"], data["id"])
        check_new(relpath, data)
        if repo.path(relpath).exists() or any(Path(p).stem == data["id"] for p in exchange_files(repo)):
            raise LibsyncError("rotation.exchange_exists", exchange=data["id"], path=relpath)
        outcome = Outcome(data["id"], relpath, "proposed", "propose", [relpath], left_out=left_out,
                          count=len(data["copies"]))
        text = repo.render("exchange", data)
        if not branch:
            store_write.apply(repo, {relpath: text}, command="exchange propose")
            return outcome
        outcome.commit, outcome.branch, outcome.pushed = commit_on_branch(
            repo, relpath, text, data, manifest.get("by"), push=push, remote=remote)
        return outcome


def create_from_plan(repo: Repository, plan: Plan, *, by: str | None = None, date: dt.date | None = None,
                     commit: bool = False) -> dict[str, Any]:
    """Write the proposed manifests of a schedule ``Plan`` together (all or none), under the lock."""
    with lock.locked(repo.root, "schedule --write"):
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
        texts = store_write.render_many(repo, manifests)   # canonical YAML, on both cores when there are many
        message = t("rotation.commit.schedule", term=plan.term, count=len(written)) if commit and written else None
        sha = store_write.apply(repo, {relpath: text for (relpath, _), text in zip(manifests, texts)},
                                message=message, command="schedule --write")
        return {"written": written, "skipped": skipped, "commit": sha}


# --- the steps after propose -------------------------------------------------------------------

@dataclass
class _Step:
    """One step in progress: the manifest as read and checked, and what the step changes."""

    repo: Repository
    relpath: str
    data: Manifest
    copies: Copies
    date: dt.date
    outcome: Outcome
    touched: dict[str, dict[str, Any]] = field(default_factory=dict)   # record relpath → record
    trailers: dict[str, Any] = field(default_factory=dict)
    ids: dict[str, str] = field(default_factory=dict)   # relpath → Git blob id, listed before reading


def _start(repo: Repository, exchange_id: str, action: str, date: dt.date | None) -> _Step:
    """Read and check the manifest for ``action``: legal from its status, a possible state, a date
    not before its history (and, to dispatch, inside the term and before the return)."""
    from libsync.store.read import Store

    # the files as they were before this step read them: the write refuses one changed since
    ids = dict(Store.of(repo).listing.ids)
    relpath, data = find(repo, exchange_id)
    if data.get("kind") == "donation" and action == "return":
        raise LibsyncError("rotation.donation.no_return", exchange=exchange_id)
    allowed, new_status = (DONATION_ACTIONS if data.get("kind") == "donation" else ACTIONS)[action]
    if data.get("status") not in allowed:
        raise LibsyncError("rotation.illegal_transition", exchange=exchange_id,
                           status=labels.exchange_status(data.get("status")), action=labels.action(action),
                           allowed=", ".join(labels.exchange_status(s) for s in allowed))
    copies = check_state(repo, relpath, data)
    day = date or dt.date.today()
    check_step_date(data, day)
    if action == "dispatch":
        check_dispatch_date(repo, data, day)
    outcome = Outcome(data["id"], relpath, new_status, action, count=len(data["copies"]))
    return _Step(repo, relpath, data, copies, day, outcome, ids=ids)


def _end(step: _Step, by: str | None, note: str | None, commit: bool, dry_run: bool = False) -> Outcome:
    """The new status in the manifest and its history; everything written (and committed) together
    (``dry_run``: checked as it would be written, nothing written)."""
    data, outcome = step.data, step.outcome
    data["status"] = outcome.status
    _history(data, outcome.status, step.date, by, note)
    check_new(step.relpath, data)
    message = commit_message(data, outcome.action, by, step.trailers)
    outcome.dry_run = dry_run
    outcome.files, outcome.commit = write_step(step.repo, step.relpath, data, step.touched, commit and not dry_run,
                                               message, expected=step.ids, dry_run=dry_run)
    if outcome.commit:
        outcome.branch = gitops.current_branch(step.repo.root)
    return outcome


def _set_item(item: dict[str, Any], status: str, date: dt.date, ref: str, holder: str | None) -> None:
    item["status"] = status
    if holder:
        item["holder"] = holder
    else:
        item.pop("holder", None)
    item["status_date"] = date.isoformat()
    item["status_ref"] = ref


def _locked(repo: Repository, action: str, exchange_id: str) -> Any:
    return lock.locked(repo.root, f"exchange {action} {exchange_id}")


def approve(repo: Repository, exchange_id: str, *, date: dt.date | None = None, by: str | None = None,
            note: str | None = None, commit: bool = False) -> Outcome:
    """proposed → approved."""
    with _locked(repo, "approve", exchange_id):
        return _end(_start(repo, exchange_id, "approve", date), by, note, commit)


def cancel(repo: Repository, exchange_id: str, *, date: dt.date | None = None, by: str | None = None,
           note: str | None = None, commit: bool = False) -> Outcome:
    """proposed | approved → cancelled."""
    with _locked(repo, "cancel", exchange_id):
        return _end(_start(repo, exchange_id, "cancel", date), by, note, commit)


def dispatch(repo: Repository, exchange_id: str, *, date: dt.date | None = None, by: str | None = None,
             note: str | None = None, scan: ScanPath | None = None, commit: bool = False) -> Outcome:
    """approved → dispatched: every copy leaves the sender for the receiver (``at-partner``)."""
    with _locked(repo, "dispatch", exchange_id):
        step = _start(repo, exchange_id, "dispatch", date)
        data, copies = step.data, step.copies
        others = other_active(repo, data, step.relpath)
        problems = []
        for copy in data["copies"]:
            code = copy["barcode"]
            _rel, _record, item = copies[code]
            if code in others:
                problems.append(t("rotation.why.in_exchange", barcode=code, ref=", ".join(others[code])))
            elif item.get("status") != "available":
                problems.append(t("rotation.why.not_available", barcode=code, status=labels.item_status(item.get("status")),
                                  ref=item.get("status_ref") or "—"))
            elif item.get("holder") not in (None, data["from"]):
                problems.append(t("rotation.why.held_elsewhere", barcode=code, holder=item.get("holder")))
        if problems:
            raise LibsyncError("rotation.cannot_dispatch", exit_code=1, exchange=exchange_id, count=len(problems),
                               details="; ".join(problems[:30]))
        if scan is not None:
            check, comparison = scan_check(repo, data, scan, step.date, by)
            step.outcome.check = comparison
            if check["missing"] or check["extra"]:
                raise LibsyncError("rotation.dispatch_scan_mismatch", exit_code=1, exchange=exchange_id,
                                   missing=", ".join(check["missing"]) or "—", extra=", ".join(check["extra"]) or "—")
            data["dispatched"] = check
        for copy in data["copies"]:
            rel, record, item = copies[copy["barcode"]]
            _set_item(item, "at-partner", step.date, data["id"], data["to"])
            step.touched[rel] = record
        return _end(step, by, note, commit)


def receive(repo: Repository, exchange_id: str, *, date: dt.date | None = None, by: str | None = None,
            note: str | None = None, scan: ScanPath | None = None, commit: bool = False,
            barcodes: str | None = None, mapping: dict[str, str] | None = None, dry_run: bool = False) -> Outcome:
    """dispatched → received: copies the receiver's scan lacks are ``missing-on-receipt``;
    ``dry_run``: everything checked and said, nothing written.

    A donation: the copies received are registered at the receiver under its own barcodes
    (``barcodes`` = the first of its series, or ``mapping`` old → new) and withdrawn at the
    giver, in the same write (``rotation.donation``)."""
    with _locked(repo, "receive", exchange_id):
        step = _start(repo, exchange_id, "receive", date)
        data = step.data
        if scan is not None:
            check, comparison = scan_check(repo, data, scan, step.date, by)
            step.outcome.check = comparison
            missing = set(check["missing"])
            for copy in data["copies"]:
                if copy["barcode"] in missing:
                    # it left the sender and never reached the receiver: in transit, held by no one
                    # (not at-partner with the receiver as holder), until it turns up or close
                    # records it lost
                    copy["outcome"] = "missing-on-receipt"
                    rel, record, item = step.copies[copy["barcode"]]
                    _set_item(item, "in-transit", step.date, data["id"], None)
                    step.touched[rel] = record
                    step.outcome.not_received.append(copy["barcode"])
            if step.outcome.not_received:
                step.trailers["Not-received"] = len(step.outcome.not_received)
        else:
            check = {"date": step.date.isoformat(), **({"by": by} if by else {})}
        data["received"] = check
        for copy in data["copies"]:
            rel, record, item = step.copies[copy["barcode"]]
            if copy.get("outcome") is None and item.get("status") == "in-transit":
                # recorded on its way (in-transit, held by the receiver): it has arrived
                _set_item(item, "at-partner", step.date, data["id"], data["to"])
                step.touched[rel] = record
        if data.get("kind") == "donation":
            from libsync.rotation.donation import accession_donation

            step.touched.update(accession_donation(repo, data, step.copies, step.date, start=barcodes,
                                                   mapping=mapping, by=by))
            step.trailers["Donated"] = sum(1 for c in data["copies"] if c.get("outcome") == "donated")
        elif barcodes is not None or mapping is not None:
            raise LibsyncError("rotation.donation.not_donation", exchange=exchange_id)
        return _end(step, by, note, commit, dry_run)


def return_copies(repo: Repository, exchange_id: str, *, date: dt.date | None = None, by: str | None = None,
                  note: str | None = None, scan: ScanPath | None = None, commit: bool = False) -> Outcome:
    """received → returned (the ``return`` step): copies back are ``available`` at the owner
    again; those the scan lacks are ``missing-on-return``."""
    with _locked(repo, "return", exchange_id):
        step = _start(repo, exchange_id, "return", date)
        data = step.data
        missing: set[str]
        if scan is not None:
            check, comparison = scan_check(repo, data, scan, step.date, by)
            step.outcome.check = comparison
            missing = set(check["missing"])
        else:
            check, missing = {"date": step.date.isoformat(), **({"by": by} if by else {})}, set()
        data["returned"] = check
        scanned = scan is not None
        for copy in data["copies"]:
            code = copy["barcode"]
            if copy.get("outcome") == "missing-on-receipt" and (code in missing or not scanned):
                continue   # never received: the receiver cannot hand it back (it stays in transit)
            if code in missing:
                copy["outcome"] = "missing-on-return"
                continue
            copy["outcome"] = "returned"
            rel, record, item = step.copies[code]
            _set_item(item, "available", step.date, data["id"], None)
            step.touched[rel] = record
        step.trailers["Missing"] = sum(1 for c in data["copies"] if c.get("outcome") == "missing-on-return")
        step.outcome.not_returned = [c["barcode"] for c in data["copies"] if c.get("outcome") != "returned"]
        return _end(step, by, note, commit)


def close(repo: Repository, exchange_id: str, *, date: dt.date | None = None, by: str | None = None,
          note: str | None = None, confirm_losses: bool = False, commit: bool = False) -> Outcome:
    """returned → closed: copies not back are recorded ``lost`` — only with ``confirm_losses``."""
    with _locked(repo, "close", exchange_id):
        step = _start(repo, exchange_id, "close", date)
        data, copies = step.data, step.copies
        lost_copies = losses(data)
        step.outcome.losses = lost_copies
        if lost_copies and not confirm_losses:
            raise LibsyncError("rotation.losses_unconfirmed", exit_code=1, exchange=exchange_id,
                               count=len(lost_copies), barcodes=", ".join(x["barcode"] for x in lost_copies))
        lost = {x["barcode"] for x in lost_copies}
        for copy in data["copies"]:
            if copy["barcode"] in lost:
                copy["outcome"] = "lost"
                if copy["barcode"] in copies:
                    rel, record, item = copies[copy["barcode"]]
                    _set_item(item, "lost", step.date, data["id"], None)
                    step.touched[rel] = record
        step.trailers["Lost"] = len(lost)
        return _end(step, by, note, commit)


STEPS: dict[str, Callable[..., Outcome]] = {
    "approve": approve, "dispatch": dispatch, "receive": receive, "return": return_copies, "close": close,
    "cancel": cancel,
}
_TAKES_SCAN = ("dispatch", "receive", "return")


def advance(repo: Repository, exchange_id: str, action: str, *, date: dt.date | None = None, by: str | None = None,
            note: str | None = None, scan: ScanPath | None = None, confirm_losses: bool = False,
            commit: bool = False, barcodes: str | None = None, mapping: dict[str, str] | None = None,
            dry_run: bool = False) -> Outcome:
    """Run the step ``action`` (approve, dispatch, receive, return, close, cancel); ``scan`` is
    used by dispatch, receive and return, ``confirm_losses`` by close, ``barcodes``, ``mapping``
    and ``dry_run`` by receive."""
    with _locked(repo, action, exchange_id):
        if action not in ACTIONS:
            raise LibsyncError("rotation.bad_action", action=action, known=", ".join(ACTIONS))
        extra: dict[str, Any] = {}
        if action in _TAKES_SCAN:
            extra["scan"] = scan
        if action == "close":
            extra["confirm_losses"] = confirm_losses
        if action == "receive":
            extra.update(barcodes=barcodes, mapping=mapping, dry_run=dry_run)
        return STEPS[action](repo, exchange_id, date=date, by=by, note=note, commit=commit, **extra)
