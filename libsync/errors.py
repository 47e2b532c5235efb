"""Errors that reach a user: a catalogue key, its parameters and an exit code.

The CLI prints ``str(error)`` (in the selected language) and exits with ``exit_code``;
no traceback is ever shown for these. Exit codes: 0 ok, 1 problems found, 2 usage
error or unreadable input.
"""

from __future__ import annotations

from libsync.i18n import t


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
