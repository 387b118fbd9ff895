"""Counts in words, with the plural right ("1 customer", "2 customers"; never "call(s)")."""

from __future__ import annotations


def count_of(count: int, word: str, plural: str | None = None) -> str:
    return f"{count:,} {word if count == 1 else (plural or word + 's')}"
