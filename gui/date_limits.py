"""The window's date fields accept the same dates as the command line (core.limits)."""

from __future__ import annotations

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QDateTimeEdit

from core.limits import FIRST_DATE, LAST_DATE


def limit_to_accepted_dates(edit: QDateTimeEdit) -> None:
    """Keep `edit` (a QDateEdit or QDateTimeEdit) within 1900–2200, and within any tighter minimum it has."""
    first = QDate(FIRST_DATE.year, FIRST_DATE.month, FIRST_DATE.day)
    edit.setMinimumDate(max(edit.minimumDate(), first))
    edit.setMaximumDate(QDate(LAST_DATE.year, LAST_DATE.month, LAST_DATE.day))
