"""The window's one date style: the day without a leading zero, then the month ("1 December",
never "01 December"); lists abbreviate ("Tue 1 Dec"), titles spell out ("Tuesday 1 December 2026").
Stored-date columns use core.labels.format_day ("1 Dec", "1 Dec 2025"), which is the same style.
Names are in CallAhead's language (core.dates), also where Qt writes them (`window_locale`)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QLocale

from core.dates import DATE_LOCALE, date_text

QT_DATE_FORMAT = "ddd d MMM yyyy"  # the same style for date editors (Qt's own pattern letters)
QT_DATE_TIME_FORMAT = "ddd d MMM yyyy HH:mm"


def long_day(day: dt.date, with_year: bool = True) -> str:
    return f"{date_text(day, '%A')} {day.day} {date_text(day, '%B')}" + (f" {day.year}" if with_year else "")


def short_day(day: dt.date) -> str:
    return f"{date_text(day, '%a')} {day.day} {date_text(day, '%b')}"


def window_locale(system: QLocale | None = None) -> QLocale:
    """Qt's locale for the window: day and month names in CallAhead's language, like every other
    word (date editors and the calendar would otherwise follow the system's language), with the
    system region's conventions (English (Germany): Monday first, a decimal comma)."""
    system = QLocale.system() if system is None else system
    region = QLocale.territoryToCode(system.territory())
    return QLocale(f"{DATE_LOCALE}_{region}" if region else DATE_LOCALE)
