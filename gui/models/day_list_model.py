"""The chosen day's calls as a table model: calling order, done calls struck through.

A day's list is at most the team's quota (a few dozen rows), so the model holds the
AgendaCall values core returns and is simply reset when the day or the plan changes.
"""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from core.customers.contact_fields import display_phone
from core.labels import OUTCOME_LABELS, REASON_LABELS
from core.scheduling import AgendaCall

TASK_ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_KEY_ROLE = Qt.ItemDataRole.UserRole
TEXT_ROLES = frozenset({int(Qt.ItemDataRole.DisplayRole), int(Qt.ItemDataRole.AccessibleTextRole)})


class DayColumn(IntEnum):
    ORDER = 0
    TIME = 1
    CUSTOMER = 2  # the customer (and company) with the one-line why beneath
    PHONE = 3
    REASON = 4
    CALLER = 5  # shown for "All callers" only


HEADERS = {DayColumn.ORDER: "#", DayColumn.TIME: "Time", DayColumn.CUSTOMER: "Customer · why",
           DayColumn.PHONE: "Phone", DayColumn.REASON: "Reason", DayColumn.CALLER: "Caller"}


class DayListModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._calls: list[AgendaCall] = []
        self._region = "US"
        self._show_caller = False
        # Each row's texts, made the first time the view asks: rows sized to their contents ask
        # for every cell's text again at each layout (thousands of asks for a day's list).
        self._texts: dict[int, tuple[str, ...]] = {}

    def set_calls(self, calls: list[AgendaCall], region: str = "US", show_caller: bool = False) -> None:
        self.beginResetModel()
        self._calls = list(calls)
        self._region = region
        self._show_caller = show_caller
        self._texts = {}
        self.endResetModel()

    def call(self, row: int) -> AgendaCall | None:
        return self._calls[row] if 0 <= row < len(self._calls) else None

    def row_of_task(self, task_id: int) -> int | None:
        return next((row for row, call in enumerate(self._calls) if call.task_id == task_id), None)

    def calls(self) -> list[AgendaCall]:
        return list(self._calls)

    def has_timed_calls(self) -> bool:
        return any(call.time for call in self._calls)

    def shows_caller(self) -> bool:
        return self._show_caller

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._calls)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(DayColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(DayColumn):
            return HEADERS[DayColumn(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._calls):
            return None
        if role in TEXT_ROLES:
            return self._row_texts(index.row())[index.column()]
        call = self._calls[index.row()]
        if role == SORT_KEY_ROLE:
            return index.row()
        if role == TASK_ID_ROLE:
            return call.task_id
        if role == Qt.ItemDataRole.FontRole and call.done:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if role == Qt.ItemDataRole.ForegroundRole:
            if call.done:
                return QBrush(QColor("#8a8a8a"))
            if call.overdue and index.column() in (DayColumn.ORDER, DayColumn.CUSTOMER):
                return QBrush(QColor("#a0361c"))
        if role == Qt.ItemDataRole.ToolTipRole:
            status = f"Done: {OUTCOME_LABELS[call.outcome]}" if call.done and call.outcome else (
                "Overdue" if call.overdue else "Due")
            return f"{status}\n{call.why}\nPriority: {call.explanation}"
        return None

    def _row_texts(self, row: int) -> tuple[str, ...]:
        texts = self._texts.get(row)
        if texts is None:
            texts = self._texts[row] = tuple(self._text(self._calls[row], row, column) for column in DayColumn)
        return texts

    def _text(self, call: AgendaCall, row: int, column: DayColumn) -> str:
        if column is DayColumn.ORDER:
            return "✓" if call.done else str(row + 1 - sum(1 for c in self._calls[:row] if c.done))
        if column is DayColumn.TIME:
            return call.time.strftime("%H:%M") if call.time else ""
        if column is DayColumn.CUSTOMER:
            name = f"{call.customer} ({call.company})" if call.company else call.customer
            return f"{name}\n{call.why}"
        if column is DayColumn.PHONE:
            return display_phone(call.phone, self._region) or "no phone"
        if column is DayColumn.REASON:
            label = REASON_LABELS[call.reason]
            return f"{label}\n{OUTCOME_LABELS[call.outcome]}" if call.done and call.outcome else label
        return call.staff or ""
