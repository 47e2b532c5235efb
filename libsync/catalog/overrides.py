"""catalog/overrides.yaml: a cataloguer's never-merge / always-merge decisions.

::

    never_merge:
    - records: [XS/toan-6-t1-kntt, HD/toan-6-t1-cd]
      reason: Khác bộ sách
      by: thuvien-xuanson
      date: '2025-01-10'
    always_merge:
    - records: [XS/de-men, ND/de-men-phieu-luu-ky]

The file is validated against schema/overrides.schema.json; a broken file stops the merge
with its line number (a decision silently ignored would be worse than no merge).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Any

from libsync import schemas, yamlio
from libsync.errors import LibsyncError
from libsync.validation.gate import READING_RULES

if TYPE_CHECKING:
    from libsync.repository import Repository

RELPATH = "catalog/overrides.yaml"


@dataclass
class Overrides:
    never: list[tuple[str, str]] = field(default_factory=list)
    always: list[list[str]] = field(default_factory=list)
    refs: set[str] = field(default_factory=set)
    stamp: str = ""

    def to_data(self) -> dict[str, Any]:
        return {"never": [list(p) for p in self.never], "always": self.always}


def parse(data: dict[str, Any], text: str = "", relpath: str = RELPATH) -> Overrides:
    """Check ``data`` against the schema and contradictions; raise with file and line."""
    if not schemas.fast_validator("overrides").is_valid(data):
        from libsync.validation.schema_errors import first_problem

        problem = first_problem("overrides", data, text, relpath)   # the one validate shows first
        line = problem.line if problem else None                    # (None only if the validators disagree)
        where = f"{relpath}:{line}" if line else relpath
        raise LibsyncError("catalog.bad_overrides", path=where, field=(problem.pointer[1:] if problem else "") or "-")
    out = Overrides()
    for entry in data.get("never_merge") or []:
        refs = entry["records"]
        out.never.extend((a, b) for a, b in combinations(refs, 2))
        out.refs.update(refs)
    for entry in data.get("always_merge") or []:
        out.always.append(list(entry["records"]))
        out.refs.update(entry["records"])
    for n, entry in enumerate(data.get("always_merge") or []):
        group = set(entry["records"])
        for a, b in out.never:
            if a in group and b in group:
                line, _ = yamlio.locate(text, ["always_merge", n]) if text else (None, None)
                where = f"{relpath}:{line}" if line else relpath
                raise LibsyncError("catalog.overrides_contradict", path=where, a=a, b=b)
    return out


def load(repository: Repository) -> Overrides:
    """The repository's overrides (empty when the file does not exist), read through the store
    (``libsync.store.read``); a file that cannot be read stops with its line (exit 2), a file of
    the wrong shape with the field validate names first."""
    from libsync.store.read import Store
    from libsync.validation.gate import read_bytes

    path = repository.root / RELPATH
    if not path.is_file() and not path.is_symlink():
        return Overrides()
    exam = Store.of(repository).examine(RELPATH)   # a symlink is refused there, with the file
    reading = [p for p in exam.problem_list() if p.severity == "error" and p.rule in READING_RULES]
    if reading or exam.data is None:
        first = reading[0] if reading else None
        where = f"{RELPATH}:{first.line}" if first and first.line else RELPATH
        raise LibsyncError("file.unreadable", path=where, reason=first.message if first else "-")
    if not isinstance(exam.data, dict):
        raise LibsyncError("catalog.bad_overrides", path=RELPATH, field="-")
    result = parse(exam.data, read_bytes(repository.root, RELPATH).decode("utf-8", "replace"))
    result.stamp = exam.oid
    return result


# --- recording a decision (``libsync merge decide``) ----------------------------------------------

@dataclass
class Decided:
    """What ``decide`` did: ``added``, ``changed`` (the opposite decision was replaced) or
    ``unchanged`` (already decided so), and the document to write."""

    action: str
    records: tuple[str, str]
    same: bool
    replaced: list[str] = field(default_factory=list)
    document: dict[str, Any] = field(default_factory=dict, repr=False)
    expected: str = ""   # the file's blob id as read ("" when it did not exist)

    def to_dict(self) -> dict[str, Any]:
        return {"action": self.action, "records": list(self.records), "decision": "same" if self.same else "different",
                "replaced": self.replaced, "path": RELPATH}


def _record_exists(repository: Repository, ref: str) -> bool:
    from libsync.store.read import Store

    library, _, rid = ref.partition("/")
    if not library or not rid:
        return False
    return repository.record_relpath(library, rid) in set(Store.of(repository).files(("record",), f"records/{library}/"))


def decide(repository: Repository, a: str, b: str, same: bool, note: str | None = None, by: str | None = None,
           today: str | None = None) -> Decided:
    """Add the decision "``a`` and ``b`` are the same edition" (``same``) or "different" to the
    overrides document (nothing is written here). The opposite decision about exactly this pair
    is replaced; a group decision of more records that contradicts it stops with the line, for
    a person to split by hand."""
    import datetime as dt

    from libsync.store.read import Store

    if a == b:
        raise LibsyncError("catalog.decide.same_record", record=a)
    for ref in (a, b):
        if not _record_exists(repository, ref):
            raise LibsyncError("catalog.decide.unknown_record", record=ref)
    path = repository.root / RELPATH
    data: dict[str, Any] = {}
    expected = ""
    if path.is_file() or path.is_symlink():
        load(repository)   # refuses a broken or contradictory file with its line
        exam = Store.of(repository).examine(RELPATH)
        data = dict(exam.data) if isinstance(exam.data, dict) else {}
        expected = exam.oid
    pair = {a, b}
    wanted, other = ("always_merge", "never_merge") if same else ("never_merge", "always_merge")
    for entry in data.get(wanted) or []:
        if pair <= set(entry.get("records") or []):
            return Decided("unchanged", (a, b), same, document=data, expected=expected)
    replaced: list[str] = []
    kept: list[dict[str, Any]] = []
    for n, entry in enumerate(data.get(other) or []):
        refs = list(entry.get("records") or [])
        if not pair <= set(refs):
            kept.append(entry)
            continue
        if len(refs) > 2 and other == "always_merge":   # a group: which part is wrong is for a person to say
            text = path.read_bytes().decode("utf-8", "replace")
            line, _ = yamlio.locate(text, [other, n])
            raise LibsyncError("catalog.decide.in_group", path=f"{RELPATH}:{line}" if line else RELPATH,
                               a=a, b=b, n=len(refs))
        rest = [r for r in refs if r not in pair] if other == "never_merge" and len(refs) > 2 else []
        replaced.append(" + ".join(refs))
        if rest:   # a never-merge group: keep the rest apart from each other and from a and b
            kept.append({**entry, "records": [r for r in refs if r != b]})
            kept.append({**entry, "records": [r for r in refs if r != a]})
    document = {k: v for k, v in data.items() if k != other}
    if kept:
        document[other] = kept
    decision: dict[str, Any] = {"records": sorted(pair)}
    if note:
        decision["reason"] = note
    if by:
        decision["by"] = by
    decision["date"] = today or dt.date.today().isoformat()
    document[wanted] = [*(data.get(wanted) or []), decision]
    parse(document)   # the result must be a valid, consistent file
    return Decided("changed" if replaced else "added", (a, b), same, replaced, document, expected)


def write_decision(repository: Repository, decided: Decided, commit: bool = False) -> str | None:
    """Write the overrides file (the store's write path); returns the commit's sha with ``commit``."""
    from libsync.i18n import t
    from libsync.store import write as store_write

    if decided.action == "unchanged":
        return None
    message = None
    if commit:
        message = t("catalog.decide.commit_message", a=decided.records[0], b=decided.records[1],
                    decision=t("catalog.decide.same" if decided.same else "catalog.decide.different"))
    return store_write.apply_documents(repository, {RELPATH: decided.document}, message=message,
                                       command="merge decide", expected={RELPATH: decided.expected})
