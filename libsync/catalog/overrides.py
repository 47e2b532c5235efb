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
    """The repository's overrides (empty when the file does not exist)."""
    path = repository.root / RELPATH
    if not path.is_file():
        return Overrides()
    loaded = yamlio.load_file(path, RELPATH)
    if not loaded.ok:
        first = next(p for p in loaded.problems if p.severity == "error")
        where = f"{RELPATH}:{first.line}" if first.line else RELPATH
        raise LibsyncError("file.unreadable", path=where, reason=first.message)
    if not isinstance(loaded.data, dict):
        raise LibsyncError("catalog.bad_overrides", path=RELPATH, field="-")
    result = parse(loaded.data, loaded.text)
    st = path.stat()
    result.stamp = f"{st.st_size}:{st.st_mtime_ns}"
    return result
