"""What checking one file leaves behind: the record both the checker (``engine``) and the
cache (``cache``) deal in, in a module of its own so neither has to import the other for it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class FileResult:
    relpath: str
    kind: str
    digest: str
    problems: list[list[Any]]   # problem states (see Problem.to_state)
    facts: list[Any] | dict[str, Any] | None    # a list for a record, a mapping otherwise (see rules.CHECKERS)
    stat: list[Any] | None = None    # libsync.filecache stamp: [size, mtime_ns, ctime_ns, inode, digest]
    checked: bool = True    # False: parsed for facts only (outside the check set)
