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
