"""What's on…: the owner's dated news items, which every call's script and the day sheet carry.

The list shows each item with its dates, whether it is running, coming or over, and whom it
is limited to. Add one with a title, optional details, its first and last day, and optionally
the call reasons or customer tags it is for; remove the one selected.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.storage.enums import Reason
from core.errors import CallAheadError
from core.habits.services import HabitsServices
from core.labels import REASON_LABELS, format_day
from core.habits.news import News

ID_ROLE = Qt.ItemDataRole.UserRole
COLUMNS = ("What's on", "From", "To", "Now", "Only for")


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _limits_text(item: News) -> str:
    parts = [", ".join(REASON_LABELS[r] for r in item.reasons)] if item.reasons else []
    if item.tags:
        parts.append("customers tagged " + ", ".join(item.tags))
    return " · ".join(parts) or "every call"


class NewsDialog(QDialog):
    changed = Signal(object)  # ChangeSet

    def __init__(self, habits: HabitsServices, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("What's on — news for the calls")
        self.setObjectName("NewsDialog")
        self.resize(820, 620)
        self._habits = habits
        self._build()
        self.refresh()

    def _build(self) -> None:
        self.table = QTableWidget(0, len(COLUMNS), objectName="newsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.remove_button = QPushButton("&Remove selected", objectName="newsRemove")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)

        today = self._habits.today()
        self.title_edit = QLineEdit(objectName="newsTitle")
        self.title_edit.setPlaceholderText("Open house Saturday 12 Dec")
        self.text_edit = QLineEdit(objectName="newsText")
        self.text_edit.setPlaceholderText("coffee and 10 % off openers (optional)")
        self.from_edit = QDateEdit(_qdate(today), objectName="newsFrom", calendarPopup=True)
        self.to_edit = QDateEdit(_qdate(today + dt.timedelta(days=6)), objectName="newsTo", calendarPopup=True)
        for edit in (self.from_edit, self.to_edit):
            edit.setDisplayFormat("yyyy-MM-dd")  # typed as on the command line; the calendar pops up too
        dates = QHBoxLayout()
        dates.addWidget(self.from_edit)
        dates.addWidget(QLabel("to"))
        dates.addWidget(self.to_edit)
        dates.addStretch(1)
        self.reasons_list = QListWidget(objectName="newsReasons")
        for reason in Reason:
            item = QListWidgetItem(REASON_LABELS[reason])
            item.setData(ID_ROLE, reason.value)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.reasons_list.addItem(item)
        self.reasons_list.setMaximumHeight(110)
        self.tags_edit = QLineEdit(objectName="newsTags")
        self.tags_edit.setPlaceholderText("e.g. retail (leave empty for every customer)")
        self.add_button = QPushButton("&Add", objectName="newsAdd")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.add_item)
        self.message_label = QLabel(objectName="newsMessage", wordWrap=True)
        form = QFormLayout()
        form.addRow("&Title:", self.title_edit)
        form.addRow("&Details:", self.text_edit)
        runs_label = QLabel("&Runs:")
        runs_label.setBuddy(self.from_edit)
        form.addRow(runs_label, dates)
        form.addRow("Only for these &reasons\n(none ticked: every call):", self.reasons_list)
        form.addRow("Only customers &tagged:", self.tags_edit)
        form.addRow("", self.add_button)
        form.addRow("", self.message_label)
        add_box = QGroupBox("Add news")
        add_box.setLayout(form)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Every call's script mentions what is running that day, once, after the reason; "
                                "the printed day sheet carries it at the top.", wordWrap=True))
        layout.addWidget(self.table, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)
        layout.addWidget(add_box)
        layout.addWidget(buttons)

    def refresh(self) -> None:
        today = self._habits.today()
        items = self._habits.news()
        self.table.setRowCount(len(items))
        for row, item in enumerate(items):
            state = "running" if item.runs_on(today) else ("over" if item.ends_on < today else "coming")
            cells = (item.talking_point, format_day(item.starts_on, today), format_day(item.ends_on, today), state,
                     _limits_text(item))
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                cell.setData(ID_ROLE, item.id)
                self.table.setItem(row, column, cell)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.remove_button.setEnabled(bool(items))

    def checked_reasons(self) -> list[str]:
        return [self.reasons_list.item(i).data(ID_ROLE) for i in range(self.reasons_list.count())
                if self.reasons_list.item(i).checkState() == Qt.CheckState.Checked]

    def _show(self, message: str, error: bool = False) -> None:
        self.message_label.setStyleSheet(f"color: {'#b71c1c' if error else '#1b5e20'};")
        self.message_label.setText(message)

    def add_item(self) -> None:
        try:
            item, changes = self._habits.add_news(
                self.title_edit.text(), self.from_edit.date().toPython(), self.to_edit.date().toPython(),
                text=self.text_edit.text(), reasons=self.checked_reasons(), tags=self.tags_edit.text().split(","))
        except CallAheadError as error:
            self._show(str(error), error=True)
            return
        self._show(f"Added: {item.title}.")
        self.title_edit.clear()
        self.text_edit.clear()
        self.tags_edit.clear()
        for i in range(self.reasons_list.count()):
            self.reasons_list.item(i).setCheckState(Qt.CheckState.Unchecked)
        self.refresh()
        self.changed.emit(changes)

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        cell = self.table.item(row, 0) if row >= 0 else None
        if cell is None:
            self._show("Select the news to remove first.", error=True)
            return
        try:
            item, changes = self._habits.remove_news(cell.data(ID_ROLE))
        except CallAheadError as error:
            self._show(str(error), error=True)
            return
        self._show(f"Removed: {item.title}.")
        self.refresh()
        self.changed.emit(changes)
