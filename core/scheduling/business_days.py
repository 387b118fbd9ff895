"""Which days the business is open, and date arithmetic in open days.

Closed: weekdays the owner does not work, national (and regional) public holidays from the
`holidays` package, and extra dates the owner closes. Every scheduling rule asks this one
class, so a holiday can never get calls.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from functools import cached_property, lru_cache
from pathlib import Path

from core.machine.holiday_tables import HolidayTable, tables_folder
from core.settings import Settings

ONE_DAY = dt.timedelta(days=1)


@lru_cache(maxsize=8)
def _public_holidays(country: str, subdivision: str | None, folder: Path | None) -> HolidayTable:
    """One holiday table per country for the app's life: building one costs ~20 ms a year."""
    return HolidayTable(country, subdivision, folder)


class BusinessCalendar:
    def __init__(
        self,
        open_weekdays: Iterable[int] = (0, 1, 2, 3, 4),
        country: str | None = None,
        subdivision: str | None = None,
        closed_dates: Iterable[dt.date] = (),
    ):
        self.open_weekdays = frozenset(open_weekdays)
        if not self.open_weekdays:
            raise ValueError("A business needs at least one open weekday.")
        self.country = country
        self.subdivision = subdivision
        self.closed_dates = frozenset(closed_dates)

    @classmethod
    def from_settings(cls, settings: Settings) -> "BusinessCalendar":
        closed = []
        for text in settings.closed_dates:
            try:
                closed.append(dt.date.fromisoformat(text))
            except ValueError:
                continue
        return cls(settings.business_weekdays, settings.holiday_country, settings.holiday_subdivision, closed)

    @cached_property
    def _holidays(self):
        return _public_holidays(self.country, self.subdivision, tables_folder()) if self.country else None

    def holiday_name(self, day: dt.date) -> str | None:
        return None if self._holidays is None else self._holidays.get(day)

    def is_open(self, day: dt.date) -> bool:
        if day.weekday() not in self.open_weekdays or day in self.closed_dates:
            return False
        return self._holidays is None or day not in self._holidays

    def open_on_or_before(self, day: dt.date) -> dt.date:
        while not self.is_open(day):
            day -= ONE_DAY
        return day

    def open_on_or_after(self, day: dt.date) -> dt.date:
        while not self.is_open(day):
            day += ONE_DAY
        return day

    def add_open_days(self, day: dt.date, count: int) -> dt.date:
        """The `count`-th open day after `day` (count >= 1), e.g. "retry in 2 business days"."""
        step = ONE_DAY if count >= 0 else -ONE_DAY
        remaining = abs(count)
        while remaining:
            day += step
            if self.is_open(day):
                remaining -= 1
        return day

    def open_days(self, first: dt.date, last: dt.date) -> Iterator[dt.date]:
        """Open days from `first` to `last`, both included."""
        day = first
        while day <= last:
            if self.is_open(day):
                yield day
            day += ONE_DAY
