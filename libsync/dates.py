"""Dates as people type them: the one parser every date option and date field goes through.

Stored dates are ISO (``2027-01-19``); a librarian writes ``19/01/2027`` or ``19/1/2027``
(day first, as Vietnamese dates are written). Both are accepted, and ``19-01-2027`` or
``19.01.2027`` too; a two-digit year or month-first order is not (``01/02/2027`` is always
1 February). The years libsync stores (1900–2199) bound what is accepted."""

from __future__ import annotations

import datetime as dt
import re

from libsync.network import parse_date

DAY_FIRST = re.compile(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})")
METAVAR = "DD/MM/YYYY"


def typed_date(value: str | dt.date | None) -> dt.date | None:
    """A typed date (``dd/mm/yyyy``, ``d/m/yyyy``, ``dd-mm-yyyy``, ``dd.mm.yyyy`` or ISO
    ``yyyy-mm-dd``) as a date; None when missing, impossible (31/02/2027) or out of range."""
    if value is None or isinstance(value, dt.date):
        return value
    text = value.strip()
    match = DAY_FIRST.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        try:
            return parse_date(f"{year:04d}-{month:02d}-{day:02d}")   # with the range parse_date checks
        except ValueError:
            return None
    return parse_date(text) if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text) else None


def step_warnings(day: dt.date, period: tuple[dt.date, dt.date] | None, today: dt.date | None = None) -> list[str]:
    """What is odd about recording a step on ``day`` (message keys; nothing refused): a day after
    today, a day outside ``period`` (the term the step belongs to)."""
    today = today or dt.date.today()
    found = []
    if day > today:
        found.append("dates.future")
    if period is not None and not period[0] <= day <= period[1]:
        found.append("dates.outside_term")
    return found


def shown(day: dt.date) -> str:
    """A day as Vietnamese readers write it: ``19/01/2027``."""
    return day.strftime("%d/%m/%Y")
