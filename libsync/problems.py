"""A problem found in the data: where, which rule, what to tell the librarian.

Messages are stored as a catalogue key plus parameters and rendered in the
selected language only when shown, so one run can be reported in vi and en.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from libsync.i18n import t

ERROR = "error"
WARNING = "warning"


@dataclass(slots=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    rule: str
    key: str
    params: dict = field(default_factory=dict)
    severity: str = ERROR
    pointer: str = ""

    @property
    def message(self) -> str:
        return t(self.key, **self.params)

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or 0, self.rule, self.pointer)

    def to_dict(self) -> dict:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "message": self.message,
            "pointer": self.pointer,
        }

    def to_state(self) -> list:
        """A JSON-able form for the validation cache (see ``from_state``)."""
        return [self.file, self.line, self.column, self.rule, self.key, self.params, self.severity, self.pointer]

    @classmethod
    def from_state(cls, state: list) -> "Problem":
        return cls(*state)
