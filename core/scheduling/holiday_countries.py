"""The countries (and their states or provinces) whose public holidays CallAhead knows,
named for a person to choose from, as the `holidays` package provides them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import holidays


@dataclass(frozen=True)
class HolidayCountry:
    code: str  # ISO 3166 alpha-2, as stored in Settings.holiday_country
    name: str
    subdivisions: tuple[str, ...]


def _readable(class_name: str) -> str:
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", class_name)


@cache
def holiday_countries() -> tuple[HolidayCountry, ...]:
    """Every supported country, by name."""
    try:
        from holidays.registry import COUNTRIES  # names as the package's classes spell them
        names = {entry[1]: _readable(entry[0]) for entry in COUNTRIES.values()}
    except (ImportError, AttributeError, IndexError):
        names = {}
    countries = [HolidayCountry(code, names.get(code, code), tuple(subdivisions))
                 for code, subdivisions in holidays.list_supported_countries().items() if len(code) == 2]
    return tuple(sorted(countries, key=lambda c: c.name))


def holiday_country(code: str | None) -> HolidayCountry | None:
    return next((c for c in holiday_countries() if c.code == (code or "").upper()), None)
