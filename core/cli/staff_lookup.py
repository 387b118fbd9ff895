"""Finding a caller by the name an owner types."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.models import StaffMember


def staff_id_by_name(session: Session, name: str | None) -> int | None:
    if name is None:
        return None
    found = session.scalar(select(StaffMember.id).where(func.lower(StaffMember.name) == name.strip().lower()))
    if found is None:
        known = ", ".join(session.scalars(select(StaffMember.name).order_by(StaffMember.name))) or "none yet"
        raise InvalidInput(f"No caller is called '{name}' (callers: {known}).", field="staff")
    return found
