"""Canonical formatting of the repository's YAML (`libsync fmt`).

Canonical means: UTF-8 without BOM, every string in NFC, keys in the schema's order
(unknown keys after, sorted), Vietnamese written as readable text (no \\u escapes), one
quoting style, no folded lines, a final newline. Comments are kept beside their entries
(``libsync.yamlcomments``). Files that cannot be read safely (syntax errors, duplicate keys,
aliases, non-UTF-8) or whose comments cannot be placed are left untouched and reported.
"""

from __future__ import annotations

import codecs
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path

from libsync import schemas, yamlio
from libsync.problems import ERROR, Problem
from libsync.yamlcomments import carry_comments


@dataclass
class FmtResult:
    changed: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    skipped: list[Problem] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
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
    text = yamlio.dump(loaded.data, schema)
    kept = carry_comments(loaded.text, text)
    if kept is None:   # comments we cannot place faithfully: leave the file as the librarian wrote it
        return None, Problem(relpath, None, None, "comments", "fmt.comments_kept", {})
    return kept, None


def format_repository(root: Path, relpaths: list[str], check: bool = False) -> FmtResult:
    """Format ``relpaths`` (all at once, through the store's write path) or, with ``check``, only
    say which would change. A symlink among them is reported, never followed."""
    from libsync.store import lock
    from libsync.store import write as store_write

    result = FmtResult()
    changes: dict[str, str] = {}
    with lock.locked(root, "fmt") if not check else nullcontext():
        for rel in relpaths:
            if (root / rel).is_symlink():
                result.skipped.append(Problem(rel, None, None, "symlink", "file.symlink_refused", {"path": rel}))
                continue
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
            changes[rel] = text
        if not check and changes:
            # fmt only re-spells what is there: a file validate rejects stays rejected, not our business here
            store_write.apply(root, changes, command="fmt", checked=set(changes))
    return result

