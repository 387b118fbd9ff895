"""Dates in words in CallAhead's one language, whatever locale the process runs in.

strftime's day and month names (%A %a %B %b) follow the C library's LC_TIME, and Qt sets that
from the environment when the window starts (setlocale(LC_ALL, "") on Linux and macOS): in a
German session scripts and day sheets then read "Calls for Montag 7 Dezember" amid English words.
Every date shown, printed or written for the owner goes through `date_text`, whose names are
Babel's (CLDR's) for DATE_LOCALE — the language all of CallAhead's words are written in. They are
written out here rather than read from Babel at run time: its locale data takes tens of
milliseconds to load, on every launch, for these four lists; tests/test_dates_in_one_language.py
checks they are still Babel's.
"""

from __future__ import annotations

import datetime as dt
import re

DATE_LOCALE = "en"  # the language of CallAhead's words; its dates follow it
_NAME_CODES = re.compile(r"(?<!%)%[AaBb]")

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# DATE_LOCALE's names as Babel's get_day_names / get_month_names give them, by strftime's code.
NAMES: dict[str, dict[int, str]] = {
    "%A": dict(enumerate(_DAYS)),  # Monday = 0, as date.weekday()
    "%a": {day: name[:3] for day, name in enumerate(_DAYS)},
    "%B": dict(enumerate(_MONTHS, start=1)),  # January = 1
    "%b": {month: name[:3] for month, name in enumerate(_MONTHS, start=1)},
}


def date_text(moment: dt.date, pattern: str) -> str:
    """`moment.strftime(pattern)` with day and month names in DATE_LOCALE, never the process's.

    Only %A %a %B %b depend on the locale among the codes CallAhead uses; the numbers (%d %Y %H
    %M) are the same everywhere and are left to strftime.
    """
    def name(code: re.Match) -> str:
        table = NAMES[code.group()]
        word = table[moment.weekday()] if code.group() in ("%A", "%a") else table[moment.month]
        return word.replace("%", "%%")

    return moment.strftime(_NAME_CODES.sub(name, pattern))
