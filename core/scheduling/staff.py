"""The people who make the calls (staff members) and their daily quotas.

Staff are never deleted, only deactivated: their name stays on the calls they made.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.customers.contact_fields import clean_name
from core.errors import InvalidInput
from core.storage.models import StaffMember

MAX_DAILY_QUOTA = 200  # the schema's limit too


@dataclass(frozen=True)
class StaffEntry:
    id: int | None  # None: a new caller
    name: str
    daily_quota: int = 10
    active: bool = True


def list_staff(session: Session) -> list[StaffEntry]:
    """Active callers first, then by name."""
    return [StaffEntry(s.id, s.name, s.daily_quota, s.active) for s in session.scalars(
        select(StaffMember).order_by(StaffMember.active.desc(), StaffMember.name))]


def staff_id_by_name(session: Session, name: str | None) -> int | None:
    """The caller an owner typed (any case, spaces around ignored); None when no name was given.

    Raises InvalidInput (field 'staff') naming the callers there are when no one is called that."""
    if name is None:
        return None
    found = session.scalar(select(StaffMember.id).where(func.lower(StaffMember.name) == name.strip().lower()))
    if found is None:
        known = ", ".join(session.scalars(select(StaffMember.name).order_by(StaffMember.name))) or "none yet"
        raise InvalidInput(f"No caller is called '{name}' (callers: {known}).", field="staff")
    return found


def save_staff(session: Session, entries: Sequence[StaffEntry]) -> None:
    """Add or update callers (entries with no id are added). Staff not listed are left as they are.

    Raises InvalidInput with field 'staff[N].name' or 'staff[N].daily_quota' (N counts from 1,
    the row the owner sees) before anything is written.
    """
    cleaned: list[tuple[StaffEntry, str]] = []
    seen: dict[str, int] = {}
    for row, entry in enumerate(entries, start=1):
        name = clean_name(entry.name)
        if not name:
            raise InvalidInput(f"Caller {row}: give a name.", field=f"staff[{row}].name")
        if len(name) > 120:
            raise InvalidInput(f"Caller {row}: the name is too long (at most 120 characters).", field=f"staff[{row}].name")
        if name.casefold() in seen:
            raise InvalidInput(f"Caller {row}: '{name}' is already caller {seen[name.casefold()]}.",
                               field=f"staff[{row}].name")
        seen[name.casefold()] = row
        quota = entry.daily_quota
        if isinstance(quota, bool) or not isinstance(quota, int) or not 0 <= quota <= MAX_DAILY_QUOTA:
            raise InvalidInput(f"Caller {row}: the daily quota must be 0 to {MAX_DAILY_QUOTA} calls, not {quota!r}.",
                               field=f"staff[{row}].daily_quota")
        cleaned.append((entry, name))
    listed = {entry.id for entry, _ in cleaned if entry.id is not None}
    others = {s.name.casefold(): s.id for s in session.scalars(select(StaffMember)) if s.id not in listed}
    for row, (entry, name) in enumerate(cleaned, start=1):
        if name.casefold() in others:
            raise InvalidInput(f"Caller {row}: there is already a caller named '{name}'.", field=f"staff[{row}].name")
    for entry, name in cleaned:
        member = session.get(StaffMember, entry.id) if entry.id is not None else None
        if member is None:
            member = StaffMember(name=name)
            session.add(member)
        member.name, member.daily_quota, member.active = name, entry.daily_quota, bool(entry.active)
    session.flush()
