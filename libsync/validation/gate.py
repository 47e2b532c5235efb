"""The one door through which commands read data files: what validate rejects is refused.

The store (``libsync.store.read``) applies the same verdict to what it examines, and reads here a
file that is not a data file of the layout; the write path checks a change with it. A file is read and schema-checked exactly as ``libsync validate`` does
it (the same code: ``engine.check_document``), so no command ever works on data of the wrong
shape (an ``int`` where a list belongs, an unknown weekday, a ``!!binary`` value …): it stops
with validate's first messages, file and line, and a pointer to ``libsync validate``. Never a
traceback. The rules beyond the schema (dates in order, Art. 28 …) are left to validate and to
each command's own checks, so a record that is merely incomplete can still be read and fixed.

``check_raw`` gives ``(data, [])`` or ``(None, errors)``; ``read`` reads one file and raises the
refusal; ``READING_RULES`` are the problems that mean a file could not be read at all.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from libsync import schemas, yamlio
from libsync.errors import LibsyncError, os_reason
from libsync.problems import ERROR, Problem, msg

SHOWN = 3   # errors quoted in a refusal; validate lists them all
# Rules that mean the file could not be read at all (exit 2, as for any unreadable input); any
# other error is a problem in readable data (exit 1, as validate itself exits).
READING_RULES = frozenset({
    "file-too-large", "empty-file", "unreadable", "bom", "encoding", "control-character", "merge-conflict",
    "tab-indent", "yaml-syntax", "truncated", "duplicate-key", "yaml-alias", "yaml-tag", "key-not-text",
})


def fingerprint() -> str:
    """Changes whenever what validate checks changes (libsync, its rules, the schemas): the
    version of every cache that keeps the outcome of ``check_raw``."""
    global _fingerprint
    if _fingerprint is None:
        from libsync import __version__

        digest = hashlib.sha256(__version__.encode())
        here = Path(__file__).parent
        others = ("yamlio.py", "text/identifiers.py", "model/enums.py")   # the rules' groupings too
        for path in sorted(here.glob("*.py")) + [here.parent / name for name in others]:
            digest.update(path.read_bytes())
        digest.update(schemas.fingerprint().encode())
        _fingerprint = digest.hexdigest()
    return _fingerprint


_fingerprint: str | None = None


def check_raw(relpath: str, raw: bytes, kind: str | None = None,
              rules: bool = False) -> tuple[dict[str, Any] | None, list[Problem]]:
    """The document in ``raw`` if it reads and fits its schema (with ``rules``: and passes every
    single-file rule of validate too), else its errors."""
    kind = kind or schemas.kind_of(relpath)
    if kind is None:   # not governed by a schema: read strictly, nothing more
        loaded = yamlio.load_bytes(raw, relpath)
        errors = [p for p in loaded.problems if p.severity == ERROR]
        if errors:
            return None, errors
        if not isinstance(loaded.data, dict):
            return None, [Problem(relpath, 1, 1, "schema-type", "schema.type", {
                "field": msg("field.file"), "expected": msg("type.object"), "actual": msg("type.string"), "hint": ""})]
        return loaded.data, []
    from libsync.validation.engine import check_document

    problems, _, data = check_document(kind, relpath, raw, rules=rules)
    errors = [p for p in problems if p.severity == ERROR]
    if errors or not isinstance(data, dict):
        return None, errors
    if not rules:
        errors = place_problems(relpath, data, raw)
        if errors:
            return None, errors
    return data, []


def place_problems(relpath: str, data: dict[str, Any], raw: bytes | str | None = None) -> list[Problem]:
    """Ownership comes from the folder: a record or snapshot whose ``library`` (or ``id``) does
    not agree with where the file is — an XS record copied to records/XS/ with ``library: HD`` —
    is refused by every command, or it would be shown to the wrong library's audience."""
    from libsync.validation.rules import Found, check_place

    found = Found()
    check_place(found, relpath, data)
    if not found.items:
        return []
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else (raw or "")
    out: list[Problem] = []
    for rule, key, params, path, severity in found.items:
        line, col = yamlio.locate(text, path) if text else (None, None)
        out.append(Problem(relpath, line, col, rule, key, params, severity, yamlio.pointer(path)))
    return out


def refusal(relpath: str, errors: Sequence[Problem | list[Any] | int]) -> LibsyncError:
    """The error a command stops with: validate's first messages and where to see them all.
    ``errors`` are ``Problem``s or their states (as ``verdict`` keeps them)."""
    from libsync.validation.report import problem_line

    more = 0
    problems: list[Problem] = []
    for item in errors:
        if isinstance(item, int):
            more = item - SHOWN
        elif isinstance(item, Problem):
            problems.append(item)
        else:
            problems.append(Problem.from_state(item))
    if len(problems) > SHOWN:
        more, problems = len(problems) - SHOWN, problems[:SHOWN]
    if not problems:
        return LibsyncError("validate.refused_unknown", path=relpath)
    code = 2 if any(p.rule in READING_RULES for p in problems) else 1
    lines = "\n".join("  " + problem_line(p) for p in problems)
    if more:
        return LibsyncError("validate.refused_more", exit_code=code, path=relpath, problems=lines, more=more)
    return LibsyncError("validate.refused", exit_code=code, path=relpath, problems=lines)


def read_bytes(root: str | os.PathLike[str], relpath: str) -> bytes:
    """A data file's bytes; a missing or unreadable file raises with the reason the system gave."""
    path = Path(root) / relpath
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0))   # never through a symlink
        with os.fdopen(fd, "rb") as fh:
            return fh.read()
    except FileNotFoundError:
        raise LibsyncError("file.not_found", path=relpath) from None
    except OSError as exc:
        if path.is_symlink():
            raise LibsyncError("file.symlink_refused", path=relpath) from None
        raise LibsyncError("file.unreadable", path=relpath, reason=os_reason(exc)) from None


def read(root: str | os.PathLike[str], relpath: str, kind: str | None = None, rules: bool = False) -> dict[str, Any]:
    """The document at ``relpath`` (under ``root``) if it reads and fits its schema (with
    ``rules``: passes validate's single-file rules too); else raises the refusal."""
    data, errors = check_raw(relpath, read_bytes(root, relpath), kind, rules)
    if data is None:
        raise refusal(relpath, errors)
    return data
