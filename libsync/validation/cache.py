"""The validation cache: a repeat run re-reads only what changed, and never hides an error.

One JSON file per repository in the cache folder (``libsync.cachedir``), never inside the
repository. An entry keeps a file's size, mtime, content hash, its problems and facts. A
file counts as unchanged when size and mtime match and the mtime is older than the cache
itself by more than the racy window (as Git does); otherwise its bytes are hashed and
compared. The whole cache is dropped when libsync, its rules or any schema change, so a
stale verdict cannot survive an upgrade.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from libsync import __version__, schemas
from libsync.atomic import write_atomic
from libsync.cachedir import repo_cache_dir

RACY_NS = 2_000_000_000
FILE_NAME = "validate.json"


def _code_fingerprint() -> str:
    digest = hashlib.sha256(__version__.encode())
    here = Path(__file__).parent
    for path in sorted(here.glob("*.py")) + [here.parent / "yamlio.py", here.parent / "text" / "identifiers.py"]:
        digest.update(path.read_bytes())
    digest.update(schemas.fingerprint().encode())
    return digest.hexdigest()


class Cache:
    def __init__(self, path: Path | None, key: str, files: dict, written: int) -> None:
        self.path = path
        self.key = key
        self.files = files
        self.written = written
        self.dirty = False

    @classmethod
    def disabled(cls) -> "Cache":
        return cls(None, "", {}, 0)

    @classmethod
    def open(cls, root: Path) -> "Cache":
        path = repo_cache_dir(root) / FILE_NAME
        key = _code_fingerprint()
        try:
            with open(path, encoding="utf-8") as fh:
                stored = json.load(fh)
            if stored.get("key") == key and isinstance(stored.get("files"), dict):
                return cls(path, key, stored["files"], int(stored.get("written", 0)))
        except (OSError, ValueError):
            pass
        return cls(path, key, {}, 0)

    def get(self, root: Path, relpath: str, need_problems: bool):
        from libsync.validation.engine import FileResult

        entry = self.files.get(relpath)
        if entry is None or self.path is None:
            return None
        size, mtime_ns, digest, kind, problems, facts, checked = entry
        if need_problems and not checked:
            return None
        full = os.path.join(root, relpath)
        try:
            st = os.stat(full)
        except OSError:
            return None
        if st.st_size != size:
            return None
        if st.st_mtime_ns != mtime_ns or st.st_mtime_ns >= self.written - RACY_NS:
            try:
                with open(full, "rb") as fh:
                    data = fh.read()
            except OSError:
                return None
            if hashlib.blake2b(data, digest_size=16).hexdigest() != digest:
                return None
            entry[1] = st.st_mtime_ns
            self.dirty = True
        return FileResult(relpath, kind, digest, problems, facts, (size, st.st_mtime_ns), checked)

    def put(self, result) -> None:
        if self.path is None or not result.digest or result.stat is None:
            return
        self.files[result.relpath] = [result.stat[0], result.stat[1], result.digest, result.kind,
                                      result.problems, result.facts, result.checked]
        self.dirty = True

    def save(self, root: Path, existing: set[str]) -> None:
        if self.path is None:
            return
        stale = [rel for rel in self.files if rel not in existing]
        for rel in stale:
            del self.files[rel]
        if not self.dirty and not stale:
            return
        payload = {"key": self.key, "written": time.time_ns(), "root": str(root), "files": self.files}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            write_atomic(self.path, json.dumps(payload, ensure_ascii=False, separators=(",", ":")))
        except Exception:  # a cache that cannot be written only costs time next run
            pass
