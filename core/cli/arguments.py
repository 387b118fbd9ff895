"""Argument types shared by the commands: each refuses a bad value with a usage error that
says what is wrong, never a traceback. Ranges come from core.limits, shared with the window."""

from __future__ import annotations

import argparse
import datetime as dt
from collections.abc import Callable

from core.limits import count_problem, date_problem, id_problem


def iso_date(text: str) -> dt.date:
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date in the form YYYY-MM-DD") from None
    problem = date_problem(day)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return day


def date_or_moment(text: str) -> dt.date | dt.datetime:
    """YYYY-MM-DD, or YYYY-MM-DDTHH:MM for a timed callback."""
    try:
        value = dt.datetime.fromisoformat(text) if ("T" in text or " " in text) else dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date (YYYY-MM-DD) or a moment (YYYY-MM-DDTHH:MM)") from None
    problem = date_problem(value.date() if isinstance(value, dt.datetime) else value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def _whole_number(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number") from None


def record_id(text: str) -> int:
    """A task, change or customer id: a whole number SQLite can store."""
    value = _whole_number(text)
    problem = id_problem(value)
    if problem:
        raise argparse.ArgumentTypeError(problem)
    return value


def count_between(low: int, high: int) -> Callable[[str], int]:
    """A whole number from `low` to `high` (the name argparse shows is the range)."""

    def count(text: str) -> int:
        value = _whole_number(text)
        problem = count_problem(value, low, high)
        if problem:
            raise argparse.ArgumentTypeError(problem)
        return value

    count.__name__ = f"whole number from {low} to {high}"
    return count


def share(text: str) -> float:
    """A share of a day between 0 and 1 (0.6 is 60%)."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number like 0.6") from None
    if not 0 < value <= 1:  # also refuses nan and inf
        raise argparse.ArgumentTypeError(f"{text} is not a share between 0 and 1 (0.6 is 60%)")
    return value


def id_list(text: str) -> list[int]:
    """Comma-separated record ids."""
    return [record_id(part) for part in comma_list(text)]


def comma_list(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]
