"""Reading a combo box's chosen value back as the type it was stored as.

Qt keeps an item's data as a QVariant: a `StrEnum` member put in comes back as a plain `str`
with current PySide6, so every combo box holding enum members reads them through here.
"""

from __future__ import annotations

from enum import Enum
from typing import TypeVar

from PySide6.QtWidgets import QComboBox

E = TypeVar("E", bound=Enum)


def chosen(combo: QComboBox, kind: type[E]) -> E | None:
    """The combo box's current item as a member of `kind` (None when nothing is chosen)."""
    value = combo.currentData()
    return None if value is None else kind(value)
