"""Amounts are whole cents everywhere; this is the one place they become text."""

from __future__ import annotations


def format_money(cents: int | None, symbol: str = "$", whole: bool = False) -> str:
    """Whole amounts without cents ($1,450), others with them ($12.50); `whole` rounds to units
    (for "why" lines and columns of figures, where cents are noise)."""
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    cents = abs(int(cents))
    if whole:
        cents = (cents + 50) // 100 * 100
    if cents % 100 == 0:
        return f"{sign}{symbol}{cents // 100:,}"
    return f"{sign}{symbol}{cents / 100:,.2f}"
