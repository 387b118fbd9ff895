"""The customers an announced change affects, most exposed first, with their heads-up day."""

from __future__ import annotations

from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from core.labels import format_money
from core.scheduling.changes import AffectedCustomer
from gui.dates import short_day

SORT_KEY_ROLE = Qt.ItemDataRole.UserRole


class AffectedColumn(IntEnum):
    RANK = 0
    CUSTOMER = 1
    EXPOSURE = 2
    HEADS_UP = 3
    CALLER = 4
    WHY = 5


HEADERS = {AffectedColumn.RANK: "#", AffectedColumn.CUSTOMER: "Customer", AffectedColumn.EXPOSURE: "Exposure",
           AffectedColumn.HEADS_UP: "Heads-up call", AffectedColumn.CALLER: "Caller", AffectedColumn.WHY: "Why"}


class AffectedModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._rows: list[AffectedCustomer] = []
        self._missed: set[int] = set()
        self._noted: set[int] = set()
        self._symbol = "$"

    def set_plan(self, affected, missed, currency_symbol: str = "$", noted=()) -> None:
        """`noted`: customers the plan sends a note instead of a call."""
        self.beginResetModel()
        self._rows = list(affected)
        self._missed = set(missed)
        self._noted = set(noted)
        self._symbol = currency_symbol
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802
        return 0 if parent.isValid() else len(AffectedColumn)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:  # noqa: N802
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole and 0 <= section < len(AffectedColumn):
            return HEADERS[AffectedColumn(section)]
        return None

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        row = self._rows[index.row()]
        column = AffectedColumn(index.column())
        exposure = row.exposure
        if role == Qt.ItemDataRole.DisplayRole:
            if column is AffectedColumn.RANK:
                return str(index.row() + 1)
            if column is AffectedColumn.CUSTOMER:
                return exposure.customer
            if column is AffectedColumn.EXPOSURE:
                return format_money(exposure.amount_cents, self._symbol, whole=True)
            if column is AffectedColumn.HEADS_UP:
                if exposure.do_not_call:
                    return "do not call"
                if row.heads_up is None:
                    if exposure.customer_id in self._noted:
                        return "a note instead"
                    return "missed" if exposure.customer_id in self._missed else "—"
                return short_day(row.heads_up)
            if column is AffectedColumn.CALLER:
                return row.staff or ""
            return exposure.why
        if role == SORT_KEY_ROLE:
            return {AffectedColumn.RANK: index.row(), AffectedColumn.CUSTOMER: exposure.customer,
                    AffectedColumn.EXPOSURE: exposure.amount_cents,
                    AffectedColumn.HEADS_UP: row.heads_up.toordinal() if row.heads_up else 10**7,
                    AffectedColumn.CALLER: row.staff or "", AffectedColumn.WHY: exposure.why}[column]
        if role == Qt.ItemDataRole.ForegroundRole and row.heads_up is None and exposure.customer_id not in self._noted:
            return QBrush(QColor("#a0361c"))
        return None
