"""Copy cataloguing (`libsync enrich`): fill a library's empty fields from its partners' records.

Library Law 2019 Art. 29 asks linked libraries to share their cataloguing: a record one library
has catalogued well completes a partner's poor record of the same book. "The same book" is the
union catalogue's cluster (``libsync.catalog.union.open_union`` for the library's audience: its
own records and the records partners share with the network or the public — nothing internal
of another library is ever a source). A MARC file (``--from``) can be one more source; its
records are matched to the library's records with the union catalogue's own matching
(``libsync.catalog.merge.cluster_features``).

Rules, field by field (``FIELDS``; ``classification`` key by key, ``classification.ddc`` …):

* a value the record has is never changed, unless the caller names the field in ``overwrite``;
* ``subjects`` and ``keywords`` are index terms: the sources' lists are joined (the same words
  once, as the union catalogue joins them);
* every other field must be the same in every source that has it — the same words (case,
  NFC/NFD, punctuation and i/y spellings aside; ``libsync.text.identity_key``), the same
  publisher (``match.publisher_key``), the same ISBN-13; an author list that begins another one
  is the same list, less complete. Sources that disagree are a *conflict*: the field stays as it
  is and the conflict is reported with each value and its sources;
* with no subject from any source, a heading from the record's classification (DDC, then the
  19-class table: ``libsync.model.classification.subject_from``) fills ``subjects``;
* each filled field is recorded in ``provenance.enriched`` (field, sources, date) — provenance
  is private to the library (``libsync.audience``);
* ``share_when_complete``: a record whose share is below the sharing policy's level
  (``libsync.model.sharing.policy_for``) and that lacked something Decree 93/2020 Art. 28 asks
  before this run but lacks nothing after it is promoted to the policy's level.

``plan_enrich`` reads (through the store) and decides; ``apply_enrich`` writes the changed
records through ``libsync.store.write.apply``: all of them or none. A changed record that would
still not validate (an error the enrichment does not cure) is held back and listed; it never
blocks the others. This module never opens a repository file itself and never prints.
"""

from __future__ import annotations

import datetime as dt
import os
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from libsync import audience as _audience
from libsync.catalog import match
from libsync.catalog import merge as _merge
from libsync.errors import LibsyncError, os_reason
from libsync.model import classification as _classification
from libsync.model.enums import SHARE_LEVELS
from libsync.store import write as store_write
from libsync.text import identity_key

if TYPE_CHECKING:
    from libsync.problems import Problem
    from libsync.repository import Repository

FIELDS = ("subjects", "keywords", "classification", "call_number", "authors", "publisher", "place", "year", "isbn",
          "pages", "summary")
JOINED = ("subjects", "keywords")          # lists joined across sources; never a conflict
MARC_LIBRARY = "~from"                      # stands for the MARC file in matching keys (no library code looks so)
_EMPTY: tuple[object, ...] = (None, "", [], {})


# --- the plan -----------------------------------------------------------------------------------

@dataclass
class Fill:
    """One field to fill: ``record`` is "LIB/id", ``field`` a name of ``FIELDS`` or
    ``classification.<scheme>``; ``sources`` every source that gave the value, best first."""

    record: str
    field: str
    old: Any
    new: Any
    sources: list[str]

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record, "field": self.field, "old": self.old, "new": self.new, "from": self.sources}


@dataclass
class Conflict:
    """Sources that disagree on a field: each distinct value with the sources that give it."""

    record: str
    field: str
    values: list[tuple[Any, list[str]]]

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record, "field": self.field,
                "values": [{"value": v, "from": s} for v, s in self.values]}


@dataclass
class Plan:
    """What ``enrich`` would do: the fields to fill, the conflicts, the promotions, and the new
    record documents by path (only the records that change)."""

    libraries: list[str]
    records: int = 0                       # records examined
    with_sources: int = 0                  # … that had at least one partner or MARC source
    fills: list[Fill] = field(default_factory=list)
    conflicts: list[Conflict] = field(default_factory=list)
    promoted: list[dict[str, Any]] = field(default_factory=list)
    still_lacking: list[dict[str, Any]] = field(default_factory=list)
    held_back: list[dict[str, Any]] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)
    documents: dict[str, dict[str, Any]] = field(default_factory=dict)
    texts: dict[str, bytes] = field(default_factory=dict)
    expected: dict[str, str] = field(default_factory=dict, repr=False)   # relpath → Git blob id read
    examined: store_write.Examined = field(default_factory=dict, repr=False)   # the texts as validate read them
    applied: bool = False
    commit: str | None = None

    @property
    def changed_records(self) -> int:
        return len(self.texts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "libraries": self.libraries,
            "applied": self.applied,
            "commit": self.commit,
            "summary": {"records": self.records, "with_sources": self.with_sources,
                        "changed_records": self.changed_records, "fields": len(self.fills),
                        "conflicts": len(self.conflicts), "promoted": len(self.promoted),
                        "held_back": len(self.held_back), "skipped": len(self.skipped)},
            "changes": [f.to_dict() for f in self.fills],
            "conflicts": [c.to_dict() for c in self.conflicts],
            "promoted": self.promoted,
            "still_lacking": self.still_lacking,
            "held_back": self.held_back,
            "skipped": [{"file": p.file, "line": p.line, "message": p.message} for p in self.skipped],
        }


# --- comparing values ---------------------------------------------------------------------------

def _empty(value: object) -> bool:
    return value in _EMPTY


def _norm(name: str, value: Any) -> object:
    """The key under which two values of field ``name`` count as the same."""
    if name == "isbn":
        return match.isbn13(str(value)) or identity_key(str(value))
    if name == "publisher":
        return match.publisher_key(str(value)) or identity_key(str(value))
    if name == "authors":
        return tuple(identity_key(str(a)) for a in value)
    if name in ("year", "pages"):
        return value
    if name == "classification.ddc":
        return _classification.normalise_ddc(value) or identity_key(str(value))
    return identity_key(str(value))


def _same_authors(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    return longer[:len(shorter)] == shorter


def _groups(name: str, offered: list[tuple[Any, str]]) -> list[tuple[Any, list[str]]]:
    """Distinct values among ``offered`` (value, source), best source first: each value (the
    first source's spelling; for authors the longest list) with the sources that give it."""
    groups: list[tuple[object, Any, list[str]]] = []     # (key, value, sources)
    for value, source in offered:
        key = _norm(name, value)
        for n, (gkey, _, sources) in enumerate(groups):
            if isinstance(gkey, tuple) and isinstance(key, tuple):   # authors
                if _same_authors(gkey, key):
                    if len(key) > len(gkey):   # the fuller list, as the source that has it spells it
                        groups[n] = (key, value, sources)
                    sources.append(source)
                    break
            elif gkey == key:
                sources.append(source)
                break
        else:
            groups.append((key, value, [source]))
    return [(value, sources) for _, value, sources in groups]


def _joined(lists: Iterable[tuple[list[Any], str]]) -> tuple[list[Any], list[str]]:
    """Subject or keyword lists joined: the same words once, in source order; and the sources
    that added something."""
    seen: set[str] = set()
    out: list[Any] = []
    used: list[str] = []
    for values, source in lists:
        added = False
        for v in values:
            k = identity_key(str(v))
            if k and k not in seen:
                seen.add(k)
                out.append(v)
                added = True
        if added:
            used.append(source)
    return out, used


# --- one record ---------------------------------------------------------------------------------

def _get(record: dict[str, Any], name: str) -> Any:
    if name.startswith("classification."):
        cls = record.get("classification")
        return cls.get(name.split(".", 1)[1]) if isinstance(cls, dict) else None
    return record.get(name)


def _put(record: dict[str, Any], name: str, value: Any) -> None:
    if name.startswith("classification."):
        cls = dict(record.get("classification") or {})
        cls[name.split(".", 1)[1]] = value
        record["classification"] = cls
    else:
        record[name] = value


def _field_names(record: dict[str, Any], sources: list[tuple[str, dict[str, Any]]]) -> list[str]:
    """``FIELDS`` with ``classification`` spread into the schemes the record or a source has."""
    schemes: set[str] = set()
    for rec in [record, *(r for _, r in sources)]:
        cls = rec.get("classification")
        if isinstance(cls, dict):
            schemes.update(str(k) for k in cls)
    out: list[str] = []
    for name in FIELDS:
        if name == "classification":
            ordered = [s for s in _classification.SCHEMES if s in schemes] + sorted(schemes - set(_classification.SCHEMES))
            out.extend(f"classification.{s}" for s in ordered)
        else:
            out.append(name)
    return out


def _may_write(name: str, current: Any, overwrite: frozenset[str]) -> bool:
    return _empty(current) or name in overwrite or (name.startswith("classification.") and "classification" in overwrite)


def enrich_record(record: dict[str, Any], key: str, sources: list[tuple[str, dict[str, Any]]],
                  overwrite: frozenset[str] = frozenset()) -> tuple[dict[str, Any], list[Fill], list[Conflict]]:
    """The record with its empty fields filled from ``sources`` ((name, record), best first),
    the fills and the conflicts. ``record`` itself is not changed."""
    new = dict(record)
    fills: list[Fill] = []
    conflicts: list[Conflict] = []
    for name in _field_names(record, sources):
        current = _get(record, name)
        if not _may_write(name, current, overwrite):
            continue
        offered = [(value, src) for src, rec in sources if not _empty(value := _get(rec, name))]
        if not offered:
            continue
        if name in JOINED:
            value, used = _joined((list(v), s) for v, s in offered if isinstance(v, list))
            if not value or (not _empty(current) and [identity_key(str(v)) for v in value]
                             == [identity_key(str(v)) for v in current]):
                continue
            _put(new, name, value)
            fills.append(Fill(key, name, current if not _empty(current) else None, value, used))
            continue
        groups = _groups(name, offered)
        if len(groups) > 1:
            conflicts.append(Conflict(key, name, groups))
            continue
        value, used = groups[0]
        if not _empty(current) and _norm(name, current) == _norm(name, value):
            continue   # --overwrite, and the sources say what the record says
        _put(new, name, value)
        fills.append(Fill(key, name, current if not _empty(current) else None, value, used))
    if _empty(new.get("subjects")) and not any(c.field == "subjects" for c in conflicts):
        found = _classification.subject_from(new.get("classification"))
        if found is not None:
            scheme, label = found
            heading = label.vi
            new["subjects"] = [heading]
            code = new["classification"][scheme]
            fills.append(Fill(key, "subjects", None, [heading], [f"classification.{scheme} {code}"]))
    return new, fills, conflicts


def _with_provenance(record: dict[str, Any], fills: list[Fill], day: str) -> dict[str, Any]:
    """``provenance.enriched`` holds where each filled field's value now comes from (one entry
    per field: a field filled again replaces its entry)."""
    prov = dict(record.get("provenance") or {})
    entries = [e for e in prov.get("enriched") or [] if isinstance(e, dict)]
    names = {f.field for f in fills}
    entries = [e for e in entries if e.get("field") not in names]
    entries.extend({"field": f.field, "from": list(f.sources), "date": day} for f in fills)
    prov["enriched"] = entries
    record["provenance"] = prov
    return record


# --- sources --------------------------------------------------------------------------------------

def _ranked(records: list[tuple[str, dict[str, Any]]], lead: str | None) -> list[tuple[str, dict[str, Any]]]:
    """Best source first: the richest record, the lead library's, then by name (as the union
    catalogue chooses its description)."""
    return sorted(records, key=lambda item: (-_merge.richness(item[1]), item[1].get("library") != lead, item[0]))


def _partner_sources(repo: Repository, library: str, targets: set[str]) -> tuple[dict[str, list[str]], list[Problem]]:
    """For each target path, the paths of the partner records in its cluster of ``library``'s
    union catalogue (only what ``library`` may see), and the files the union left out."""
    from libsync.catalog.union import open_union

    partners: dict[str, list[str]] = {}
    union, skipped = open_union(repo, library)
    with union:
        for cluster in union.clusters():
            members = cluster["members"]
            if len(members) < 2:
                continue
            mine = [repo.record_relpath(m["library"], m["record"]) for m in members if m["library"] == library]
            mine = [p for p in mine if p in targets]
            if not mine:
                continue
            others = [repo.record_relpath(m["library"], m["record"]) for m in members if m["library"] != library]
            if others:
                for path in mine:
                    partners[path] = others
    return partners, list(skipped)


def read_marc_sources(path: str) -> list[tuple[str, dict[str, Any]]]:
    """(source name, record) of each readable record of a MARC file (ISO 2709 or MARCXML)."""
    from libsync.interchange import marc

    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise LibsyncError("enrich.from_unreadable", path=path, reason=os_reason(exc)) from None
    read = marc.read_marc(data, path)
    name = os.path.basename(path)
    return [(f"{name}#{item.position}", _merge.nfc_record(item.record)) for item in read.items if item.record]


def _marc_matches(targets: dict[str, dict[str, Any]], marc_records: list[tuple[str, dict[str, Any]]]) -> dict[str, list[int]]:
    """For each target path, the indexes of the MARC records the union catalogue's matching puts
    in its cluster."""
    if not marc_records:
        return {}
    feats: list[tuple[str, match.Features, object]] = []   # (sort key, features, target path or MARC index)
    for path, rec in targets.items():
        f = match.features(_merge.nfc_record(rec))
        feats.append((f.key, f, path))
    for n, (_, rec) in enumerate(marc_records):
        f = match.features({**rec, "library": MARC_LIBRARY, "id": f"{n:08d}"})
        feats.append((f.key, f, n))
    feats.sort(key=lambda x: x[0])
    with _merge.quiet_gc():
        clustering = _merge.cluster_features([f for _, f, _ in feats])
    found: dict[str, list[int]] = {}
    for members in clustering.clusters:
        owners = [feats[i][2] for i in members]
        marc_idx = [o for o in owners if isinstance(o, int)]
        if not marc_idx:
            continue
        for o in owners:
            if isinstance(o, str):
                found[o] = marc_idx
    return found


# --- planning -------------------------------------------------------------------------------------

def _targets(repo: Repository, library: str | None, records: Sequence[str]) -> dict[str, list[str]]:
    """Target record paths by library, from ``--library`` or ``--records LIB/ID …``."""
    from libsync.store.read import Store

    store = Store.of(repo)
    listed = set(store.files(("record",)))
    out: dict[str, list[str]] = defaultdict(list)
    if library:
        code = library.upper()
        if code not in repo.network.libraries:
            raise LibsyncError("enrich.unknown_library", library=library,
                               known=", ".join(sorted(repo.network.libraries)))
        out[code] = store.files(("record",), f"records/{code}/")
    for ref in records:
        lib, sep, rid = ref.strip().partition("/")
        path = repo.record_relpath(lib.upper(), rid) if sep and lib and rid else ""
        if not path or path not in listed:
            raise LibsyncError("enrich.no_record", record=ref)
        if path not in out[lib.upper()]:
            out[lib.upper()].append(path)
    return {lib: sorted(paths) for lib, paths in sorted(out.items()) if paths}


def check_overwrite(names: Sequence[str]) -> frozenset[str]:
    """``--overwrite`` values: names of ``FIELDS`` or ``classification.<scheme>``; else a usage error."""
    for name in names:
        scheme = name.split(".", 1)[1] if name.startswith("classification.") else None
        if name not in FIELDS and not scheme:
            raise LibsyncError("enrich.bad_field", field=name, choices=", ".join(FIELDS))
    return frozenset(names)


def plan_enrich(repo: Repository, library: str | None = None, records: Sequence[str] = (),
                overwrite: Sequence[str] = (), marc_file: str | None = None, share_when_complete: bool = False,
                today: str | None = None) -> Plan:
    """What ``enrich`` would do (see the module docstring); nothing is written."""
    from libsync.model import sharing
    from libsync.store.read import Store

    if not library and not records:
        raise LibsyncError("enrich.no_target")
    wanted = check_overwrite(overwrite)
    day = today or dt.date.today().isoformat()
    marc_records = read_marc_sources(marc_file) if marc_file else []
    store = Store.of(repo)
    net = repo.network
    groups = _targets(repo, library, records)
    plan = Plan(libraries=list(groups))
    changed: list[tuple[str, str, dict[str, Any], list[Fill], dict[str, Any] | None]] = []
    for lib, paths in groups.items():
        partner_paths, skipped = _partner_sources(repo, lib, set(paths))
        plan.skipped.extend(skipped)
        wanted_partners = sorted({p for ps in partner_paths.values() for p in ps})
        partners: dict[str, dict[str, Any]] = {}
        for rel, doc in store.iter_documents(wanted_partners, strict=False):
            if isinstance(doc, dict) and _audience.can_see(doc, lib):
                partners[rel] = _merge.nfc_record(_audience.redact(doc, lib))
        targets = {rel: doc for rel, doc in store.current(paths) if isinstance(doc, dict)}
        read_ids = store.listing.ids      # what ``current`` read: the write refuses if a file changes meanwhile
        plan.expected.update({rel: read_ids.get(rel, "") for rel in paths})
        marc_of = _marc_matches(targets, marc_records)
        for rel in paths:
            record = targets[rel]
            key = f"{record.get('library')}/{record.get('id')}"
            found = [(f"{p['library']}/{p['id']}", p) for p in (partners.get(q) for q in partner_paths.get(rel, []))
                     if p is not None]
            sources = _ranked(found, net.lead) + _ranked([marc_records[i] for i in marc_of.get(rel, [])], None)
            plan.records += 1
            if sources:
                plan.with_sources += 1
            new, fills, conflicts = enrich_record(record, key, sources, wanted)
            plan.conflicts.extend(conflicts)
            promoted = None
            if share_when_complete:
                promoted = _promote(net, record, new, key, plan, sharing)
            if not fills and promoted is None:
                continue
            if fills:
                _with_provenance(new, fills, day)
            new["updated"] = max(day, str(record.get("updated") or ""), str(record.get("created") or ""))
            changed.append((rel, key, new, fills, promoted))
    # each changed record rendered and read back as ``libsync validate`` reads it (both cores when many)
    texts, examined = store_write.render_and_examine([(rel, new) for rel, _, new, _, _ in changed])
    for rel, key, new, fills, promoted in changed:
        problems = examined[rel][0]
        if problems:
            plan.held_back.append({"record": key, "problems": [f"{p.where}: {p.message}" for p in problems[:3]]})
            continue
        plan.fills.extend(fills)
        if promoted is not None:
            plan.promoted.append(promoted)
        plan.documents[rel] = new
        plan.texts[rel] = texts[rel]
        plan.examined[rel] = examined[rel]
    plan.expected = {rel: oid for rel, oid in plan.expected.items() if rel in plan.texts}
    return plan


def _promote(net: Any, before: dict[str, Any], after: dict[str, Any], key: str, plan: Plan, sharing: Any) -> dict[str, Any] | None:
    """Promote ``after`` (in place) to the policy's share level when it has just become complete
    for it; note a record below the level that still lacks something."""
    share, access = sharing.policy_for(net, str(before.get("library")), before.get("type"))
    current = before.get("share", _audience.SHARE_DEFAULT)
    if SHARE_LEVELS.index(share) <= SHARE_LEVELS.index(current):
        return None
    missing = sharing.lacking(after, share)
    if missing:
        plan.still_lacking.append({"record": key, "share": share, "lacking": missing})
        return None
    if not sharing.lacking(before, share):
        return None   # complete before this run: kept where its library put it
    after["share"] = share
    out: dict[str, Any] = {"record": key, "share": [current, share]}
    if "access" not in before:
        after["access"] = access
        out["access"] = [None, access]
    return out


def apply_enrich(repo: Repository, plan: Plan, commit: bool = False) -> Plan:
    """Write the plan's records all-or-nothing (each was checked as it was planned; the write
    path adds the cross-file rules and refuses a record another command changed since it was
    read); with ``commit``, as one Git commit. A refusal raises ``LibsyncError`` and changes
    nothing."""
    from libsync.i18n import t

    if not plan.texts:
        return plan
    message = None
    if commit:
        message = t("enrich.commit_message", libraries=", ".join(plan.libraries), records=plan.changed_records,
                    fields=len(plan.fills))
    plan.commit = store_write.apply(repo, dict(plan.texts), message=message, command="enrich",
                                    examined=plan.examined, expected=plan.expected)
    plan.applied = True
    return plan
