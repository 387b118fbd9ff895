"""Amounts are whole cents everywhere; this is the one place they become text."""

from __future__ import annotations


def format_money(cents: int | None, symbol: str = "$", whole: bool = True) -> str:
    """$3,920 (whole dollars, for "why" lines) or $3,920.50."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    if whole:
        return f"{sign}{symbol}{round(cents / 100):,}"
    return f"{sign}{symbol}{cents // 100:,}.{cents % 100:02d}"
