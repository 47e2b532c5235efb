"""Where a command may write what it produces (``-o FILE``, ``--ics FILE``, ``site build -o DIR``).

An output is a regular file (or, for the web catalogue, a folder) that the user names. It must
never replace what the repository is made of — network.yaml, the data folders, schema/, Git's
folder — nor a device, a pipe or a socket (``-o /dev/full`` as root would otherwise replace the
device with a file), nor be written through a symbolic link. ``write_output`` checks, then writes
atomically (temp file + rename).
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from libsync.atomic import Content, write_atomic
from libsync.errors import LibsyncError, os_reason
from libsync.repository import DATA_DIRS, NETWORK_FILE

PROTECTED = (NETWORK_FILE, *DATA_DIRS, "schema", "files", ".git", ".github", ".libsync")


def check_output(path: str | os.PathLike[str], repo_root: str | os.PathLike[str] | None = None, folder: bool = False) -> Path:
    """The absolute path to write, or a ``LibsyncError`` saying why not (exit 2)."""
    raw = Path(path).expanduser()
    if str(path).strip() == "":
        raise LibsyncError("output.empty")
    try:
        st = os.lstat(raw)
    except FileNotFoundError:
        st = None
    except OSError as exc:
        raise LibsyncError("output.refused", path=str(path), reason=os_reason(exc)) from None
    if st is not None:
        if stat.S_ISLNK(st.st_mode):
            raise LibsyncError("output.symlink", path=str(path))
        wanted = stat.S_ISDIR(st.st_mode) if folder else stat.S_ISREG(st.st_mode)
        if not wanted:
            raise LibsyncError("output.not_regular" if not folder else "output.not_folder", path=str(path))
    target = Path(os.path.abspath(raw))
    if repo_root is not None:
        root = Path(repo_root).resolve()
        real = target.parent.resolve() / target.name
        if real == root or root.is_relative_to(real):
            raise LibsyncError("output.repository", path=str(path))
        if real.is_relative_to(root):
            first = real.relative_to(root).parts[0]
            if first in PROTECTED:
                raise LibsyncError("output.repository", path=str(path))
    return target


def write_output(path: str | os.PathLike[str], data: bytes | str | Content,
                 repo_root: str | os.PathLike[str] | None = None) -> Path:
    """Check ``path`` (``check_output``) and write ``data`` (or what ``data(file)`` writes) to it atomically."""
    target = check_output(path, repo_root)
    write_atomic(target, data)
    return target
