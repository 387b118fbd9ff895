"""Settings → Restore from backup: the backups, newest first, with what each one holds.

The dialog only chooses. Whoever opened it closes the database and calls
`core.storage.backups.restore_backup(database_file, dialog.chosen.path, now)` once it is accepted, so
no file is replaced while the window still has it open. A test drives it with
`select_row`, `add_file` and `confirm_and_accept` (the question is a replaceable callable).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.storage.backup_files import backups_folder
from core.storage.backups import BackupInfo, list_backups, preview_backup
from core.dates import date_text

REASON_LABELS = {
    "daily": "Daily",
    "manual": "Made by hand",
    "before-upgrade": "Before an upgrade",
    "before-import": "Before an import",
    "before-restore": "Before a restore",
    None: "Chosen file",
}
COLUMNS = ["Taken", "Why", "Customers", "Calls and tasks", "Call logs", "Schema", "Can be restored"]
TAKEN, WHY, CUSTOMERS, TASKS, LOGS, SCHEMA, STATUS = range(len(COLUMNS))


def describe_backup(info: BackupInfo) -> str:
    """One sentence for a confirmation or a dialog: when, and what it holds."""
    holds = (f"{info.customers} customers, {info.call_tasks} calls and tasks, {info.call_logs} call logs"
             if info.restorable else f"cannot be restored: {info.problem}")
    return f"the backup from {date_text(info.taken_at, '%a %d %b %Y, %H:%M')} ({holds})"


def ask_to_confirm(parent: QWidget, info: BackupInfo) -> bool:
    answer = QMessageBox.question(
        parent, "Restore from backup",
        f"Put back {describe_backup(info)}?\n\nThe database in use now is kept aside as a separate file "
        "beside it; nothing is deleted.",
    )
    return answer == QMessageBox.StandardButton.Yes


class RestoreDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None,
                 confirm: Callable[[QWidget, BackupInfo], bool] = ask_to_confirm):
        super().__init__(parent)
        self.setObjectName("restoreDialog")
        self.setWindowTitle("Restore from backup")
        self.resize(820, 420)
        self._confirm = confirm
        self.folder = backups_folder(data_dir)
        self.backups: list[BackupInfo] = []
        self.chosen: BackupInfo | None = None

        self.folder_label = QLabel(objectName="backupsFolder", wordWrap=True,
                                   textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        self.folder_label.setText(f"Backups are kept in {self.folder}. One is made each day, and before every "
                                  "upgrade, import and restore.")
        self.table = QTableWidget(0, len(COLUMNS), objectName="backupsTable")
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(STATUS, QHeaderView.ResizeMode.Stretch)
        self.empty_label = QLabel("No backups yet. The first is made when CallAhead starts with customers in it.",
                                  objectName="noBackups", wordWrap=True)
        self.open_folder_button = QPushButton("Open the backups &folder", objectName="openBackupsFolder")
        self.from_file_button = QPushButton("Restore from another &file…", objectName="restoreFromFile")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.restore_button = self.buttons.addButton("&Restore", QDialogButtonBox.ButtonRole.AcceptRole)
        self.restore_button.setObjectName("restoreButton")
        self.restore_button.setEnabled(False)
        self._layout()
        self._connect_signals()
        self.reload()

    def _layout(self) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty_label)
        row = QHBoxLayout()
        row.addWidget(self.open_folder_button)
        row.addWidget(self.from_file_button)
        row.addStretch(1)
        row.addWidget(self.buttons)
        layout.addLayout(row)

    def _connect_signals(self) -> None:
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.confirm_and_accept())
        self.open_folder_button.clicked.connect(self.open_folder)
        self.from_file_button.clicked.connect(self._choose_file)
        self.buttons.accepted.connect(self.confirm_and_accept)
        self.buttons.rejected.connect(self.reject)

    # --- what a test (or the owner) does ------------------------------------------------------
    def reload(self) -> None:
        self._show(list_backups(self.folder.parent))

    def select_row(self, row: int) -> None:
        self.table.selectRow(row)

    def add_file(self, path: Path) -> BackupInfo:
        """Offer a file from elsewhere (a copy on a USB stick...) at the top of the list, selected."""
        info = preview_backup(Path(path))
        self._show([info, *[b for b in self.backups if b.path != info.path]])
        self.select_row(0)
        return info

    def confirm_and_accept(self) -> None:
        selected = self._selected()
        if selected is None or not selected.restorable:
            return
        if self._confirm(self, selected):
            self.chosen = selected
            self.accept()

    def open_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.folder)))

    # --- inside ------------------------------------------------------------------------------
    def _show(self, backups: list[BackupInfo]) -> None:
        self.backups = backups
        self.table.setRowCount(0)
        for info in backups:
            self._add_row(info)
        self.table.setVisible(bool(backups))
        self.empty_label.setVisible(not backups)
        self.open_folder_button.setEnabled(self.folder.is_dir())
        self.table.resizeColumnsToContents()
        self._selection_changed()

    def _add_row(self, info: BackupInfo) -> None:
        row = self.table.rowCount()
        self.table.insertRow(row)
        cells = {
            TAKEN: date_text(info.taken_at, "%a %d %b %Y  %H:%M"),
            WHY: REASON_LABELS.get(info.reason, info.reason or ""),
            CUSTOMERS: "" if info.customers is None else f"{info.customers:,}",
            TASKS: "" if info.call_tasks is None else f"{info.call_tasks:,}",
            LOGS: "" if info.call_logs is None else f"{info.call_logs:,}",
            SCHEMA: info.schema_revision or "",
            STATUS: "Yes" if info.restorable else f"No: {info.problem}",
        }
        for column, text in cells.items():
            item = QTableWidgetItem(text)
            item.setToolTip(str(info.path) if column == TAKEN else text)
            if column in (CUSTOMERS, TASKS, LOGS):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            self.table.setItem(row, column, item)

    def _selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.backups[rows[0].row()] if rows else None

    def _selection_changed(self) -> None:
        selected = self._selected()
        self.restore_button.setEnabled(selected is not None and selected.restorable)

    def _choose_file(self) -> None:
        name, _filter = QFileDialog.getOpenFileName(self, "Restore from a file", str(self.folder.parent),
                                                    "CallAhead databases (*.sqlite3);;All files (*)")
        if name:
            self.add_file(Path(name))
