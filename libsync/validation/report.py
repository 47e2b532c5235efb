"""Reporters for a validation ``Result``: text for people, JSON for programs, GitHub annotations."""

from __future__ import annotations

import json
import re
import secrets
from typing import TYPE_CHECKING

from libsync.i18n import t
from libsync.problems import Problem

if TYPE_CHECKING:
    from libsync.validation.engine import Result


def _where(p: Problem) -> str:
    if p.line is None:
        return p.file
    return f"{p.file}:{p.line}" + (f":{p.column}" if p.column else "")


# Line breaks and other controls that data (a YAML key, a file name) can carry into a message:
# shown as escapes, so one problem is always one line and no data can start a line of its own
# (a fake "file:1: error" line for people, a "::error" workflow command for GitHub).
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f\x85\u2028\u2029]")


def _visible(text: str) -> str:
    if not _UNSAFE.search(text):
        return text
    return _UNSAFE.sub(lambda m: {"\n": "\\n", "\r": "\\r"}.get(m.group(0), f"\\u{ord(m.group(0)):04x}"), text)


def problem_line(p: Problem) -> str:
    """``file:line:col: lỗi [rule] message`` — one problem as the text report shows it, always one line."""
    label = t("report.error") if p.severity == "error" else t("report.warning")
    return _visible(f"{_where(p)}: {label} [{p.rule}] {p.message}")


def text_lines(result: Result, show_cache: bool = False) -> list[str]:
    lines = [problem_line(p) for p in result.problems]
    if result.problems:
        lines.append(t("report.summary", files=result.files_checked, errors=len(result.errors), warnings=len(result.warnings)))
    else:
        lines.append(t("report.ok", files=result.files_checked))
    if show_cache:
        lines.append(t("report.cache", parsed=result.parsed, reused=result.reused))
    return lines


def to_json(result: Result) -> str:
    return json.dumps(result.to_dict(), ensure_ascii=False, indent=2)


def _escape_data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(value: str) -> str:
    return _escape_data(value).replace(":", "%3A").replace(",", "%2C")


def github_lines(result: Result) -> list[str]:
    """GitHub Actions workflow commands (escaped as the Actions toolkit escapes them),
    followed by the full text report, since GitHub shows only the first annotations. The
    text report is printed with workflow commands stopped (``::stop-commands::TOKEN``, a
    random token no data can guess), so nothing in it is ever taken for a command."""
    lines = []
    for p in result.problems:
        command = "error" if p.severity == "error" else "warning"
        props = [f"file={_escape_property(p.file)}"]
        if p.line is not None:
            props.append(f"line={p.line}")
        if p.column is not None:
            props.append(f"col={p.column}")
        props.append(f"title={_escape_property(p.rule)}")
        lines.append(f"::{command} {','.join(props)}::{_escape_data(p.message)}")
    token = secrets.token_hex(16)
    return lines + [f"::stop-commands::{token}"] + text_lines(result) + [f"::{token}::"]
