"""Errors that reach a user: a catalogue key, its parameters and an exit code.

The CLI prints ``str(error)`` (in the selected language) and exits with ``exit_code``;
no traceback is ever shown for these. Exit codes: 0 ok, 1 problems found, 2 usage
error or unreadable input.
"""

from __future__ import annotations

import errno

from libsync.i18n import t

# The usual reasons the system gives for refusing a file or a port, said in the user's language
# (the system's own words are English: "No such file or directory", "Address already in use").
_OS_REASONS = {
    errno.ENOENT: "no_such_file", errno.EACCES: "permission", errno.EPERM: "permission",
    errno.EISDIR: "is_directory", errno.ENOTDIR: "not_directory", errno.EEXIST: "exists",
    errno.ENOSPC: "disk_full", errno.EROFS: "read_only", errno.ENAMETOOLONG: "name_too_long",
    errno.ELOOP: "symlink_loop", errno.EIO: "io", errno.EADDRINUSE: "address_in_use",
    errno.EADDRNOTAVAIL: "address_not_here",
}


def os_reason(exc: OSError) -> str:
    """Why the system refused (``exc``), in the current language for the usual causes, else in
    the system's own words."""
    name = _OS_REASONS.get(exc.errno) if exc.errno is not None else None
    if name is not None:
        return t(f"os.{name}")
    return exc.strerror or str(exc) or type(exc).__name__


class LibsyncError(Exception):
    """A failure to tell the user about, by message key (see ``libsync.i18n``)."""

    exit_code = 2

    def __init__(self, key: str, /, exit_code: int | None = None, **params: object) -> None:
        self.key = key
        self.params = params
        if exit_code is not None:
            self.exit_code = exit_code
        super().__init__(key)

    def __str__(self) -> str:
        return t(self.key, **self.params)
