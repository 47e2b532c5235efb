"""Term planning: which batch goes where, when it is handed over and when it comes back.

``plan_term(network, index, term_id, group=None, max_stay_days=None, earliest=None)``
plans the whole school year of ``term_id`` (its terms are the stages, in order) and returns
the ``Plan`` of that term, so that the choice made for the second term knows where each
batch went in the first one.

Rules:

* Round-robin: in each stage every batch of a rotation group goes to a partner of its
  library it has not visited yet this year (when there is one); among those, the partner
  that has received the fewest copies so far in this stage (balance), then the next one
  in the group's member order after the sender, shifted by the stage (round-robin).
  Batches are placed largest first so the balance works on the big ones.
* Handover: a school day inside the term, outside blackouts, not before ``earliest``;
  the senders of a group are staggered over the first school days (one sender a day).
* Return due: the last school day of the term that keeps the stay within
  ``max_stay_days`` (default ``rotation.max_stay_days`` of network.yaml, else 183 days).
* A batch that cannot be placed is reported with the reason (``Unplaced``): its library is
  in no rotation group, the group has one member, the batch has no copy free to travel,
  or no school day is left for the return.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from libsync.errors import LibsyncError
from libsync.rotation.batches import BatchResult, resolve_batch
from libsync.store.copies import CopyIndex

if TYPE_CHECKING:
    from libsync.network import Network


@dataclass
class Stage:
    term: str
    group: str
    batch: str
    name: str
    sender: str
    receiver: str
    copies: int
    handover: dt.date
    return_due: dt.date
    exchange_id: str

    @property
    def stay_days(self) -> int:
        return (self.return_due - self.handover).days

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["handover"] = self.handover.isoformat()
        data["return_due"] = self.return_due.isoformat()
        data["stay_days"] = self.stay_days
        return data


@dataclass
class Unplaced:
    batch: str
    library: str | None   # as the batch names it (hand-edited data may name none)
    reason: str  # catalogue key suffix: rotation.unplaced.<reason>
    params: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"batch": self.batch, "library": self.library, "reason": self.reason, **self.params}


@dataclass
class Plan:
    term: str
    term_name: str
    max_stay_days: int
    stages: list[Stage] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    batches: dict[str | None, BatchResult] = field(default_factory=dict)   # by batch id as written

    def balance(self) -> dict[str, dict[str, int]]:
        """Per library: copies sent and received, batches sent and received."""
        out: dict[str, dict[str, int]] = {}
        for s in self.stages:
            for lib in (s.sender, s.receiver):
                out.setdefault(lib, {"sent": 0, "received": 0, "batches_sent": 0, "batches_received": 0})
            out[s.sender]["sent"] += s.copies
            out[s.sender]["batches_sent"] += 1
            out[s.receiver]["received"] += s.copies
            out[s.receiver]["batches_received"] += 1
        return dict(sorted(out.items()))

    def to_dict(self) -> dict[str, Any]:
        return {
            "term": self.term,
            "term_name": self.term_name,
            "max_stay_days": self.max_stay_days,
            "stages": [s.to_dict() for s in self.stages],
            "unplaced": [u.to_dict() for u in self.unplaced],
            "balance": self.balance(),
        }


def exchange_id(sender: str, receiver: str, term_id: str, batch_id: str) -> str:
    """``xs-hd-2024-2025-hk1-xs-truyen``: sender and receiver first (CODEOWNERS gives the
    manifest to both libraries by that prefix), then term and batch (the file name)."""
    return f"{sender}-{receiver}-{term_id.replace('/', '-')}-{batch_id}".lower()[:80]


def _rotation_groups(network: Network, group_id: str | None) -> list[dict[str, Any]]:
    if group_id:
        group = network.group(group_id)
        if group is None:
            known = ", ".join(g.get("id", "?") for g in network.groups) or "—"
            raise LibsyncError("rotation.unknown_group", group=group_id, known=known)
        if not group.get("rotation"):
            raise LibsyncError("rotation.group_not_rotating", group=group_id)
        return [group]
    return [g for g in network.groups if g.get("rotation")]


def _return_day(days: list[dt.date], handover: dt.date, limit: dt.date) -> dt.date | None:
    """The last of the (sorted) school ``days`` after ``handover`` and not after ``limit``."""
    at = bisect_right(days, limit) - 1
    if at >= 0 and days[at] > handover:
        return days[at]
    return None


def plan_year(network: Network, index: CopyIndex, school_year: str, group: str | None = None,
              max_stay_days: int | None = None, earliest: dt.date | None = None,
              only_term: str | None = None) -> dict[str, Plan]:
    """Plans of every term of ``school_year`` (stage order = term order)."""
    terms = [t for t in network.terms.values() if t.school_year == school_year]
    if not terms:
        raise LibsyncError("repo.unknown_term", term=school_year, known=", ".join(network.terms))
    max_stay = max_stay_days or network.max_stay_days
    if max_stay < 1:
        raise LibsyncError("rotation.bad_max_stay", days=max_stay)
    groups = _rotation_groups(network, group)
    resolved = {b.get("id"): resolve_batch(b, index) for b in network.batches}

    # which group each batch rotates in
    batch_group: dict[str | None, dict[str, Any] | None] = {}
    for batch in network.batches:
        chosen = None
        if batch.get("group"):
            chosen = next((g for g in groups if g.get("id") == batch["group"]), None)
        else:
            chosen = next((g for g in groups if batch.get("library") in g.get("members", [])), None)
        batch_group[batch.get("id")] = chosen

    visited: dict[str, set[str]] = {}
    plans: dict[str, Plan] = {}
    for stage_no, term in enumerate(terms):
        plan = Plan(term.id, term.name, max_stay, batches=resolved)
        plans[term.id] = plan
        days = network.school_days_in(term)
        if earliest:
            days = [d for d in days if d >= earliest]
        if not days:
            if only_term is None or only_term == term.id:
                raise LibsyncError("rotation.no_school_days", term=term.id,
                                   earliest=(earliest or term.start).isoformat(), end=term.end.isoformat())
            continue
        for grp in groups:
            members = [m for m in grp.get("members", []) if m in network.libraries]
            mine = [b for b in network.batches if batch_group.get(b.get("id")) is grp]
            if not mine:
                continue
            if len(members) < 2:
                for b in mine:
                    plan.unplaced.append(Unplaced(b["id"], b.get("library", ""), "group_too_small", {"group": grp["id"]}))
                continue
            received = {m: 0 for m in members}
            position = {m: i for i, m in enumerate(members)}
            order = sorted(mine, key=lambda b: (-resolved[b["id"]].size, b["id"]))
            for b in order:
                res = resolved[b["id"]]
                lib: str | None = b.get("library")
                if lib is None or lib not in position:
                    plan.unplaced.append(Unplaced(b["id"], lib, "not_member", {"group": grp["id"]}))
                    continue
                if res.size == 0:
                    plan.unplaced.append(Unplaced(b["id"], lib, "empty", {"left_out": len(res.left_out)}))
                    continue
                seen = visited.setdefault(b["id"], set())
                n, shift = len(members), position[lib] + 1 + stage_no
                # not visited yet, fewest copies received, then round-robin order (distinct for
                # every member, so the name never decides)
                partner = min((c in seen, received[c], (position[c] - shift) % n, c) for c in members if c != lib)[3]
                me = position[lib]
                handover = days[min(me, len(days) - 1)]
                limit = min(term.end, handover + dt.timedelta(days=max_stay))
                back = _return_day(days, handover, limit)
                if back is None:
                    plan.unplaced.append(Unplaced(b["id"], lib, "no_return_day",
                                                  {"handover": handover.isoformat(), "max_stay_days": max_stay}))
                    continue
                seen.add(partner)
                received[partner] += res.size
                plan.stages.append(Stage(term.id, grp["id"], b["id"], res.name, lib, partner, res.size,
                                         handover, back, exchange_id(b["library"], partner, term.id, b["id"])))
        for b in network.batches:
            if batch_group.get(b.get("id")) is None and (group is None or b.get("group") == group):
                plan.unplaced.append(Unplaced(b.get("id", "?"), b.get("library", ""), "no_group", {}))
        plan.stages.sort(key=lambda s: (s.handover, s.sender, s.batch))
    return plans


def plan_term(network: Network, index: CopyIndex, term_id: str, group: str | None = None,
              max_stay_days: int | None = None, earliest: dt.date | None = None) -> Plan:
    term = network.term(term_id)
    return plan_year(network, index, term.school_year, group, max_stay_days, earliest, only_term=term_id)[term_id]


def libraries_without_batches(network: Network, group: str | None = None) -> list[str]:
    """Members of the rotating groups (or of ``group``) that define no batch: nothing of theirs
    can be scheduled until one is added (``libsync batch add``)."""
    having = {b.get("library") for b in network.batches}
    members = [m for g in _rotation_groups(network, group) for m in g.get("members", [])]
    return [m for m in dict.fromkeys(members) if m in network.libraries and m not in having]
