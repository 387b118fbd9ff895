"""Calls → Changes: every announced change with its status and dates; move its date, cancel it,
or see its results (told in time, kept buying, bought less, stopped — as `change results` does).

A change just announced (the latest action) can be taken back here, as Edit → Undo would.
The dialog acts through the service bridge, so the window's panels hear each change once.
"""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.actions import changes as change_actions
from core.scheduling.change_review import ChangeSummary
from core.errors import CallAheadError
from core.labels import format_day
from gui.dates import QT_DATE_FORMAT

CHANGE_KIND_WORDS = {"price_increase": "Price increase", "discontinued": "Discontinued",
                     "replacement": "Replacement", "other": "Other"}
HEADERS = ["Change", "Kind", "Status", "Announced", "Takes effect", "Heads-up calls"]


def calls(count: int) -> str:
    return f"{count} call{'s' if count != 1 else ''}"


class ChangesDialog(QDialog):
    def __init__(self, bridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("changesDialog")
        self.setWindowTitle("Announced changes")
        self._bridge = bridge
        self._changes: list[ChangeSummary] = []
        self.table = QTreeWidget(objectName="changesTable")
        self.table.setHeaderLabels(HEADERS)
        self.table.setRootIsDecorated(False)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAccessibleName("Announced changes")
        self.table.header().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.results = QLabel(objectName="changeResults", wordWrap=True)
        self.results.setTextFormat(Qt.TextFormat.RichText)
        self.new_date = QDateEdit(objectName="newEffectiveDate", calendarPopup=True)
        self.new_date.setDisplayFormat(QT_DATE_FORMAT)
        self.new_date.setAccessibleName("New date")
        self.move_button = QPushButton("Move to this date", objectName="moveChange")
        self.cancel_button = QPushButton("Cancel this change…", objectName="cancelChange")
        self.take_back_button = QPushButton("Take back this announcement", objectName="takeBackChange")
        self.take_back_button.setToolTip("It was just announced: remove it with everything it planned (Edit → Undo)")
        self.empty_label = QLabel("No changes announced yet. Calls → Announce a change plans heads-up calls "
                                  "before a price rise or a product going away.", wordWrap=True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        actions = QHBoxLayout()
        move_label = QLabel("New date:", buddy=self.new_date)
        actions.addWidget(move_label)
        actions.addWidget(self.new_date)
        actions.addWidget(self.move_button)
        actions.addStretch(1)
        actions.addWidget(self.take_back_button)
        actions.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.results)
        layout.addLayout(actions)
        layout.addWidget(buttons)
        buttons.rejected.connect(self.reject)
        self.table.currentItemChanged.connect(lambda *_: self._show_selected())
        self.move_button.clicked.connect(lambda: self.move_selected(self.new_date.date().toPython()))
        self.cancel_button.clicked.connect(self._cancel_clicked)
        self.take_back_button.clicked.connect(self.take_back_selected)
        self.resize(760, 420)
        self.reload()

    # --- a small API for the window and tests -------------------------------------------------
    def reload(self, keep: int | None = None) -> None:
        keep = keep if keep is not None else getattr(self.selected(), "id", None)
        today = self._bridge.queries.today()
        self._changes = self._bridge.queries.changes()
        self.table.clear()
        for change in self._changes:
            status = "Cancelled" if not change.is_active() else (
                "Done" if change.effective_on < today and not change.steps_pending else
                "Under way" if change.effective_on < today else "Coming")
            heads_up = f"{change.heads_up_done} made, {change.heads_up_planned} to make"
            item = QTreeWidgetItem([change.title, CHANGE_KIND_WORDS.get(change.kind.value, change.kind.value), status,
                                    format_day(change.announced_on, today), format_day(change.effective_on, today),
                                    heads_up])
            item.setData(0, Qt.ItemDataRole.UserRole, change.id)
            self.table.addTopLevelItem(item)
        self.empty_label.setVisible(not self._changes)
        self.table.setVisible(bool(self._changes))
        row = next((i for i, c in enumerate(self._changes) if c.id == keep), 0)
        if self._changes:
            self.table.setCurrentItem(self.table.topLevelItem(row))
        self._show_selected()

    def select_change(self, change_id: int) -> None:
        self.reload(keep=change_id)

    def selected(self) -> ChangeSummary | None:
        item = self.table.currentItem()
        if item is None:
            return None
        change_id = item.data(0, Qt.ItemDataRole.UserRole)
        return next((c for c in self._changes if c.id == change_id), None)

    def results_text(self) -> str:
        return self.results.text()

    def move_selected(self, new_date: dt.date) -> bool:
        change = self.selected()
        if change is None:
            return False
        try:
            plan = self._bridge.run(change_actions.move_change, change.id, new_date)
        except CallAheadError as error:
            self._say(str(error))
            return False
        self.reload(keep=change.id)
        self._say(f"Moved to {format_day(new_date)}. {plan.feasibility.verdict}")
        return True

    def cancel_selected(self) -> bool:
        change = self.selected()
        if change is None:
            return False
        try:
            cancelled = self._bridge.run(change_actions.cancel_change, change.id)
        except CallAheadError as error:
            self._say(str(error))
            return False
        self.reload(keep=change.id)
        self._say(f"Cancelled; {calls(cancelled)} and steps no longer planned. Its history is kept.")
        return True

    def take_back_selected(self) -> bool:
        """Undo the announcement of the selected change, when it was the latest action."""
        change = self.selected()
        if change is None or not self._bridge.queries.can_take_back_announcement(change.id):
            return False
        try:
            self._bridge.undo()
        except CallAheadError as error:
            self._say(str(error))
            return False
        self.reload()
        self._say(f"Took back '{change.title}' and everything it planned.")
        return True

    # --- behaviour ---------------------------------------------------------------------------
    def _cancel_clicked(self) -> None:
        change = self.selected()
        if change is None:
            return
        answer = QMessageBox.question(
            self, "Cancel the change",
            f"Cancel '{change.title}'? Its {calls(change.steps_pending)} and steps still planned are cancelled; "
            "the calls already made stay in the history.",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer == QMessageBox.StandardButton.Yes:
            self.cancel_selected()

    def _say(self, text: str) -> None:
        self._message = text
        self._show_selected()

    def _show_selected(self) -> None:
        change = self.selected()
        active = change is not None and change.is_active()
        self.move_button.setEnabled(active)
        self.cancel_button.setEnabled(active)
        self.new_date.setEnabled(active)
        self.take_back_button.setVisible(change is not None and self._bridge.queries.can_take_back_announcement(change.id))
        if change is None:
            self.results.setText(getattr(self, "_message", ""))
            return
        today = self._bridge.queries.today()
        if active:
            self.new_date.setMinimumDate(QDate(today.year, today.month, today.day))
            self.new_date.setDate(QDate(change.effective_on.year, change.effective_on.month, change.effective_on.day))
        results = self._bridge.queries.change_results(change.id)
        lines = [f"<b>{escape(results.title)}</b>: told in time {results.reached_before} of {results.affected}."]
        if results.measured_days:
            lines.append(f"Since {format_day(results.effective_on, today)} ({results.measured_days} days): "
                         f"kept buying {results.kept}, bought less {results.reduced}, stopped {results.stopped}.")
        else:
            lines.append(f"How their buying moved shows after {format_day(results.effective_on, today)}.")
        message = getattr(self, "_message", "")
        self._message = ""
        self.results.setText("<br>".join(lines) + (f"<br><i>{escape(message)}</i>" if message else ""))
