"""When two records are one customer, and when they only might be: the import's merge rules.

In the owner's words:
- The same e-mail address, or the same customer number from the point-of-sale, is the same customer.
- A shared phone number alone is not enough: households, front desks and business lines share
  phones. Records sharing a phone are the same customer only when their names agree (the same
  last name, or one name contained in the other: "Dan Reyes" / "Daniel Reyes", "Rachel Goldberg" /
  "Rachel Goldberg-Stein") or their addresses agree. Otherwise both are kept and the pair is a
  *possible duplicate* for the owner to decide: merge them, or keep them apart. The answer is
  remembered (table import_pair_decisions), so a later import of the same file does not ask again.
- Two different first names are two people, whatever else they share: "Anna Kowalski" and "Piotr
  Kowalski" on one home phone and at one address are a couple. A first name only agrees with the
  same name, or with its short form as a table of known short forms lists it ("Dan" / "Daniel",
  "Bob" / "Robert"; core/importing/short_forms.py): "Dan" and "Danielle" share their beginning
  but are two people. Two different e-mail addresses are two
  people too, unless a married name explains them ("Goldberg" / "Goldberg-Stein": a new name
  often comes with a new address). Such pairs are at most possible duplicates, never merged by
  themselves, and never merged through a third record either.
- The same rules hold between the file and the customers already stored.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.customers.search import fold_for_search
from core.importing.short_forms import is_short_form_of_each_other
from core.storage.models import ImportPairDecision

_WORD = re.compile(r"[^\W_]+")


class PairDecision(StrEnum):
    MERGE = "merge"
    KEEP_APART = "keep_apart"


@dataclass(frozen=True, order=True)
class PairKey:
    """A possible duplicate as the owner's decision remembers it: the shared phone and both names."""

    phone: str
    name_a: str
    name_b: str

    @classmethod
    def of(cls, phone: str, name: str, other_name: str) -> "PairKey":
        first, second = sorted((name_key(name), name_key(other_name)))
        return cls(phone, first, second)


def name_key(name: str | None) -> str:
    """A name as the rules compare it: case, accents and letters like ß or ø folded, words only."""
    return " ".join(name_words(name))


def name_words(name: str | None) -> list[str]:
    text = unicodedata.normalize("NFKD", fold_for_search(name or "").casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _WORD.findall(text)


def first_name_of(name: str | None, first: str | None = None, *, is_company: bool = False) -> str | None:
    """The first name as the rules compare it: the file's first-name field, else the first word of a
    person's name of two words or more; None when nobody can tell (one word, or only a company)."""
    given = name_words(first)
    if given:
        return given[0]
    words = [] if is_company else name_words(name)
    return words[0] if len(words) >= 2 else None


def first_names_differ(first: str | None, other: str | None) -> bool:
    """Two known first names that are not one name: neither the same nor one the known short form
    of the other ("Dan" / "Daniel"). A shared beginning is not enough: "Dan" / "Danielle" differ,
    and so does an initial ("J" / "Jan"), which proves nothing."""
    if not first or not other or first == other:
        return False
    return not is_short_form_of_each_other(first, other)


def names_agree(name: str | None, other: str | None, last: str | None = None, other_last: str | None = None,
                *, first: str | None = None, other_first: str | None = None) -> bool:
    """The same last name, or every word of one name in the other ("Rachel Goldberg" / "Rachel
    Goldberg-Stein"); never when the first names differ ("Anna" / "Piotr Kowalski")."""
    words, other_words = name_words(name), name_words(other)
    if not words or not other_words:
        return False
    if first_names_differ(first_name_of(name, first), first_name_of(other, other_first)):
        return False
    last_words, other_last_words = name_words(last) or words[-1:], name_words(other_last) or other_words[-1:]
    if last_words == other_last_words:
        return True
    if words[0] == other_words[0] and _initial_of(last_words, other_last_words):
        return True  # "Lena D." and "Lena Duplicate": the same first name, the last one abbreviated
    shorter, longer = sorted((words, other_words), key=len)
    return set(shorter) <= set(longer)


def _initial_of(last_words: list[str], other_last_words: list[str]) -> bool:
    shorter, longer = sorted((last_words, other_last_words), key=lambda w: len(w[0]))
    return len(shorter) == 1 and len(shorter[0]) == 1 and longer[0].startswith(shorter[0])


def addresses_agree(address: str | None, other: str | None) -> bool:
    words, other_words = name_words(address), name_words(other)
    return bool(words) and words == other_words


@dataclass(frozen=True)
class PhoneSharer:
    """A record (or a stored customer) as the shared-phone rule sees it."""

    name: str
    first_name: str | None  # as first_name_of gives it
    last_name: str | None
    address: str | None
    emails: frozenset[str]

    @classmethod
    def of(cls, name: str | None, first: str | None, last: str | None, address: str | None,
           emails: frozenset[str], *, is_company: bool = False) -> "PhoneSharer":
        return cls(name or "", first_name_of(name, first, is_company=is_company), last, address, emails)


def _married_name(a: PhoneSharer, b: PhoneSharer) -> bool:
    """Different last names, one name inside the other: "Rachel Goldberg" / "Rachel Goldberg-Stein"."""
    words, other_words = name_words(a.name), name_words(b.name)
    last, other_last = name_words(a.last_name) or words[-1:], name_words(b.last_name) or other_words[-1:]
    if not words or not other_words or last == other_last:
        return False
    shorter, longer = sorted((words, other_words), key=len)
    return set(shorter) <= set(longer)


def two_people(a: PhoneSharer, b: PhoneSharer) -> bool:
    """Sure to be two people: different first names, or different e-mail addresses (unless a married
    name explains the new address). Only the owner can merge such a pair."""
    if first_names_differ(a.first_name, b.first_name):
        return True
    return bool(a.emails and b.emails and not a.emails & b.emails) and not _married_name(a, b)


def why_one_customer(a: PhoneSharer, b: PhoneSharer, phone: str) -> str | None:
    """Why two records sharing `phone` are one customer without asking the owner, or None: then
    they stay two customers and the pair is a possible duplicate for the owner to decide."""
    if two_people(a, b):
        return None
    if names_agree(a.name, b.name, a.last_name, b.last_name, first=a.first_name, other_first=b.first_name):
        return f"same phone {phone} and the names agree"
    if addresses_agree(a.address, b.address):
        return f"same phone {phone} and the same address"
    return None


@dataclass(frozen=True)
class PossibleDuplicate:
    """Two records (or a record and a stored customer) sharing a phone that the rules do not join."""

    phone: str
    line: int
    name: str
    other_line: int | None  # None: the other is a stored customer
    other_name: str
    customer_id: int | None = None  # the stored customer, when the other is one

    @property
    def key(self) -> PairKey:
        return PairKey.of(self.phone, self.name, self.other_name)

    def summary(self) -> dict[str, Any]:
        found: dict[str, Any] = {"lines": [self.line, self.other_line], "names": [self.name, self.other_name],
                                 "reason": f"same phone {self.phone}"}
        if self.customer_id is not None:
            found["customer_id"] = self.customer_id
        return found


def load_pair_decisions(session: Session) -> dict[PairKey, PairDecision]:
    rows = session.execute(select(ImportPairDecision.phone, ImportPairDecision.name_a, ImportPairDecision.name_b,
                                  ImportPairDecision.decision))
    return {PairKey(phone, a, b): PairDecision(decision) for phone, a, b, decision in rows}


def save_pair_decisions(session: Session, decisions: Mapping[PairKey, PairDecision], now: dt.datetime) -> None:
    """Remember the owner's answers (inside the import's transaction); a newer answer replaces an older one."""
    if not decisions:
        return
    stored = {PairKey(r.phone, r.name_a, r.name_b): r for r in session.scalars(select(ImportPairDecision))}
    for key, decision in decisions.items():
        if key.name_a == key.name_b:
            continue  # the same name is never a possible duplicate
        row = stored.get(key)
        if row is None:
            session.add(ImportPairDecision(phone=key.phone, name_a=key.name_a, name_b=key.name_b,
                                           decision=decision.value, decided_at=now))
        elif row.decision != decision.value:
            row.decision, row.decided_at = decision.value, now
    session.flush()
