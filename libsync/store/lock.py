"""The repository lock: one writing command at a time per repository.

The lock is ``lock`` in the repository's state folder — ``.git/libsync/`` in a Git working tree,
else ``.libsync/`` (which ignores itself in Git) — held with
an OS file lock (``flock``; ``msvcrt.locking`` on Windows) that the kernel releases when the
holder dies, so a lock left by a killed process is never stale. The file also names the holder
(pid, command, start time) for the message a second command prints. Re-entrant within a process.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from libsync.errors import LibsyncError

STATE_DIR = ".libsync"

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]  # the module or None, tested before each use
    import msvcrt

_held: dict[Path, list[int]] = {}   # root -> [fd, depth]


def state_path(root: Path) -> Path:
    """Where the lock and journals live (not created): ``.git/libsync`` or ``.libsync``."""
    git = Path(root) / ".git"
    return git / "libsync" if git.is_dir() and not git.is_symlink() else Path(root) / STATE_DIR


def state_dir(root: Path) -> Path:
    """``state_path``, created (``.libsync`` ignoring itself in Git); refused if it is a symlink."""
    folder = state_path(root)
    if folder.is_symlink():
        raise LibsyncError("file.symlink_refused", path=str(folder))
    folder.mkdir(exist_ok=True)
    if folder.name == STATE_DIR:
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text("# libsync's lock and journals; never committed\n*\n", encoding="utf-8")
    return folder


def journal_dir(root: Path) -> Path:
    return state_dir(root) / "journal"


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
        return True
    except OSError:
        return False


def _unlock(fd: int) -> None:
    if fcntl is not None:
        fcntl.flock(fd, fcntl.LOCK_UN)
    else:  # pragma: no cover - Windows
        os.lseek(fd, 0, 0)
        msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


def _read_holder(fd: int) -> dict[str, Any]:
    try:
        os.lseek(fd, 0, 0)
        info: dict[str, Any] = json.loads(os.read(fd, 4096).decode("utf-8") or "{}")
        return info
    except (OSError, ValueError):
        return {}


def _open(root: Path) -> int:
    path = state_dir(root) / "lock"
    return os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o644)


def holder(root: Path) -> dict[str, Any] | None:
    """Who holds the lock now (pid, command, started), or None if nobody does."""
    root = Path(root).resolve()
    if root in _held:
        return {"pid": os.getpid()}
    if not (state_path(root) / "lock").exists():
        return None
    fd = _open(root)
    try:
        if _try_lock(fd):
            _unlock(fd)
            return None
        return _read_holder(fd) or {"pid": "?"}
    finally:
        os.close(fd)


@contextmanager
def locked(root: Path, command: str = "") -> Iterator[None]:
    """Hold the repository lock for the block; refuse at once if another process holds it."""
    root = Path(root).resolve()
    if root in _held:
        _held[root][1] += 1
        try:
            yield
        finally:
            _held[root][1] -= 1
        return
    fd = _open(root)
    if not _try_lock(fd):
        other = _read_holder(fd)
        os.close(fd)
        raise LibsyncError("lock.held", pid=other.get("pid", "?"), command=other.get("command", "?"),
                           since=other.get("started", "?"), path=str(state_path(root) / "lock"))
    info = {"pid": os.getpid(), "host": socket.gethostname(), "command": command,
            "started": dt.datetime.now().isoformat(timespec="seconds")}
    os.ftruncate(fd, 0)
    os.lseek(fd, 0, 0)
    os.write(fd, json.dumps(info, ensure_ascii=False).encode("utf-8"))
    _held[root] = [fd, 1]
    try:
        yield
    finally:
        del _held[root]
        try:
            os.ftruncate(fd, 0)
            _unlock(fd)
        finally:
            os.close(fd)
