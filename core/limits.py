"""The ranges CallAhead accepts for dates, record ids and counts, checked in one place.

Dates outside 1900–2200 are almost always a typo (9999-12-31, 0001-01-01) and break date
arithmetic further on (a follow-up three months after 9999-12-01 does not exist), so they are
refused where they come in: the command line, the window's date fields and the engine's own
entry points. Ids and counts are bounded by what SQLite stores (a signed 64-bit integer).
"""

from __future__ import annotations

import datetime as dt

from core.errors import InvalidInput

FIRST_DATE = dt.date(1900, 1, 1)
LAST_DATE = dt.date(2200, 12, 31)
LARGEST_ID = 2**63 - 1  # SQLite's INTEGER PRIMARY KEY


def date_problem(day: dt.date) -> str | None:
    """Why `day` is refused, or None when it is in range."""
    if FIRST_DATE <= day <= LAST_DATE:
        return None
    return (f"{day.isoformat()} is outside the dates CallAhead accepts "
            f"({FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()})")


def check_date(day: dt.date | dt.datetime, field: str) -> dt.date | dt.datetime:
    """`day` unchanged, or InvalidInput naming the field when it is out of range."""
    problem = date_problem(day.date() if isinstance(day, dt.datetime) else day)
    if problem:
        raise InvalidInput(f"{problem}.", field=field)
    return day


def count_problem(value: int, low: int, high: int) -> str | None:
    if low <= value <= high:
        return None
    return f"{value} is not between {low} and {high}"


def id_problem(value: int) -> str | None:
    if 1 <= value <= LARGEST_ID:
        return None
    return f"{value} is not a record id (ids are whole numbers from 1)"
