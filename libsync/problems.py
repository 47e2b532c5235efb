"""A problem found in the data: where, which rule, what to tell the librarian.

Messages are stored as a catalogue key plus parameters and rendered in the
selected language only when shown, so one run can be reported in vi and en.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from libsync.i18n import t

ERROR = "error"
WARNING = "warning"


def msg(key: str, **params: object) -> dict[str, object]:
    """A parameter that is itself a catalogue message, rendered when the problem is shown
    (so a cached problem still speaks the language of the run that shows it)."""
    return {"$t": key, **params}


def render_param(value: object) -> object:
    if isinstance(value, dict) and "$t" in value:
        params = {k: render_param(v) for k, v in value.items() if k != "$t"}
        return t(str(value["$t"]), **params)
    if isinstance(value, list):
        return ", ".join(str(render_param(v)) for v in value)
    return value


@dataclass(slots=True)
class Problem:
    file: str
    line: int | None
    column: int | None
    rule: str
    key: str
    params: dict[str, Any] = field(default_factory=dict)
    severity: str = ERROR
    pointer: str = ""

    @property
    def message(self) -> str:
        return t(self.key, **{k: render_param(v) for k, v in self.params.items()})

    @property
    def where(self) -> str:
        """``file:line:column`` as far as known."""
        if self.line is None:
            return self.file
        return f"{self.file}:{self.line}" + (f":{self.column}" if self.column else "")

    def sort_key(self) -> tuple[str, int, int, str, str]:
        return (self.file, self.line or 0, self.column or 0, self.rule, self.pointer)

    def to_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "column": self.column,
            "rule": self.rule,
            "message": self.message,
            "pointer": self.pointer,
        }

    def to_state(self) -> list[object]:
        """A JSON-able form for the validation cache (see ``from_state``)."""
        return [self.file, self.line, self.column, self.rule, self.key, self.params, self.severity, self.pointer]

    @classmethod
    def from_state(cls, state: list[Any]) -> Problem:
        return cls(*state)


def valid_state(state: Any) -> bool:
    """Is ``state`` what ``Problem.to_state`` writes? (A cached one may have been tampered with.)"""
    if type(state) is not list or len(state) != 8:
        return False
    file, line, column, rule, key, params, severity, _ = state
    return (type(file) is str and type(rule) is str and type(key) is str and type(params) is dict
            and type(severity) is str and (line is None or type(line) is int)
            and (column is None or type(column) is int))
