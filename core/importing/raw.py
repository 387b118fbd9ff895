"""A record as the file states it, before any cleaning: what a CSV row or a vCard says.

CSV rows become `RawContact`s through the column mapping; vCard cards are parsed straight
into them. Cleaning (core.importing.customers) only ever sees this one shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from core.importing.fields import Field


@dataclass(frozen=True)
class RawPhone:
    text: str
    label: str | None = None  # mobile, home, work, fax... as normalize_phone_label says


@dataclass
class RawContact:
    line: int  # the physical line of the file where the record starts
    values: dict[Field, list[str]] = field(default_factory=dict)  # non-phone, non-e-mail fields, in column order
    phones: list[RawPhone] = field(default_factory=list)
    emails: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)  # what reading already noticed (ragged row...)
    rejection: str | None = None  # why the record cannot be trusted at all (an unclosed quote)

    def add(self, meaning: Field, text: str) -> None:
        text = text.strip()
        if text:
            self.values.setdefault(meaning, []).append(text)

    def first(self, meaning: Field) -> str | None:
        found = self.values.get(meaning)
        return found[0] if found else None

    def is_blank(self) -> bool:
        return not (self.values or self.phones or self.emails)
