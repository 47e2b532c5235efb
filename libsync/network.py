"""network.yaml as plain data with the look-ups every command needs.

Libraries by code, the lead library, interlinking groups, the school-year calendar
(terms with their school days and blackout periods) and the rotation batches.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from libsync.errors import LibsyncError

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
DEFAULT_MAX_STAY_DAYS = 183
MAX_STAY_LIMIT = 3660        # ten years: the schema's maximum, and --max-stay-days's


SCHOOL_YEAR_FIRST_MONTH = 7   # a school year's books run from 1 July (summer textbook deliveries) to 30 June


def school_year_of(day: dt.date) -> tuple[int, int]:
    """The school year ``day`` belongs to, as (first, second) calendar years: 2024-09-05 and
    2025-06-30 are both (2024, 2025); 2025-07-01 starts (2025, 2026)."""
    first = day.year if day.month >= SCHOOL_YEAR_FIRST_MONTH else day.year - 1
    return first, first + 1


def parse_date(value: str | dt.date | None) -> dt.date | None:
    """``YYYY-MM-DD`` text (as stored) to a date; ``None`` for missing or impossible dates, and for
    years outside 1900–2199 (as the schemas say: a year 9999 would overflow every date sum)."""
    if value is None or isinstance(value, dt.date):
        return value
    try:
        day = dt.date.fromisoformat(str(value))
    except ValueError:
        return None
    return day if 1900 <= day.year <= 2199 else None


@dataclass(frozen=True)
class Period:
    name: str
    start: dt.date
    end: dt.date

    def __contains__(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


@dataclass(frozen=True)
class Term:
    id: str
    name: str
    school_year: str
    start: dt.date
    end: dt.date
    blackouts: tuple[Period, ...] = field(default=())

    @property
    def short(self) -> str:
        """The part after the slash: ``HK1`` of ``2024-2025/HK1`` (the exchanges/ sub-folder)."""
        return self.id.split("/", 1)[1]


class Network:
    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        info = data.get("network", {})
        self.id: str = info.get("id", "")
        self.name: str = info.get("name", "")
        self.lead: str = info.get("lead", "")
        self.libraries: dict[str, dict[str, Any]] = {lib["code"]: lib for lib in data.get("libraries", [])}
        self.groups: list[dict[str, Any]] = list(data.get("groups", []))
        calendar = data.get("calendar", {})
        days = calendar.get("school_days") or list(WEEKDAYS[:5])
        self.school_days: frozenset[int] = frozenset(WEEKDAYS.index(d) for d in days)
        self.terms: dict[str, Term] = {}
        for year in calendar.get("school_years", []):
            blackouts = tuple(
                Period(b["name"], first, last)
                for b in year.get("blackouts", [])
                if (first := parse_date(b.get("start"))) and (last := parse_date(b.get("end")))
            )
            for term in year.get("terms", []):
                start, end = parse_date(term.get("start")), parse_date(term.get("end"))
                if start and end:
                    self.terms[term["id"]] = Term(term["id"], term.get("name", term["id"]), year["id"], start, end, blackouts)
        rotation = data.get("rotation", {})
        self.max_stay_days: int = rotation.get("max_stay_days", DEFAULT_MAX_STAY_DAYS)
        self.batches: list[dict[str, Any]] = list(rotation.get("batches", []))

    def library(self, code: str) -> dict[str, Any]:
        try:
            return self.libraries[code]
        except KeyError:
            raise LibsyncError("repo.unknown_library", code=code, known=", ".join(sorted(self.libraries))) from None

    def library_name(self, code: str) -> str:
        name: str = self.libraries.get(code, {}).get("name", code)
        return name

    def term(self, term_id: str) -> Term:
        try:
            return self.terms[term_id]
        except KeyError:
            raise LibsyncError("repo.unknown_term", term=term_id, known=", ".join(self.terms)) from None

    def group(self, group_id: str) -> dict[str, Any] | None:
        return next((g for g in self.groups if g.get("id") == group_id), None)

    def groups_of(self, code: str) -> list[dict[str, Any]]:
        return [g for g in self.groups if code in g.get("members", [])]

    def is_school_day(self, day: dt.date, term: Term | None = None) -> bool:
        if day.weekday() not in self.school_days:
            return False
        if term is not None:
            if not term.start <= day <= term.end:
                return False
            if any(day in b for b in term.blackouts):
                return False
        return True

    def school_days_in(self, term: Term) -> list[dt.date]:
        days, day = [], term.start
        while day <= term.end:
            if self.is_school_day(day, term):
                days.append(day)
            day += dt.timedelta(days=1)
        return days
