"""The owner's settings, declared once with their type, default and meaning.

Values live in the `settings` table as JSON so every desk sharing a database sees the same
ones. Reading returns a frozen `Settings` snapshot; writing validates every value first.

Which settings are the business's and which the computer's (core.machine.settings, kept in a
file on each machine, not in the shared database):
- start_at_login — this computer: whether this user's login starts CallAhead here.
- backups_to_keep — this computer: the backups are files next to the database this computer
  opens, and a server database has none; a desk's disk, not the business, sets the count.
- day_starts_at — the business: the whole team's day starts at the same time.
- thank_you_notes_per_day — the business: a goal for each caller, whichever desk they use.
- every other setting (name, region, open days, the rules' windows, the plan) — the business.
"""

from __future__ import annotations

import dataclasses
import json
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from core.errors import InvalidInput
from core.storage.models import Setting


@dataclass(frozen=True)
class Settings:
    business_name: str = field(default="My Business", metadata={"doc": "Shown on printed lists and in scripts."})
    phone_region: str = field(default="US", metadata={"doc": "Region for phone numbers written without +country."})
    currency_symbol: str = field(default="$", metadata={"doc": "Shown before amounts."})
    business_weekdays: tuple[int, ...] = field(
        default=(0, 1, 2, 3, 4), metadata={"doc": "Open days, Monday = 0 ... Sunday = 6."}
    )
    holiday_country: str | None = field(default="US", metadata={"doc": "Country whose public holidays close the business."})
    holiday_subdivision: str | None = field(default=None, metadata={"doc": "State or province for regional holidays."})
    closed_dates: tuple[str, ...] = field(default=(), metadata={"doc": "Extra closed days (ISO dates)."})
    heads_up_window_start_days: int = field(default=21, metadata={"doc": "Heads-up calls start this many days before a change."})
    heads_up_window_end_days: int = field(default=2, metadata={"doc": "...and end this many days before it."})
    heads_up_capacity_share: float = field(default=0.6, metadata={"doc": "Share of each caller's quota heads-up calls may use."})
    samples_count: int = field(default=2, metadata={"doc": "Samples sent after a product is discontinued or replaced."})
    concerns_after_days: int = field(default=7, metadata={"doc": "The 'any concerns?' call comes this many days after a change."})
    follow_up_months: int = field(default=3, metadata={"doc": "The follow-up call comes this many months after a change."})
    post_purchase_days: int = field(default=30, metadata={"doc": "Check in this many days after a purchase or installation."})
    neglected_months: int = field(default=6, metadata={"doc": "A customer with no purchase for this long gets a courtesy call."})
    neglected_repeat_days: int = field(default=90, metadata={"doc": "At most one courtesy call per customer in this many days."})
    quote_follow_up_days: tuple[int, ...] = field(default=(3, 7), metadata={"doc": "Follow up an open quote this many days after it was sent."})
    retry_business_days: int = field(default=2, metadata={"doc": "After voicemail or no answer, try again this many business days later."})
    max_attempts: int = field(default=3, metadata={"doc": "After this many unanswered attempts, send a note instead."})
    # The plan (core.scheduling.planner): windows in which each kind of call is still useful,
    # how calls to one customer are combined, and how far ahead the team's days are filled.
    plan_days_ahead: int = field(default=42, metadata={"doc": "The plan fills the callers' days this many days ahead."})
    merge_days: int = field(default=10, metadata={"doc": "Calls to one customer this close together become one call covering every reason."})
    min_gap_days: int = field(default=14, metadata={"doc": "Two calls to one customer are at least this many days apart (callbacks, heads-ups before a date and the follow-ups of one quote excepted)."})
    post_purchase_last_day: int = field(default=45, metadata={"doc": "A check-in after a purchase is still worth making up to this many days after it."})
    concerns_last_day: int = field(default=20, metadata={"doc": "An 'any concerns?' call is still worth making up to this many days after a change."})
    follow_up_window_days: int = field(default=30, metadata={"doc": "A follow-up after a change stays useful this many days after it is due."})
    rewards_window_days: int = field(default=30, metadata={"doc": "A call about an almost-earned reward stays useful this many days."})
    after_change_calls_to_everyone: bool = field(default=False, metadata={"doc": "After a change, call everyone affected (not only those told before the date)."})
    notes_for_expiring_calls: bool = field(default=False, metadata={"doc": "A call whose window closes without room becomes a note (a letter or card) instead."})
    courtesy_floor_months: int = field(default=12, metadata={"doc": "Every customer with a phone hears from the business at least this often."})
    courtesy_floor_share: float = field(default=0.15, metadata={"doc": "Share of each day kept for customers who have not heard from the business longest."})
    day_starts_at: str = field(default="08:30", metadata={"doc": "When the start-of-day reminder appears (HH:MM)."})
    thank_you_notes_per_day: int = field(default=1, metadata={"doc": "Thank-you notes each caller aims to write a day."})

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


# The lowest and highest value of each whole-number setting: the checks below and the settings
# dialog's fields both read them (`setting_bounds`).
_BOUNDS: dict[str, tuple[int, int]] = {
    "heads_up_window_start_days": (1, 365),
    "heads_up_window_end_days": (0, 60),
    "samples_count": (0, 100),
    "concerns_after_days": (1, 90),
    "follow_up_months": (1, 24),
    "post_purchase_days": (1, 365),
    "neglected_months": (1, 60),
    "neglected_repeat_days": (1, 730),
    "retry_business_days": (1, 30),
    "max_attempts": (1, 20),
    "thank_you_notes_per_day": (0, 20),
    "plan_days_ahead": (7, 180),
    "merge_days": (0, 60),
    "min_gap_days": (0, 90),
    "post_purchase_last_day": (1, 730),
    "concerns_last_day": (1, 180),
    "follow_up_window_days": (1, 180),
    "rewards_window_days": (1, 180),
    "courtesy_floor_months": (1, 60),
}


def setting_bounds(name: str) -> tuple[int, int]:
    """(lowest, highest) accepted for a whole-number setting."""
    return _BOUNDS.get(name, (0, 10_000))


def _validate(name: str, value: Any) -> Any:
    default = getattr(Settings(), name)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise InvalidInput(f"Setting '{name}' must be true or false, not {value!r}.", field=name)
        return value
    if isinstance(default, int):
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidInput(f"Setting '{name}' must be a whole number, not {value!r}.", field=name)
        low, high = setting_bounds(name)
        if not low <= value <= high:
            raise InvalidInput(f"Setting '{name}' must be between {low} and {high}, not {value}.", field=name)
        return value
    if isinstance(default, float):
        if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 < value <= 1:
            raise InvalidInput(f"Setting '{name}' must be a share between 0 and 1, not {value!r}.", field=name)
        return float(value)
    if isinstance(default, tuple):
        if not isinstance(value, (list, tuple)):
            raise InvalidInput(f"Setting '{name}' must be a list, not {value!r}.", field=name)
        value = tuple(value)
        if name == "business_weekdays" and (not value or any(d not in range(7) for d in value)):
            raise InvalidInput("Open days must be weekday numbers 0 (Monday) to 6 (Sunday), at least one.", field=name)
        if name == "quote_follow_up_days" and any(not isinstance(d, int) or d < 1 for d in value):
            raise InvalidInput("Quote follow-ups must be whole numbers of days, 1 or more.", field=name)
        return value
    if value is None and default is None or value is None and name.startswith("holiday_"):
        return None
    if not isinstance(value, str):
        raise InvalidInput(f"Setting '{name}' must be text, not {value!r}.", field=name)
    value = value.strip()
    if name == "day_starts_at":
        parts = value.split(":")
        if len(parts) != 2 or not all(p.isdigit() for p in parts) or int(parts[0]) > 23 or int(parts[1]) > 59:
            raise InvalidInput(f"The start of day must be a time like 08:30, not {value!r}.", field=name)
    return value


def load_settings(session: Session) -> Settings:
    stored = dict(session.execute(select(Setting.key, Setting.value)).all())
    values: dict[str, Any] = {}
    for name in Settings.field_names():
        if name in stored:
            try:
                values[name] = _validate(name, json.loads(stored[name]))
            except (ValueError, InvalidInput):
                # A value damaged outside the app falls back to its default rather than stopping the app.
                continue
    return Settings(**values)


def save_settings(session: Session, **changes: Any) -> Settings:
    """Validate every change first, then write them all: a bad value changes nothing."""
    unknown = sorted(set(changes) - set(Settings.field_names()))
    if unknown:
        raise InvalidInput(f"Unknown setting(s): {', '.join(unknown)}.", field=unknown[0])
    validated = {name: _validate(name, value) for name, value in changes.items()}
    for name, value in validated.items():
        encoded = json.dumps(list(value) if isinstance(value, tuple) else value)
        row = session.get(Setting, name)
        if row is None:
            session.add(Setting(key=name, value=encoded))
        else:
            row.value = encoded
    session.flush()
    return dataclasses.replace(load_settings(session))
