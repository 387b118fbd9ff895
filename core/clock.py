"""Where "now" comes from. Logic takes a clock or a date; only the edges build one."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol


class Clock(Protocol):
    def today(self) -> dt.date: ...

    def now(self) -> dt.datetime: ...


class SystemClock:
    """The real local time, for the running app."""

    def today(self) -> dt.date:
        return dt.date.today()

    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)


@dataclass
class FixedClock:
    """A clock that says what it is told: `--today` on the command line, and tests."""

    fixed_now: dt.datetime

    @classmethod
    def on(cls, day: dt.date, hour: int = 9, minute: int = 0) -> "FixedClock":
        return cls(dt.datetime.combine(day, dt.time(hour, minute)))

    def today(self) -> dt.date:
        return self.fixed_now.date()

    def now(self) -> dt.datetime:
        return self.fixed_now

    def advance(self, delta: dt.timedelta) -> None:
        self.fixed_now += delta


@dataclass
class DayShiftedClock:
    """The system clock's time of day on another date (`--today D` for the running window)."""

    day: dt.date

    def today(self) -> dt.date:
        return self.day

    def now(self) -> dt.datetime:
        return dt.datetime.combine(self.day, dt.datetime.now().time().replace(microsecond=0))
