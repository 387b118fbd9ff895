"""Dates in words in CallAhead's one language, whatever locale the process runs in.

strftime's day and month names (%A %a %B %b) follow the C library's LC_TIME, and Qt sets that
from the environment when the window starts (setlocale(LC_ALL, "") on Linux and macOS): in a
German session scripts and day sheets then read "Calls for Montag 7 Dezember" amid English words.
Every date shown, printed or written for the owner goes through `date_text`, whose names are
DATE_LOCALE's — the language all of CallAhead's words are written in. They are written out here
rather than read from Babel at run time: loading Babel's locale data took ~15 ms of every window
start, for nineteen words (tests/test_dates_in_one_language.py checks them against Babel's data).
"""

from __future__ import annotations

import datetime as dt
import re

DATE_LOCALE = "en"  # the language of CallAhead's words; its dates follow it
_NAME_CODES = re.compile(r"(?<!%)%[AaBb]")
_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")
# Each code's names: days by date.weekday() (Monday = 0), months by number (January = 1).
DATE_NAMES: dict[str, dict[int, str]] = {
    "%A": dict(enumerate(_DAYS)),
    "%a": {number: day[:3] for number, day in enumerate(_DAYS)},
    "%B": dict(enumerate(_MONTHS, start=1)),
    "%b": {number: month[:3] for number, month in enumerate(_MONTHS, start=1)},
}


def date_text(moment: dt.date, pattern: str) -> str:
    """`moment.strftime(pattern)` with day and month names in DATE_LOCALE, never the process's.

    Only %A %a %B %b depend on the locale among the codes CallAhead uses; the numbers (%d %Y %H
    %M) are the same everywhere and are left to strftime.
    """
    def name(code: re.Match) -> str:
        table = DATE_NAMES[code.group()]
        word = table[moment.weekday()] if code.group() in ("%A", "%a") else table[moment.month]
        return word.replace("%", "%%")

    return moment.strftime(_NAME_CODES.sub(name, pattern))
