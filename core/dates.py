"""Dates in words in CallAhead's one language, whatever locale the process runs in.

strftime's day and month names (%A %a %B %b) follow the C library's LC_TIME, and Qt sets that
from the environment when the window starts (setlocale(LC_ALL, "") on Linux and macOS): in a
German session scripts and day sheets then read "Calls for Montag 7 Dezember" amid English words.
Every date shown, printed or written for the owner goes through `date_text`, whose names come
from Babel's data for DATE_LOCALE — the language all of CallAhead's words are written in.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

DATE_LOCALE = "en"  # the language of CallAhead's words; its dates follow it
_NAME_CODES = re.compile(r"(?<!%)%[AaBb]")


@cache
def _names() -> dict[str, dict[int, str]]:
    from babel.dates import get_day_names, get_month_names  # Babel's data loads on first use

    return {
        "%A": dict(get_day_names("wide", locale=DATE_LOCALE)),  # Monday = 0, as date.weekday()
        "%a": dict(get_day_names("abbreviated", locale=DATE_LOCALE)),
        "%B": dict(get_month_names("wide", locale=DATE_LOCALE)),  # January = 1
        "%b": dict(get_month_names("abbreviated", locale=DATE_LOCALE)),
    }


def date_text(moment: dt.date, pattern: str) -> str:
    """`moment.strftime(pattern)` with day and month names in DATE_LOCALE, never the process's.

    Only %A %a %B %b depend on the locale among the codes CallAhead uses; the numbers (%d %Y %H
    %M) are the same everywhere and are left to strftime.
    """
    names = _names()

    def name(code: re.Match) -> str:
        table = names[code.group()]
        word = table[moment.weekday()] if code.group() in ("%A", "%a") else table[moment.month]
        return word.replace("%", "%%")

    return moment.strftime(_NAME_CODES.sub(name, pattern))
