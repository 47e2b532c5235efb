"""The validation cache: a repeat run re-reads only what changed, and never hides an error.

Kept in the cache folder (``libsync.cachedir``), never inside the repository, as two files:

* ``validate-index.json`` — per file: size, mtime, content hash, kind, its problems, whether
  it was fully checked; plus the cross-file problems with the key of the exact set of file
  contents they were computed from;
* ``validate-facts.json`` — per file: the small facts the cross-file rules need. It is read
  only when some file changed, so a run where nothing changed reads just the index.

Whether a file is unchanged is decided by ``libsync.filecache.fresh`` (the rule every cache
shares): size, mtime, ctime and inode match and the times are older than the cache by more
than the racy window (as Git does); otherwise its bytes are hashed and compared.
Everything is dropped when libsync, its rules or any schema change.
"""

from __future__ import annotations

import hashlib
import os
import time
from functools import partial
from pathlib import Path

from libsync import __version__, schemas
from libsync.cachedir import repo_cache_dir
from libsync.filecache import dump_json, fresh, load_json
from libsync.validation.fileresult import FileResult

INDEX = "validate-index.json"
FACTS = "validate-facts.json"


def _code_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    others = ("yamlio.py", "filecache.py", "text/identifiers.py", "model/enums.py")   # the rules' groupings too
    for path in sorted(here.glob("*.py")) + [here.parent / name for name in others]:
        digest.update(path.read_bytes())
    digest.update(schemas.fingerprint().encode())
    return digest.hexdigest()


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def _state_ok(state) -> bool:
    """A problem state as ``Problem.to_state`` writes it."""
    return (isinstance(state, list) and len(state) == 8 and isinstance(state[0], str) and isinstance(state[3], str)
            and isinstance(state[4], str) and isinstance(state[5], dict) and isinstance(state[6], str)
            and all(v is None or isinstance(v, int) for v in state[1:3]))


def _entry_ok(entry) -> bool:
    """A file entry as ``Cache.put`` writes it: [stamp, kind, problems or 0, checked]."""
    if not (isinstance(entry, list) and len(entry) == 4 and isinstance(entry[0], list) and len(entry[0]) == 5
            and isinstance(entry[1], str) and isinstance(entry[3], bool)):
        return False
    problems = entry[2]
    return problems == 0 or (isinstance(problems, list) and all(map(_state_ok, problems)))


def _facts_ok(kind: str, facts) -> bool:
    """Facts of the shape the cross-file rules read (``rules.CHECKERS``); anything else is a miss."""
    if facts is None:
        return True
    if kind == "record":
        return (isinstance(facts, list) and len(facts) == 3 and isinstance(facts[2], list)
                and all(isinstance(i, list) and len(i) == 4 and isinstance(i[0], str) and isinstance(i[3], int) for i in facts[2]))
    if kind == "exchange":
        return (isinstance(facts, dict) and isinstance(facts.get("copies"), list)
                and all(isinstance(c, list) and len(c) == 4 and isinstance(c[2], int) for c in facts["copies"]))
    if kind == "network":
        return isinstance(facts, dict) and all(isinstance(facts.get(k), list) for k in ("libraries", "terms", "groups"))
    return isinstance(facts, dict)


def content_key(results: dict) -> str:
    """A key for the exact set of files and contents the cross-file rules saw."""
    digest = hashlib.blake2b(digest_size=16)
    for rel in results:   # results come in path order (see engine.validate)
        digest.update(f"{rel}\0{results[rel].digest}\n".encode())
    return digest.hexdigest()


def _load(path: Path, key: str) -> dict | None:
    stored = load_json(path)
    return stored if isinstance(stored, dict) and stored.get("key") == key else None


class Cache:
    def __init__(self, folder: Path | None, key: str = "") -> None:
        self.folder = folder
        self.key = key
        self.files: dict = {}
        self.written = 0
        self.cross: dict = {}
        self._facts: dict | None = None
        self.dirty = False

    @classmethod
    def disabled(cls) -> "Cache":
        return cls(None)

    @classmethod
    def open(cls, root: Path) -> "Cache":
        cache = cls(repo_cache_dir(root), _code_fingerprint())
        stored = _load(cache.folder / INDEX, cache.key)
        if stored and isinstance(stored.get("files"), dict) and isinstance(stored.get("written", 0), int):
            cache.files = stored["files"]
            cache.written = stored.get("written", 0)
            cross = stored.get("cross")
            cache.cross = cross if isinstance(cross, dict) else {}
        return cache

    @property
    def enabled(self) -> bool:
        return self.folder is not None

    def facts(self) -> dict:
        if self._facts is None:
            stored = _load(self.folder / FACTS, self.key) if self.folder else None
            self._facts = stored["facts"] if stored and isinstance(stored.get("facts"), dict) else {}
        return self._facts

    def get(self, root: str, relpath: str, need_problems: bool):
        """A ``FileResult`` for an unchanged file (facts filled in later, see ``fill_facts``)."""
        entry = self.files.get(relpath)
        if entry is None or self.folder is None:
            return None
        if not _entry_ok(entry):      # a corrupt cache only costs time: a miss, read the file again
            return None
        stamp, kind, problems, checked = entry     # stamp: libsync.filecache's [size, mtime, ctime, inode, digest]
        if need_problems and not checked:
            return None
        full = root + "/" + relpath
        try:
            st = os.stat(full)
        except OSError:
            return None
        # the one freshness rule (libsync.filecache): size, mtime, ctime, inode, racy window, hash
        kept = fresh(stamp, st, self.written, partial(_read, full))
        if kept is None:
            return None
        if kept is not stamp:                       # same bytes, new stat: remember it
            entry[0] = kept
            self.dirty = True
        return FileResult(relpath, kind, kept[4], problems or [], None, kept, checked)

    def fill_facts(self, results: dict) -> list[str]:
        """Give cached results their facts; returns files whose facts are missing (to re-read)."""
        facts = self.facts()
        missing = []
        for rel, result in results.items():
            if result.facts is None and result.digest:
                entry = facts.get(rel)
                if isinstance(entry, list) and len(entry) == 2 and entry[0] == result.digest and _facts_ok(result.kind, entry[1]):
                    result.facts = entry[1]
                else:
                    missing.append(rel)
        return missing

    def put(self, result) -> None:
        if self.folder is None or not result.digest or result.stat is None:
            return
        self.files[result.relpath] = [result.stat, result.kind, result.problems or 0, result.checked]
        self.facts()[result.relpath] = [result.digest, result.facts]
        self.dirty = True

    def cross_problems(self, key: str) -> list | None:
        found = self.cross.get("problems") if self.cross.get("key") == key else None
        return found if isinstance(found, list) and all(map(_state_ok, found)) else None

    def set_cross(self, key: str, problems: list) -> None:
        if self.cross.get("key") != key:
            self.cross = {"key": key, "problems": problems}
            self.dirty = True

    def save(self, existing: set[str]) -> None:
        if self.folder is None:
            return
        stale = [rel for rel in self.files if rel not in existing]
        for rel in stale:
            del self.files[rel]
            if self._facts is not None:
                self._facts.pop(rel, None)
        if not self.dirty and not stale:
            return
        if self._facts is not None and not dump_json(self.folder / FACTS, {"key": self.key, "facts": self._facts}):
            return
        dump_json(self.folder / INDEX, {"key": self.key, "written": time.time_ns(), "files": self.files,
                                        "cross": self.cross})
