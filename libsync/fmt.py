"""Canonical formatting of the repository's YAML (`libsync fmt`).

Canonical means: UTF-8 without BOM, every string in NFC, keys in the schema's order
(unknown keys after, sorted), Vietnamese written as readable text (no \\u escapes), one
quoting style, no folded lines, a final newline. Files that cannot be read safely
(syntax errors, duplicate keys, aliases, non-UTF-8) are left untouched and reported.
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass, field
from pathlib import Path

from libsync import schemas, yamlio
from libsync.atomic import Transaction
from libsync.problems import ERROR, Problem


@dataclass
class FmtResult:
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {
            "changed": self.changed,
            "unchanged": len(self.unchanged),
            "skipped": [p.to_dict() for p in self.skipped],
        }


def canonical_text(relpath: str, raw: bytes) -> tuple[str | None, Problem | None]:
    """The canonical text for a file's bytes, or the problem that prevents formatting it."""
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    loaded = yamlio.load_bytes(raw, relpath)
    blocking = [p for p in loaded.problems if p.severity == ERROR]
    if blocking or loaded.data is None:
        return None, (blocking[0] if blocking else loaded.problems[0] if loaded.problems else None)
    kind = schemas.kind_of(relpath)
    schema = schemas.load_schema(kind) if kind else None
    return yamlio.dump(loaded.data, schema), None


def format_repository(root: Path, relpaths: list[str], check: bool = False) -> FmtResult:
    """Format ``relpaths`` (all at once, atomically) or, with ``check``, only say which would change."""
    result = FmtResult()
    tx = Transaction()
    for rel in relpaths:
        raw = (root / rel).read_bytes()
        text, problem = canonical_text(rel, raw)
        if text is None:
            if problem is not None:
                result.skipped.append(problem)
            continue
        if text.encode("utf-8") == raw:
            result.unchanged.append(rel)
            continue
        result.changed.append(rel)
        tx.write(root / rel, text)
    if not check and len(tx):
        tx.commit()
    return result
