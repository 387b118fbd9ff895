"""Restore from backup and the damaged-database dialog, driven as the owner would."""

import datetime as dt

import pytest
from PySide6.QtWidgets import QDialog, QMessageBox

from core.storage.backup_files import BackupReason, backups_folder, make_backup
from core.storage.backups import latest_good_backup
from core.storage.database import open_database
from core.storage.integrity import DatabaseDamaged, quick_check_problems
from core.storage.paths import database_path, sqlite_url
from gui.dialogs.damaged_dialog import DamagedChoice, DamagedDialog, offer_recovery
from gui.dialogs.restore_dialog import CUSTOMERS, STATUS, TAKEN, WHY, RestoreDialog

NOW = dt.datetime(2026, 11, 24, 8, 30)


def _damage(path):
    data = path.read_bytes()
    path.write_bytes(data[:4096 * 3] + b"\xde\xad\xbe\xef" * 3072 + data[4096 * 6:])


@pytest.fixture
def two_backups(demo_data_dir):
    path = database_path(demo_data_dir)
    older = make_backup(path, BackupReason.DAILY, NOW - dt.timedelta(days=1))
    newer = make_backup(path, BackupReason.BEFORE_IMPORT, NOW)
    return older, newer


def _opened_damage(path) -> DatabaseDamaged:
    with pytest.raises(DatabaseDamaged) as raised:
        open_database(sqlite_url(path))
    return raised.value


def test_the_restore_dialog_lists_backups_newest_first_with_what_they_hold(qtbot, demo_data_dir, two_backups):
    dialog = RestoreDialog(demo_data_dir)
    qtbot.addWidget(dialog)
    table = dialog.table
    assert table.rowCount() == 2
    assert table.item(0, TAKEN).text().startswith("Tue 24 Nov 2026")
    assert [table.item(row, WHY).text() for row in range(2)] == ["Before an import", "Daily"]
    assert table.item(0, CUSTOMERS).text() == "120" and table.item(0, STATUS).text() == "Yes"
    assert str(backups_folder(demo_data_dir)) in dialog.folder_label.text()


def test_restore_is_offered_only_for_a_chosen_restorable_backup(qtbot, demo_data_dir, two_backups):
    _damage(two_backups[1])
    confirmations = []
    dialog = RestoreDialog(demo_data_dir, confirm=lambda parent, info: confirmations.append(info) or True)
    qtbot.addWidget(dialog)
    assert not dialog.restore_button.isEnabled(), "nothing chosen yet"

    dialog.select_row(0)
    assert dialog.table.item(0, STATUS).text().startswith("No: ") and "damaged" in dialog.table.item(0, STATUS).text()
    assert not dialog.restore_button.isEnabled()
    dialog.confirm_and_accept()
    assert dialog.chosen is None and not confirmations

    dialog.select_row(1)
    assert dialog.restore_button.isEnabled()
    dialog.confirm_and_accept()
    assert dialog.chosen.path == two_backups[0] and dialog.result() == QDialog.DialogCode.Accepted.value


def test_saying_no_to_the_confirmation_restores_nothing(qtbot, demo_data_dir, two_backups):
    dialog = RestoreDialog(demo_data_dir, confirm=lambda parent, info: False)
    qtbot.addWidget(dialog)
    dialog.select_row(0)
    dialog.confirm_and_accept()
    assert dialog.chosen is None and dialog.result() != QDialog.DialogCode.Accepted.value


def test_a_file_from_elsewhere_can_be_offered(qtbot, demo_data_dir, tmp_path):
    stick = tmp_path / "usb" / "copy.sqlite3"
    stick.parent.mkdir()
    stick.write_bytes(database_path(demo_data_dir).read_bytes())
    dialog = RestoreDialog(demo_data_dir, confirm=lambda parent, info: True)
    qtbot.addWidget(dialog)
    assert dialog.empty_label.isVisibleTo(dialog) and not dialog.table.isVisibleTo(dialog)

    info = dialog.add_file(stick)

    assert info.restorable and dialog.table.item(0, WHY).text() == "Chosen file"
    dialog.confirm_and_accept()
    assert dialog.chosen.path == stick


def test_the_damaged_dialog_names_the_file_and_offers_the_latest_good_backup(qtbot, demo_data_dir, two_backups):
    path = database_path(demo_data_dir)
    _damage(path)
    dialog = DamagedDialog(_opened_damage(path), latest_good_backup(demo_data_dir))
    qtbot.addWidget(dialog)
    text = dialog.message.text()
    assert str(path) in text and "has not changed it" in text
    assert "Tue 24 Nov 2026, 08:30" in text and "120 customers" in text and "never deleted" in text
    dialog.restore_latest_button.click()
    assert dialog.choice is DamagedChoice.RESTORE_LATEST


def test_without_a_good_backup_the_damaged_dialog_says_so(qtbot, demo_data_dir):
    path = database_path(demo_data_dir)
    _damage(path)
    dialog = DamagedDialog(_opened_damage(path), None)
    qtbot.addWidget(dialog)
    assert dialog.restore_latest_button is None and "No good backup" in dialog.message.text()
    dialog.quit_button.click()
    assert dialog.choice is DamagedChoice.QUIT


def test_recovering_with_the_latest_backup_moves_the_damaged_file_aside_and_opens(qtbot, demo_data_dir, two_backups):
    path = database_path(demo_data_dir)
    _damage(path)
    damaged_bytes = path.read_bytes()

    def owner_restores_latest(dialog):
        qtbot.addWidget(dialog)
        dialog.restore_latest_button.click()

    result = offer_recovery(path, _opened_damage(path), NOW, run=owner_restores_latest)

    assert result.restored_from == two_backups[1]
    assert result.set_aside.read_bytes() == damaged_bytes and "damaged" in result.set_aside.name
    assert quick_check_problems(path) == ()
    open_database(sqlite_url(path)).dispose()


def test_recovering_with_another_backup_goes_through_the_restore_list(qtbot, demo_data_dir, two_backups, monkeypatch):
    path = database_path(demo_data_dir)
    _damage(path)
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.Yes)

    def owner_picks_the_older_one(dialog):
        qtbot.addWidget(dialog)
        if isinstance(dialog, DamagedDialog):
            dialog.choose_button.click()
        else:
            dialog.select_row(1)
            dialog.confirm_and_accept()

    result = offer_recovery(path, _opened_damage(path), NOW, run=owner_picks_the_older_one)
    assert result.restored_from == two_backups[0]


def test_quitting_leaves_the_damaged_file_exactly_as_it_was(qtbot, demo_data_dir, two_backups):
    path = database_path(demo_data_dir)
    _damage(path)
    files_before = sorted(p.name for p in demo_data_dir.iterdir())
    damaged_bytes = path.read_bytes()

    def owner_quits(dialog):
        qtbot.addWidget(dialog)
        dialog.quit_button.click()

    assert offer_recovery(path, _opened_damage(path), NOW, run=owner_quits) is None
    assert path.read_bytes() == damaged_bytes and sorted(p.name for p in demo_data_dir.iterdir()) == files_before
