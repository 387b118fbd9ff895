"""The database file is damaged: say so plainly and offer the latest good backup.

Nothing has been written to the damaged file when this shows (opening stopped at the check).
Restoring moves it aside — it is never deleted or overwritten — and puts the backup in its
place. `offer_recovery` runs the whole exchange; a test passes its own `run` instead of exec().
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from enum import Enum
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QPushButton, QVBoxLayout, QWidget

from core import APP_NAME
from core.storage.backup_files import backups_folder
from core.storage.backups import BackupInfo, RestoreResult, latest_good_backup, restore_backup
from core.storage.integrity import DatabaseDamaged
from gui.dialogs.restore_dialog import RestoreDialog, describe_backup


class DamagedChoice(Enum):
    RESTORE_LATEST = "restore_latest"
    CHOOSE_BACKUP = "choose_backup"
    QUIT = "quit"


class DamagedDialog(QDialog):
    def __init__(self, error: DatabaseDamaged, latest: BackupInfo | None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("damagedDialog")
        self.setWindowTitle(f"{APP_NAME}: the database is damaged")
        self.choice = DamagedChoice.QUIT
        self.latest = latest
        problem = "; ".join(error.problems[:2])
        self.message = QLabel(objectName="damagedMessage", wordWrap=True,
                              textInteractionFlags=Qt.TextInteractionFlag.TextSelectableByMouse)
        text = (f"CallAhead found damage in its database file and has not changed it:\n{error.path}\n"
                f"(SQLite reports: {problem})\n\n")
        if latest is not None:
            text += (f"The latest good backup is {describe_backup(latest)}. Restoring it puts it in place and "
                     "moves the damaged file aside; it is never deleted.")
        else:
            text += (f"No good backup was found in {backups_folder(error.path.parent)}. You can restore a copy "
                     "of the database from elsewhere, or quit and keep the file as it is.")
        self.message.setText(text)
        buttons = QDialogButtonBox()
        self.restore_latest_button: QPushButton | None = None
        if latest is not None:
            self.restore_latest_button = buttons.addButton("&Restore this backup",
                                                           QDialogButtonBox.ButtonRole.AcceptRole)
            self.restore_latest_button.setObjectName("restoreLatest")
            self.restore_latest_button.setDefault(True)
            self.restore_latest_button.clicked.connect(lambda: self._choose(DamagedChoice.RESTORE_LATEST))
        self.choose_button = buttons.addButton("&Choose another backup…" if latest else "&Choose a backup file…",
                                               QDialogButtonBox.ButtonRole.ActionRole)
        self.choose_button.setObjectName("chooseBackup")
        self.choose_button.clicked.connect(lambda: self._choose(DamagedChoice.CHOOSE_BACKUP))
        self.quit_button = buttons.addButton("&Quit", QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.setObjectName("quitButton")
        self.quit_button.clicked.connect(lambda: self._choose(DamagedChoice.QUIT))
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def _choose(self, choice: DamagedChoice) -> None:
        self.choice = choice
        if choice is DamagedChoice.QUIT:
            self.reject()
        else:
            self.accept()


def _exec(dialog: QDialog) -> int:
    return dialog.exec()


def offer_recovery(database_file: Path, error: DatabaseDamaged, now: dt.datetime, parent: QWidget | None = None,
                   run: Callable[[QDialog], int] = _exec) -> RestoreResult | None:
    """Show the damage, and restore the backup the owner picks; None when they quit instead.

    The database must not be open (it is not: opening stopped at the damage).
    """
    data_dir = database_file.parent
    damaged = DamagedDialog(error, latest_good_backup(data_dir), parent)
    run(damaged)
    if damaged.choice is DamagedChoice.RESTORE_LATEST and damaged.latest is not None:
        return restore_backup(database_file, damaged.latest.path, now)
    if damaged.choice is DamagedChoice.CHOOSE_BACKUP:
        chooser = RestoreDialog(data_dir, parent)
        run(chooser)
        if chooser.chosen is not None:  # set only when the owner confirmed a restorable backup
            return restore_backup(database_file, chooser.chosen.path, now)
    return None
