"""What the readers hand to the importer: one ``Incoming`` per record (or table line group)
of the source file, in file order, broken ones included — so the counts add up."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from libsync.i18n import t

Message = tuple[str, dict[str, Any]]   # a catalogue key and its parameters


@dataclass(slots=True)
class Incoming:
    """One record of the source file: its mapped data, or why it could not be read.

    ``position`` is 1-based (record number in a MARC file; for tables the first line of
    the title's group). ``where`` is a message key + params saying where it is in the file.
    """

    position: int
    where: Message
    record: dict[str, Any] | None = None
    error: Message | None = None
    warnings: list[Message] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)

    @property
    def location(self) -> str:
        return t(self.where[0], **self.where[1])


@dataclass(slots=True)
class ReadResult:
    """A whole source file: its incoming records, the encoding(s) assumed, file-level notes."""

    path: str
    kind: str                     # marc | marcxml | csv | xlsx
    items: list[Incoming]         # or, from ``read_marc(lazy=True)``, an iterator over them
    encodings: dict[str, int] = field(default_factory=dict)
    notes: list[Message] = field(default_factory=list)
    blank_lines: int = 0


# --- small value parsers shared by the MARC and table readers -------------------------------

_YEAR = re.compile(r"(?<!\d)(1[89]\d\d|20\d\d|2100)(?!\d)")
_INT = re.compile(r"\d+")
_DECIMAL = re.compile(r"^\s*(\d+)[.,](\d{1,2})\s*$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})")
_DATE_VN = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")


def parse_year(text: object) -> int | None:
    if isinstance(text, int):
        return text if 1800 <= text <= 2100 else None
    match = _YEAR.search(str(text or ""))
    return int(match.group(1)) if match else None


def parse_int(text: object) -> int | None:
    if isinstance(text, bool):
        return None
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        return round(text)
    match = _INT.search(str(text or ""))
    return int(match.group(0)) if match else None


def parse_price(text: object) -> int | None:
    """VND as an integer: "25.000", "25.000 đ", "25,000", Koha's "25000.00" → 25000."""
    if isinstance(text, bool) or text is None:
        return None
    if isinstance(text, (int, float)):
        return round(text)
    text = str(text).strip()
    if not text:
        return None
    match = _DECIMAL.match(text)
    if match and len(match.group(2)) <= 2 and not re.match(r"^\d{1,3}[.,]\d{3}$", text):
        return round(float(f"{match.group(1)}.{match.group(2)}"))
    digits = re.sub(r"\D", "", text.split("đ")[0].split("VND")[0])
    return int(digits) if digits else None


def parse_date(text: object) -> str | None:
    """An ISO date from "2021-09-05", "05/09/2021" or a spreadsheet date cell."""
    if text is None or text == "":
        return None
    if hasattr(text, "strftime"):
        formatted: str = text.strftime("%Y-%m-%d")
        return formatted
    text = str(text).strip()
    match = _DATE_ISO.match(text)
    if match:
        y, m, d = (int(g) for g in match.groups())
    else:
        match = _DATE_VN.match(text)
        if not match:
            return None
        d, m, y = (int(g) for g in match.groups())
    if not (1 <= m <= 12 and 1 <= d <= 31 and 1800 <= y <= 2100):
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def split_list(text: object, separators: str = ";") -> list[str]:
    if text is None:
        return []
    parts = re.split("[" + re.escape(separators) + "]", str(text))
    return [p.strip() for p in parts if p.strip()]
