"""The window's one date style: the day without a leading zero, then the month ("1 December",
never "01 December"); lists abbreviate ("Tue 1 Dec"), titles spell out ("Tuesday 1 December 2026").
Stored-date columns use core.labels.format_day ("1 Dec", "1 Dec 2025"), which is the same style."""

from __future__ import annotations

import datetime as dt

QT_DATE_FORMAT = "ddd d MMM yyyy"  # the same style for date editors (Qt's own pattern letters)
QT_DATE_TIME_FORMAT = "ddd d MMM yyyy HH:mm"


def long_day(day: dt.date, with_year: bool = True) -> str:
    return f"{day:%A} {day.day} {day:%B}" + (f" {day.year}" if with_year else "")


def short_day(day: dt.date) -> str:
    return f"{day:%a} {day.day} {day:%b}"
