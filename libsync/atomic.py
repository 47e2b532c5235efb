"""Atomic writes: one file (temp file + rename) or several files all-or-nothing.

``Transaction`` stages every write and delete and applies them in three phases:

1. *prepare* — a journal naming every temp and backup file is written first (when the
   transaction has a journal folder, as every write into a repository has), then every new
   content goes to a temp file beside its target, flushed to disk;
2. *swap* — each target is kept as a backup (a hard link, so the target never disappears)
   and the temp file is renamed over it;
3. *finish* — the journal is marked done, backups and journal are removed.

Whatever stops a transaction before the journal is marked done — an error, Ctrl-C, SIGTERM,
a failed Git commit in ``commit(then=...)`` — puts every original back and removes every temp
file. Signals that arrive while files are being swapped are held until the swap is complete
and then roll it back, so an interruption never leaves a half-changed repository. A process
killed outright (SIGKILL, power cut) leaves its journal behind; ``recover`` (run by every
writing command under the repository lock, and by ``libsync recover``) finishes or undoes it.

This module never decides *what* to write; it only guarantees how.
"""

from __future__ import annotations

import json
import os
import secrets
import signal
import stat
import sys
import tempfile
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from types import FrameType, TracebackType
from typing import IO, Any, TypedDict

from libsync.errors import LibsyncError, os_reason

TEMP_SUFFIX = ".libsync-tmp"
BACKUP_SUFFIX = ".libsync-bak"
JOURNAL_SUFFIX = ".journal.json"
_HELD_SIGNALS: tuple[signal.Signals, ...] = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name))
# what signal.signal accepts and returns
_Handler = Callable[[int, FrameType | None], Any] | int | signal.Handlers | None


class JournalEntry(TypedDict):
    """One target of a transaction, as its journal records it (names are relative to the
    target's folder)."""

    path: str
    temp: str | None   # the new content, written beside the target; None for a delete
    backup: str        # the original, kept until the change stands
    existed: bool


# Every interruption this command received: Python drops an exception raised inside an at-fork
# hook, so the fact must outlive the exception.
seen: list[int] = []


class Interrupted(KeyboardInterrupt):
    """Ctrl-C, SIGTERM or SIGHUP, raised as an exception so every ``finally`` runs."""

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = signum
        seen.append(signum)


_main_pid: int | None = None


def catch_interruptions() -> None:
    """Ctrl-C, SIGTERM and SIGHUP stop a command as an ``Interrupted`` exception, so an unfinished
    change is undone and the user is told what happened (SIGTERM's default would kill the process
    between two renames). Called once by the command line."""
    global _main_pid
    _main_pid = os.getpid()
    for signum in _HELD_SIGNALS:
        signal.signal(signum, _interrupted)
    sys.unraisablehook = _unraisable


_default_unraisable = sys.unraisablehook


def _unraisable(unraisable: Any) -> None:
    """An interruption raised where Python cannot pass an exception on (a weakref callback or a
    ``__del__`` running at that moment) is dropped, and Python would print its traceback. It is
    not printed: the interruption is kept in ``seen`` (``interruption()``), where the command's
    own checks find it — a worker pool that broke, ``check_interrupted`` — and say so plainly."""
    if isinstance(unraisable.exc_value, Interrupted):
        return
    _default_unraisable(unraisable)


def _interrupted(signum: int, frame: FrameType | None) -> None:
    if os.getpid() != _main_pid:
        # a worker process forked a moment ago, before it could set its own handlers: it leaves
        # the interruption to the command (Ctrl-C ignored, SIGTERM/SIGHUP end it quietly)
        if signum != signal.SIGINT:
            os._exit(128 + signum)
        return
    if _forking(frame):
        seen.append(signum)
        _raise_later()
        return
    raise Interrupted(signum)


def _forking(frame: FrameType | None) -> bool:
    """True while a worker process is being forked (inside ``os.fork``'s at-fork hooks, where
    Python prints and drops any exception instead of passing it on)."""
    depth = 0
    while frame is not None and depth < 64:
        code = frame.f_code
        if code.co_name == "_launch" and code.co_filename.endswith("popen_fork.py"):
            return depth > 0
        frame = frame.f_back
        depth += 1
    return False


def _raise_later() -> None:
    if hasattr(signal, "setitimer"):
        signal.signal(signal.SIGALRM, _late)
        signal.setitimer(signal.ITIMER_REAL, 0.005)


def _late(signum: int, frame: FrameType | None) -> None:
    if _forking(frame):
        _raise_later()
        return
    raise Interrupted(seen[0])


def interruption() -> int | None:
    """The signal that interrupted this command (run through ``catch_interruptions``), if any."""
    return seen[0] if seen and _main_pid == os.getpid() else None


def check_interrupted() -> None:
    """Raise the interruption this command received, if one was lost on the way."""
    signum = interruption()
    if signum is not None:
        raise Interrupted(signum)


# What this process has changed for good, and what it put back (for the message after an
# interruption).
completed: list[Path] = []
undone: list[Path] = []


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _umask()


def _mode_for(path: Path) -> int:
    try:
        return os.stat(path).st_mode & 0o7777
    except OSError:
        return 0o666 & ~_UMASK


# What can be written: the bytes, or a function that writes them to the file as it produces them
# (a 100 MB union catalogue need not be held in memory first).
Content = bytes | Callable[[IO[bytes]], object]


def _write_file(fd: int, data: Content) -> None:
    with os.fdopen(fd, "wb") as fh:
        if callable(data):
            data(fh)
        else:
            fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())


def _temp_beside(path: Path, data: Content, name: str | None = None) -> Path:
    """Write ``data`` to a new temporary file beside ``path`` (named ``name`` if given), with the
    mode ``path`` has (or would get from ``open``), flushed to disk."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if name is None:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=TEMP_SUFFIX, dir=path.parent)
    else:
        tmp = str(path.parent / name)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
    try:
        os.fchmod(fd, _mode_for(path))
        _write_file(fd, data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _bytes(data: bytes | str | Content) -> Content:
    return data.encode("utf-8") if isinstance(data, str) else data


def write_atomic(path: str | os.PathLike[str], data: bytes | str | Content) -> None:
    """Replace ``path`` with ``data`` (or what ``data(file)`` writes) so readers see the old or the
    new file, never half."""
    path = Path(path)
    try:
        tmp = _temp_beside(path, _bytes(data))
        try:
            os.replace(tmp, path)
        except BaseException:
            tmp.unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise LibsyncError("file.write_failed", path=str(path), reason=os_reason(exc)) from exc


@contextmanager
def held_signals() -> Iterator[list[int]]:
    """Hold Ctrl-C, SIGTERM and SIGHUP while the block runs; yields the list of signals that
    arrived (the caller decides what to do about them). Outside the main thread nothing is held."""
    pending: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield pending
        return
    previous: dict[signal.Signals, _Handler] = {}
    for signum in _HELD_SIGNALS:
        try:
            previous[signum] = signal.signal(signum, lambda s, f: pending.append(s))
        except (ValueError, OSError):
            pass
    try:
        yield pending
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


class Transaction:
    """Stage writes and deletes; ``commit`` applies all or none.

    Use as a context manager: leaving the block normally commits, an exception discards.
    ``journal_dir`` (a repository's ``.git/libsync/journal`` or ``.libsync/journal``) makes the transaction recoverable after
    the process is killed; ``root`` confines every path to that folder, and no path may be or pass
    through a symbolic link.
    """

    def __init__(self, journal_dir: str | os.PathLike[str] | None = None, root: str | os.PathLike[str] | None = None) -> None:
        self._writes: dict[Path, bytes] = {}
        self._deletes: set[Path] = set()
        self.journal_dir = Path(journal_dir) if journal_dir is not None else None
        self.root = Path(root).resolve() if root is not None else None

    def write(self, path: str | os.PathLike[str], data: bytes | str) -> None:
        path = Path(path)
        self._deletes.discard(path)
        self._writes[path] = data.encode("utf-8") if isinstance(data, str) else data

    def delete(self, path: str | os.PathLike[str]) -> None:
        path = Path(path)
        self._writes.pop(path, None)
        self._deletes.add(path)

    @property
    def paths(self) -> list[Path]:
        return sorted(set(self._writes) | self._deletes)

    def staged(self) -> dict[Path, bytes | None]:
        """What would be written (bytes) or deleted (None), by path."""
        out: dict[Path, bytes | None] = dict(self._writes)
        out.update({p: None for p in self._deletes})
        return out

    def __len__(self) -> int:
        return len(self._writes) + len(self._deletes)

    # --- checks ---------------------------------------------------------------------------
    def _check_target(self, path: Path, safe_folders: set[Path]) -> None:
        """Inside ``root``, not through a symlink, not a folder. ``safe_folders`` remembers the
        folders already checked (an import writes thousands of files into one folder)."""
        if self.root is not None:
            try:
                rel = Path(os.path.abspath(path)).relative_to(self.root)
            except ValueError:
                raise LibsyncError("file.outside_repo", path=str(path)) from None
            folder = self.root
            for part in rel.parts[:-1]:
                folder = folder / part
                if folder in safe_folders:
                    continue
                if folder.is_symlink():
                    raise LibsyncError("file.symlink_refused", path=str(folder))
                safe_folders.add(folder)
        try:
            mode = os.lstat(path).st_mode
        except (FileNotFoundError, NotADirectoryError):
            return
        if stat.S_ISLNK(mode):
            raise LibsyncError("file.symlink_refused", path=str(path))
        if stat.S_ISDIR(mode):
            raise LibsyncError("file.write_failed", path=str(path), reason=os_reason(IsADirectoryError(21, os.strerror(21))))

    # --- the three phases -----------------------------------------------------------------
    def commit(self, then: Callable[[], object] | None = None, journal_extra: dict[str, object] | None = None) -> list[Path]:
        """Apply everything. ``then`` (e.g. a Git commit) runs after the swap; if it fails, or the
        command is interrupted before it returns, everything is put back. ``journal_extra`` is kept
        in the journal so that ``recover`` can tell whether ``then`` had happened (see ``recover``)."""
        if not len(self):
            if then is not None:
                then()
            return []
        check_interrupted()   # never start a change after an interruption, even a swallowed one
        targets = list(self._writes) + sorted(self._deletes)
        safe_folders: set[Path] = set()
        for path in targets:
            self._check_target(path, safe_folders)
        txid = f"{os.getpid()}-{secrets.token_hex(4)}"
        entries: list[JournalEntry] = [
            {
                "path": str(path),
                "temp": f".{path.name}.{txid}{TEMP_SUFFIX}" if path in self._writes else None,
                "backup": f".{path.name}.{txid}{BACKUP_SUFFIX}",
                "existed": path.exists(),
            }
            for path in targets
        ]
        journal = self._journal_path(txid)
        head = {"pid": os.getpid(), **(journal_extra or {})}
        current: Path | None = None
        with held_signals() as pending:
            try:
                if journal is not None:
                    _write_journal(journal, {**head, "state": "prepare", "entries": entries})
                current = self._prepare(entries, pending)
                if pending:
                    raise Interrupted(pending[0])
                for entry in entries:
                    current = Path(entry["path"])
                    _swap(entry)
                    if pending:   # an interruption during the swap undoes it
                        raise Interrupted(pending[0])
                if then is not None:
                    if journal is not None:
                        _write_journal(journal, {**head, "state": "swapped", "entries": entries})
                    then()
            except BaseException as exc:
                _undo(entries)
                undone.extend(Path(e["path"]) for e in entries)
                if journal is not None:
                    journal.unlink(missing_ok=True)
                self._writes.clear()
                self._deletes.clear()
                if isinstance(exc, OSError):
                    raise LibsyncError("file.write_failed", path=str(current), reason=os_reason(exc)) from exc
                if pending and not isinstance(exc, KeyboardInterrupt):
                    raise Interrupted(pending[0]) from exc
                raise
            # past the point of no return: the change stands, even if a signal is pending now
            if journal is not None:
                _write_journal(journal, {**head, "state": "done", "entries": entries})
            _finish(entries)
            for folder in {Path(e["path"]).parent for e in entries}:   # make the renames durable
                _fsync_dir(folder)
            if journal is not None:
                journal.unlink(missing_ok=True)
            done = self.paths
            completed.extend(done)
            self._writes.clear()
            self._deletes.clear()
        if pending:
            raise Interrupted(pending[0])
        return done

    def _journal_path(self, txid: str) -> Path | None:
        if self.journal_dir is None:
            return None
        self.journal_dir.mkdir(parents=True, exist_ok=True)
        return self.journal_dir / f"{txid}{JOURNAL_SUFFIX}"

    def _prepare(self, entries: list[JournalEntry], pending: list[int]) -> Path | None:
        """Write every temp file (flushed to disk); on any failure none is left behind."""
        jobs = [(Path(e["path"]), e["temp"]) for e in entries if e["temp"]]
        current = None
        try:
            # fsync costs a disk round trip per file; issued from many threads the journal commits
            # them together (1,000 files: ~2.5 s one by one, ~0.3 s in parallel).
            if len(jobs) > 4:
                with ThreadPoolExecutor(max_workers=min(32, len(jobs))) as pool:
                    futures = [(path, pool.submit(_temp_beside, path, self._writes[path], name)) for path, name in jobs]
                    for path, future in futures:
                        current = path
                        if pending:
                            for _, other in futures:
                                other.cancel()
                        future.result()
            else:
                for path, name in jobs:
                    current = path
                    _temp_beside(path, self._writes[path], name)
                    if pending:
                        break
        except OSError as exc:
            exc.filename = exc.filename or str(current)
            raise
        return current

    def __enter__(self) -> Transaction:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if exc_type is None:
            self.commit()
        else:
            self._writes.clear()
            self._deletes.clear()


def _write_journal(path: Path, content: dict[str, object]) -> None:
    data = json.dumps(content, ensure_ascii=False).encode("utf-8")
    tmp = path.with_name(path.name + ".part")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    _write_file(fd, data)
    os.replace(tmp, path)
    _fsync_dir(path.parent)


def _swap(entry: JournalEntry) -> None:
    path = Path(entry["path"])
    backup = path.parent / entry["backup"]
    if entry["existed"]:
        try:
            os.link(path, backup)           # the original stays in place until the rename
        except OSError:
            os.replace(path, backup)        # file systems without hard links
    if entry["temp"]:
        os.replace(path.parent / entry["temp"], path)
    elif entry["existed"]:
        path.unlink(missing_ok=True)


def _remove(path: Path) -> None:
    try:
        path.unlink()
    except (FileNotFoundError, NotADirectoryError):
        pass


def _undo(entries: list[JournalEntry]) -> int:
    """Put every target back as it was; returns how many targets were restored."""
    restored = 0
    for entry in entries:
        path = Path(entry["path"])
        backup = path.parent / entry["backup"]
        temp = path.parent / entry["temp"] if entry["temp"] else None
        swapped = (temp is not None and not temp.exists() and (backup.exists() or not entry["existed"])) or (
            temp is None and backup.exists() and not path.exists())
        if temp is not None and temp.exists():
            _remove(temp)
        if backup.exists():
            if swapped or not path.exists():
                os.replace(backup, path)
                restored += 1
            else:
                _remove(backup)             # a hard link to the untouched original
        elif swapped and not entry["existed"]:
            _remove(path)
            restored += 1
    return restored


def _finish(entries: list[JournalEntry]) -> None:
    """Remove the backups (after a complete swap no temp file is left: each was renamed)."""
    for entry in entries:
        if entry["existed"]:
            path = Path(entry["path"])
            _remove(path.parent / entry["backup"])


def pending_journals(journal_dir: Path) -> list[Path]:
    try:
        return sorted(p for p in journal_dir.iterdir() if p.name.endswith((JOURNAL_SUFFIX, JOURNAL_SUFFIX + ".part")))
    except OSError:
        return []


def recover(journal_dir: Path, happened: Callable[[dict[str, Any]], bool] | None = None) -> list[dict[str, Any]]:
    """Finish or undo the transactions of processes that were killed. Call only while holding the
    repository lock (no live process owns these journals then). A transaction killed after its swap
    but before its ``then`` step was known to be done is completed if ``happened(journal)`` says the
    step took place (e.g. the Git commit exists), else undone. Returns one summary per journal:
    ``{"journal", "pid", "action": "rolled-back" | "completed", "files": [...], "content": {...}}``."""
    outcomes = []
    for journal in pending_journals(journal_dir):
        if journal.name.endswith(".part"):      # died while writing the journal: nothing swapped yet
            journal.unlink(missing_ok=True)
            continue
        try:
            content = json.loads(journal.read_text(encoding="utf-8"))
            entries: list[JournalEntry] = content["entries"]
        except (OSError, ValueError, KeyError, TypeError):
            raise LibsyncError("recover.bad_journal", path=str(journal)) from None
        state = content.get("state")
        if state == "done" or (state == "swapped" and happened is not None and happened(content)):
            _finish(entries)
            action = "completed"
        else:
            _undo(entries)
            action = "rolled-back"
        journal.unlink(missing_ok=True)
        outcomes.append({"journal": journal.name, "pid": content.get("pid"), "action": action,
                         "files": [e["path"] for e in entries], "content": content})
    return outcomes
