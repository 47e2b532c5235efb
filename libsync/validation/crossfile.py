"""Rules that span files, run on the facts each file left (see ``rules.py``).

Library codes, terms and groups exist in network.yaml; record ids are unique per library
(case-insensitively, for Windows and macOS checkouts); barcodes are unique across the
network; manifests point at records and copies that exist; a copy is in at most one active
exchange at a time; copies of dispatched exchanges are where the manifest says; the records a
merge decision names exist (a warning: a record deleted since leaves a stale decision).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Protocol

from libsync import labels, yamlio
from libsync.network import parse_date
from libsync.problems import ERROR, WARNING, Problem
from libsync.validation.rules import ACTIVE_STATUSES, AWAY_STATUSES


class Checked(Protocol):
    """What the cross-file rules read of one file's result (``FileResult``): its kind and the
    facts its rules left — a tuple for a record, a dict for an exchange, network or inventory."""

    @property
    def kind(self) -> str: ...

    @property
    def facts(self) -> Any: ...


# (handover, return_due) of an exchange, as written in its manifest
Span = tuple[str | None, str | None]


class _Reporter:
    def __init__(self, root: Path, texts: Mapping[str, str] | None = None) -> None:
        self.root = root
        self.problems: list[Problem] = []
        self._texts: dict[str, str] = dict(texts or {})

    def _text(self, relpath: str) -> str:
        if relpath not in self._texts:
            try:
                self._texts[relpath] = (self.root / relpath).read_bytes().decode("utf-8", "replace")
            except OSError:
                self._texts[relpath] = ""
        return self._texts[relpath]

    def error(self, relpath: str, path: list[str | int], rule: str, key: str, **params: object) -> None:
        self._add(relpath, path, rule, key, ERROR, params)

    def warning(self, relpath: str, path: list[str | int], rule: str, key: str, **params: object) -> None:
        self._add(relpath, path, rule, key, WARNING, params)

    def _add(self, relpath: str, path: list[str | int], rule: str, key: str, severity: str,
             params: dict[str, object]) -> None:
        line, col = yamlio.locate(self._text(relpath), path)
        self.problems.append(Problem(relpath, line, col, rule, key, params, severity, yamlio.pointer(path)))


def _overlap(a: Span, b: Span) -> bool:
    a0, a1 = parse_date(a[0]), parse_date(a[1])
    b0, b1 = parse_date(b[0]), parse_date(b[1])
    if not (a0 and a1 and b0 and b1):
        return True
    return a0 <= b1 and b0 <= a1


DONATION_DONE = ("received", "closed")


def _check_donation(report: _Reporter, rel: str, facts: dict[str, Any], copy_state: dict[str, tuple[Any, ...]]) -> None:
    """A received donation: each donated copy is withdrawn at the giver and exists at the receiver."""
    accessions = {index: barcode for index, barcode in facts.get("accessions") or []}
    for barcode, _record, index, outcome in facts.get("copies", []):
        if outcome != "donated":
            continue
        state = copy_state.get(barcode)
        if state is not None and state[0] == facts.get("from") and state[2] != "withdrawn":
            report.error(rel, ["copies", index, "barcode"], "donation-copy-state", "rule.donation_not_withdrawn",
                         exchange=facts.get("id"), barcode=barcode, status=labels.later("item-status", state[2]),
                         library=facts.get("from"))
        new = accessions.get(index)
        there = copy_state.get(new) if new else None
        if there is None or there[0] != facts.get("to"):
            report.error(rel, ["copies", index], "donation-copy-state", "rule.donation_not_received",
                         exchange=facts.get("id"), barcode=barcode, new=new or "—", library=facts.get("to"))


def check(root: Path, results: Mapping[str, Checked], texts: Mapping[str, str] | None = None) -> list[Problem]:
    """Every cross-file problem of the repository (the caller keeps those of the files it checks).
    ``texts`` gives the text of files not (yet) on disk as they are, to place problems in them."""
    report = _Reporter(root, texts)
    network = results.get("network.yaml")
    net = network.facts if network is not None and network.facts else None
    codes = set(net["libraries"]) if net else None
    terms = set(net["terms"]) if net else None
    groups = set(net["groups"]) if net else None

    records: dict[tuple[str, str], str] = {}
    ids_folded: dict[tuple[str, str], str] = {}
    repeated: dict[str, list[tuple[str, int, str]]] = {}   # barcode -> (file, item index, barcode)
    copy_state: dict[str, tuple[Any, ...]] = {}            # (library, record, status, holder, file, index)
    first_place: dict[str, tuple[str, int, str]] = {}
    for rel, result in results.items():   # in path order (see engine.validate)
        facts = result.facts
        if not facts or result.kind != "record":
            continue
        rid, lib, items, _ = facts
        if codes is not None and isinstance(lib, str) and lib not in codes:
            report.error(rel, ["library"], "unknown-library", "rule.unknown_library", code=lib)
        if isinstance(lib, str) and isinstance(rid, str):
            records[(lib, rid)] = rel
            folded = (lib, rid.casefold())
            if folded in ids_folded:
                report.error(rel, ["id"], "duplicate-id", "rule.duplicate_id", id=rid, other=ids_folded[folded], library=lib)
            else:
                ids_folded[folded] = rel
        for barcode, status, holder, index in items:
            # barcodes are compared case-insensitively (a scanner or a hand may change the case:
            # ND-T00008 and nd-t00008 are one label); manifests name them exactly
            key = barcode.casefold()
            first = first_place.get(key)
            if first is None:
                first_place[key] = (rel, index, barcode)
            else:                                   # only repeated barcodes keep a list of places
                places = repeated.get(key)
                if places is None:
                    places = repeated[key] = [first]
                places.append((rel, index, barcode))
            copy_state.setdefault(barcode, (lib, rid, status, holder, rel, index))
            if codes is not None and holder and holder not in codes:
                report.error(rel, ["items", index, "holder"], "unknown-library", "rule.unknown_library", code=holder)

    for places in repeated.values():
        files = sorted({rel for rel, _, _ in places})
        if len(files) < 2:      # repeats inside one record are reported by that record's own rules
            continue
        reported = set()
        for rel, index, barcode in places:
            if rel in reported:
                continue
            reported.add(rel)
            other_rel = next(f for f in files if f != rel)
            report.error(rel, ["items", index, "barcode"], "duplicate-barcode", "rule.duplicate_barcode",
                         barcode=barcode, other=other_rel)

    for rel, result in results.items():   # catalog/overrides.yaml: the records decided about exist
        if result.kind != "overrides" or not isinstance(result.facts, dict):
            continue
        for key, n, k, ref in result.facts.get("named", []):
            library, _, rid = str(ref).partition("/")
            if (library, rid) not in records:
                report.warning(rel, [key, n, "records", k], "unknown-record", "rule.override_unknown_record", record=ref)

    # record files that could not be read (invalid YAML …): a manifest naming one is told so, not
    # that the record does not exist (the file's own problems say what is wrong with it)
    unreadable = {rel for rel, result in results.items() if result.kind == "record" and not result.facts}
    exchange_ids: dict[str, str] = {}
    active: dict[str, list[tuple[str, int, str | None, Span]]] = defaultdict(list)
    for rel, result in results.items():   # in path order (see engine.validate)
        facts = result.facts
        if not facts:
            continue
        if result.kind == "inventory":
            lib = facts.get("library")
            if codes is not None and isinstance(lib, str) and lib not in codes:
                report.error(rel, ["library"], "unknown-library", "rule.unknown_library", code=lib)
            continue
        if result.kind != "exchange":
            continue
        eid = facts.get("id")
        if isinstance(eid, str):
            if eid in exchange_ids:
                report.error(rel, ["id"], "duplicate-id", "rule.duplicate_exchange", id=eid, other=exchange_ids[eid])
            exchange_ids.setdefault(eid, rel)
        for field in ("from", "to"):
            code = facts.get(field)
            if codes is not None and isinstance(code, str) and code not in codes:
                report.error(rel, [field], "unknown-library", "rule.unknown_library", code=code)
        if terms is not None and isinstance(facts.get("term"), str) and facts["term"] not in terms:
            report.error(rel, ["term"], "unknown-term", "rule.unknown_term", term=facts["term"])
        if groups is not None and facts.get("group") and facts["group"] not in groups:
            report.error(rel, ["group"], "unknown-group", "rule.unknown_group", group=facts["group"])
        sender, status = facts.get("from"), facts.get("status")
        told: set[str] = set()
        for barcode, record, index, outcome in facts.get("copies", []):
            if (sender, record) not in records:
                path = f"records/{sender}/{record}.yaml"
                if path in unreadable:
                    if path not in told:   # once per record, at its first copy
                        told.add(path)
                        report.error(rel, ["copies", index, "record"], "record-unreadable", "rule.record_unreadable",
                                     record=record, library=sender, file=path)
                    continue
                report.error(rel, ["copies", index, "record"], "unknown-record", "rule.unknown_record",
                             record=record, library=sender)
                continue
            state = copy_state.get(barcode)
            if state is None or (state[0], state[1]) != (sender, record):
                report.error(rel, ["copies", index, "barcode"], "unknown-copy", "rule.unknown_copy",
                             barcode=barcode, record=record, library=sender)
                continue
            if status in ACTIVE_STATUSES:
                active[barcode].append((rel, index, eid, (facts.get("handover"), facts.get("return_due"))))
            if status in AWAY_STATUSES and outcome is None:
                _, _, copy_status, holder, _, _ = state
                if copy_status not in ("at-partner", "in-transit") or holder != facts.get("to"):
                    report.error(rel, ["copies", index, "barcode"], "exchange-copy-state", "rule.exchange_copy_state",
                                 exchange=eid, status=labels.later("exchange-status", status), barcode=barcode,
                                 copy_status=labels.later("item-status", copy_status),
                                 holder=holder or sender, to=facts.get("to"))

        if facts.get("kind") == "donation" and status in DONATION_DONE:
            _check_donation(report, rel, facts, copy_state)

    for barcode, uses in active.items():
        if len(uses) < 2:
            continue
        for i, (rel, index, _eid, span) in enumerate(uses):
            for other_rel, _, other_id, other_span in uses[:i] + uses[i + 1:]:
                if _overlap(span, other_span):
                    report.error(rel, ["copies", index, "barcode"], "copy-in-two-exchanges",
                                 "rule.copy_in_two_exchanges", barcode=barcode, other=other_id or other_rel)
                    break
    return report.problems
