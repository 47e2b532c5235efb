"""`libsync share`: set the sharing level (``share``) and access level (``access``) of many
records at once.

``select(repo, Selection(...))`` finds the records a librarian means — by library, type,
curriculum grade, subject, series, a rotation batch, a search query (folded as search folds it)
and explicit ids — and ``plan_share`` says what would change. A record that lacks what Decree
93/2020 Art. 28 asks of a shared record (``libsync.model.sharing.lacking``) is listed with the
fields it lacks and left as it is; it never blocks the others. ``apply_share`` writes the
changed records through the store's write path: all of them or none, optionally as one commit.

What a record needs (``lacking``) and the network's default levels (``policy_for``) live in
``libsync.model.sharing`` and are re-exported here. This module never opens a file itself.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from libsync.errors import LibsyncError
from libsync.i18n import t
from libsync.model import gdpt
from libsync.model.sharing import REQUIRED_FOR_SHARING, lacking, policy_for
from libsync.store import write as store_write
from libsync.store.read import Store
from libsync.text import fold, fold_words

if TYPE_CHECKING:
    from libsync.repository import Repository

__all__ = ["REQUIRED_FOR_SHARING", "Selection", "SharePlan", "apply_share", "lacking", "plan_share",
           "policy_for", "select"]

SHOWN = 10   # records a confirmation lists by name


@dataclass
class Selection:
    """Which records: every given filter must hold (values inside one filter: any of them)."""

    library: str | None = None
    types: Sequence[str] = ()
    grades: Sequence[int] = ()
    subjects: Sequence[str] = ()
    series: Sequence[str] = ()
    batch: str | None = None
    query: str | None = None
    ids: Sequence[str] = ()     # "LIB/id" or "id"

    def empty(self) -> bool:
        return not (self.library or self.types or self.grades or self.subjects or self.series or self.batch
                    or self.query or self.ids)

    def refuse_blank(self) -> None:
        """A value with no words in it ("", " ", "-") would not narrow anything: a blank query
        matches every record, a blank subject or series every record without one. Refused, as
        an empty selection is, so that a slip never changes the whole network."""
        blanks = [("--subject", v) for v in self.subjects if not fold(v)]
        blanks += [("--series", v) for v in self.series if not fold(v)]
        if self.query is not None and not fold_words(self.query):
            blanks.append(("--query", self.query))
        if blanks:
            raise LibsyncError("share.blank_filter", option=blanks[0][0], value=blanks[0][1])


def _words(record: dict[str, Any]) -> set[str]:
    curriculum = record.get("curriculum") or {}
    parts: list[object] = [record.get("title"), record.get("subtitle"), record.get("series"), record.get("publisher"),
                           record.get("isbn"), record.get("call_number"), curriculum.get("subject"),
                           curriculum.get("series")]
    for key in ("authors", "subjects", "keywords"):
        value = record.get(key)
        if isinstance(value, list):
            parts.extend(value)
    words: set[str] = set()
    for part in parts:
        if isinstance(part, str):
            words.update(fold_words(part))
    return words


class _Matcher:
    """A ``Selection`` made ready to test many records."""

    def __init__(self, repo: Repository, selection: Selection) -> None:
        from libsync.rotation.batches import CompiledFilter, find_batch

        self.selection = selection
        self.types = set(selection.types)
        self.grades = set(selection.grades)
        self.subjects = {fold(s) for s in selection.subjects}
        self.series = {gdpt.series_filter_key(s) for s in selection.series}
        self.query = [w for w in fold_words(selection.query)] if selection.query else []
        self.batch_library: str | None = None
        self.batch_filter: CompiledFilter | None = None
        self.batch_barcodes: set[str] = set()
        if selection.batch:
            batch = find_batch(repo.network, selection.batch)
            self.batch_library = batch.get("library")
            flt = batch.get("filter") or {}
            self.batch_filter = CompiledFilter(flt)
            self.batch_barcodes = {b.casefold() for b in flt.get("barcodes") or [] if isinstance(b, str)}
        self.ids: set[tuple[str | None, str]] = set()
        for text in selection.ids:
            lib, _, rid = text.rpartition("/")
            self.ids.add((lib or None, rid))

    def __call__(self, record: dict[str, Any]) -> bool:
        s = self.selection
        library, rid = record.get("library"), record.get("id")
        if s.library and library != s.library:
            return False
        if self.ids and (library, rid) not in self.ids and (None, rid) not in self.ids:
            return False
        if self.types and record.get("type") not in self.types:
            return False
        curriculum = record.get("curriculum") or {}
        if self.grades and curriculum.get("grade") not in self.grades:
            return False
        if self.subjects:
            heads = {fold(x) for x in record.get("subjects") or [] if isinstance(x, str)}
            heads.add(fold(curriculum.get("subject")))
            if not heads & self.subjects:
                return False
        if self.series and gdpt.series_filter_key(curriculum.get("series") or record.get("series")) not in self.series:
            return False
        if self.batch_filter is not None:
            if library != self.batch_library:
                return False
            if self.batch_barcodes:
                codes = {i.get("barcode", "").casefold() for i in record.get("items") or []
                         if isinstance(i, dict) and isinstance(i.get("barcode"), str)}
                if not codes & self.batch_barcodes:
                    return False
            elif not self.batch_filter.matches(record):
                return False
        if self.query:
            words = _words(record)
            if not all(any(w.startswith(q) for w in words) for q in self.query):
                return False
        return True


def select(repo: Repository, selection: Selection) -> list[tuple[str, dict[str, Any]]]:
    """``(relpath, record)`` of every record ``selection`` names, in path order. A record file the
    store's read policy refuses stops the command (validate's message, file and line): a bulk
    change must not silently skip a record it was meant to change."""
    if selection.library:
        repo.network.library(selection.library)   # unknown code → the known ones
    match = _Matcher(repo, selection)
    store = Store.of(repo)
    prefix = f"records/{selection.library}/" if selection.library else "records/"
    linked = [rel for rel in store.listing.symlinks if (rel + "/").startswith(prefix) or prefix.startswith(rel + "/")]
    if linked:   # the listing leaves a symlinked record (or folder) out: it must not be skipped silently
        raise LibsyncError("file.symlink_refused", path=linked[0])
    loaded = store.records(strict=True, library=selection.library)
    chosen = [(rel, data) for rel, data in zip(loaded.paths, loaded.documents) if match(data)]
    if match.ids:
        found = {(d.get("library"), d.get("id")) for _, d in chosen} | {(None, d.get("id")) for _, d in chosen}
        unknown = sorted(f"{lib}/{rid}" if lib else rid for lib, rid in match.ids if (lib, rid) not in found)
        if unknown:
            raise LibsyncError("share.unknown_records", ids=", ".join(unknown[:SHOWN]), n=len(unknown))
    return chosen


@dataclass
class Change:
    relpath: str
    library: str
    id: str
    title: str
    before: dict[str, str]
    after: dict[str, str]

    def to_dict(self) -> dict[str, Any]:
        return {"path": self.relpath, "library": self.library, "id": self.id, "title": self.title,
                "before": self.before, "after": self.after}


@dataclass
class Refusal:
    relpath: str
    library: str
    id: str
    title: str
    share: str
    missing: list[str]
    problems: list[str] = field(default_factory=list)   # what validate reports in the record itself

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"path": self.relpath, "library": self.library, "id": self.id, "title": self.title,
                               "share": self.share, "missing": self.missing}
        if self.problems:
            out["problems"] = self.problems
        return out

    def text(self) -> str:
        if self.problems:
            return t("share.invalid", problems="; ".join(self.problems))
        return t("share.lacks", fields=", ".join(t(f"field.{name}") for name in self.missing))


@dataclass
class SharePlan:
    share: str | None
    access: str | None
    matched: int = 0
    changes: list[Change] = field(default_factory=list)
    refused: list[Refusal] = field(default_factory=list)
    unchanged: int = 0
    documents: dict[str, dict[str, Any]] = field(default_factory=dict, repr=False)
    expected: dict[str, str] = field(default_factory=dict, repr=False)   # relpath → blob id read
    texts: dict[str, bytes] = field(default_factory=dict, repr=False)    # what will be written
    examined: store_write.Examined = field(default_factory=dict, repr=False)

    @property
    def counts(self) -> dict[str, int]:
        return {"matched": self.matched, "changed": len(self.changes), "unchanged": self.unchanged,
                "refused": len(self.refused)}

    def missing_counts(self) -> dict[str, int]:
        """How many refused records lack each field (``invalid``: validate rejects the record itself)."""
        out: dict[str, int] = {}
        for refusal in self.refused:
            for name in refusal.missing or (["invalid"] if refusal.problems else []):
                out[name] = out.get(name, 0) + 1
        return out

    def to_dict(self) -> dict[str, Any]:
        return {"share": self.share, "access": self.access, "counts": self.counts,
                "missing": self.missing_counts(),
                "changes": [c.to_dict() for c in self.changes], "refused": [r.to_dict() for r in self.refused]}


def plan_share(repo: Repository, selection: Selection, share: str | None = None, access: str | None = None,
               today: dt.date | None = None) -> SharePlan:
    """What ``libsync share`` would change; nothing is written."""
    if share is None and access is None:
        raise LibsyncError("share.nothing_to_set")
    if selection.empty():
        raise LibsyncError("share.no_filter")
    selection.refuse_blank()
    day = (today or dt.date.today()).isoformat()
    plan = SharePlan(share, access)
    ids = Store.of(repo).listing.ids
    for rel, record in select(repo, selection):
        plan.matched += 1
        before = {"share": record.get("share", "internal"), "access": record.get("access", "catalog")}
        after = dict(before)
        if share is not None:
            after["share"] = share
        if access is not None:
            after["access"] = access
        if after == before:
            plan.unchanged += 1
            continue
        title = str(record.get("title", ""))
        missing = lacking(record, after["share"])
        if missing:
            plan.refused.append(Refusal(rel, str(record.get("library")), str(record.get("id")), title,
                                        after["share"], missing))
            continue
        new = dict(record)
        new.update(after)
        if record.get("created") is None or str(record.get("created")) <= day:
            new["updated"] = day
        plan.documents[rel] = new
        plan.expected[rel] = ids.get(rel, "")
        plan.changes.append(Change(rel, str(record.get("library")), str(record.get("id")), title, before, after))
    # each changed record rendered and read back as validate reads it: one that validate would
    # reject for a reason of its own (an old ddc: 8V …) is listed and left as it is, never
    # blocking the others
    plan.texts, plan.examined = store_write.render_and_examine(list(plan.documents.items()))
    for change in list(plan.changes):
        errors = plan.examined[change.relpath][0]
        if errors:
            plan.changes.remove(change)
            for key in (plan.documents, plan.expected, plan.texts, plan.examined):
                key.pop(change.relpath, None)
            plan.refused.append(Refusal(change.relpath, change.library, change.id, change.title, change.after["share"],
                                        [], [f"{p.where}: {p.message}" for p in errors[:3]]))
    return plan


def commit_message(plan: SharePlan) -> str:
    levels = ", ".join(f"{k}: {v}" for k, v in (("share", plan.share), ("access", plan.access)) if v)
    libraries = sorted({c.library for c in plan.changes})
    return t("share.commit_message", n=len(plan.changes), levels=levels, libraries=", ".join(libraries))


def apply_share(repo: Repository, plan: SharePlan, commit: bool = False) -> str | None:
    """Write the plan's records all-or-nothing (one commit with ``commit``); returns the sha."""
    if not plan.documents:
        return None
    message = commit_message(plan) if commit else None
    return store_write.apply(repo, dict(plan.texts), message=message, command="share", expected=plan.expected,
                             examined=plan.examined)
