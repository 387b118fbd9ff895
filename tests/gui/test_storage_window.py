"""The window and its data under odd conditions: midnight in the tray, another process writing
during a restore, a root-owned backups folder, a full disk. (Issues 11 and 19.)"""

import datetime as dt
import os
import sqlite3

import pytest

from PySide6.QtWidgets import QApplication, QMessageBox

import gui.dialogs.damaged_dialog as damaged_dialog
from core.storage import replacing
from core.storage.backup_files import BackupReason, backups_folder
from core.storage.backups import back_up
from core.clock import FixedClock
from core.storage.database import open_database
from core.errors import CallAheadError
from core.storage.models import Customer
from core.storage.paths import database_path, sqlite_url
from gui.app import Desk, days_backup, open_business
from gui.dialogs.restore_dialog import RestoreDialog


def _desk(qtbot, context):
    desk = Desk(context, QApplication.instance())
    qtbot.addWidget(desk.window)
    return desk


def _dailies(folder, day):
    return list(backups_folder(folder).glob(f"callahead-{day:%Y%m%d}-*-daily.sqlite3"))


def test_a_window_left_open_across_midnight_makes_the_new_day_s_backup(qtbot, demo_context):
    back_up(demo_context.database(), BackupReason.DAILY, dt.datetime(2026, 11, 23, 8, 0))  # the day it opened
    demo_context.clock = FixedClock(dt.datetime(2026, 11, 23, 23, 59, 59))
    desk = _desk(qtbot, demo_context)
    desk.start()
    desk.watch.stop()
    assert desk.daily_backup_timer.interval() == 2000, "it wakes just after midnight"
    demo_context.clock.advance(dt.timedelta(seconds=2))  # midnight passes while the window waits in the tray

    qtbot.waitUntil(lambda: bool(_dailies(demo_context.data_dir, dt.date(2026, 11, 24))), timeout=10_000)

    assert len(_dailies(demo_context.data_dir, dt.date(2026, 11, 23))) == 1, "yesterday's stays"
    assert desk.daily_backup_timer.isActive(), "and it keeps watching for the next day"
    desk.daily_backup_timer.stop()


def test_a_restore_from_the_window_while_another_process_writes_refuses_and_loses_nothing(
        qtbot, demo_context, monkeypatch):
    backup = back_up(demo_context.database(), BackupReason.MANUAL, demo_context.clock.now())
    importer = open_database(sqlite_url(database_path(demo_context.data_dir)))
    with importer.transaction() as session:
        session.add(Customer(name="Imported By The Command Line"))  # its connection stays open
    monkeypatch.setattr(replacing, "EXCLUSIVE_WAIT_SECONDS", 0.2)
    told = []
    monkeypatch.setattr(QMessageBox, "critical", lambda _parent, title, text: told.append(text))
    monkeypatch.setattr(RestoreDialog, "exec", lambda dialog: setattr(
        dialog, "chosen", next(info for info in dialog.backups if info.path == backup)) or 1)
    desk = _desk(qtbot, demo_context)
    desk.start()
    desk.watch.stop()
    desk.daily_backup_timer.stop()
    before = desk.window.services.queries.count_customers()

    desk.window.restore_requested.emit()

    assert told and "busy" in told[0] and "Nothing was changed" in told[0]
    assert desk.window.services.queries.count_customers() == before, "the window is back on the live data"
    with importer.transaction() as session:
        session.add(Customer(name="Still Written To The Live File"))
    importer.dispose()
    assert desk.window.services.queries.count_customers() == before + 1
    desk.watch.stop()
    desk.daily_backup_timer.stop()


def test_a_root_owned_backups_folder_at_start_is_explained_with_the_fix(demo_context, monkeypatch):
    folder = backups_folder(demo_context.data_dir)
    folder.mkdir()
    real_chmod = os.chmod

    def chmod(path, mode, **kwargs):
        if os.fspath(path) == os.fspath(folder):
            raise PermissionError(1, "Operation not permitted", os.fspath(path))
        return real_chmod(path, mode, **kwargs)

    monkeypatch.setattr(os, "chmod", chmod)
    monkeypatch.setattr(os, "getuid", lambda: 1000)

    with pytest.raises(CallAheadError) as refused:
        days_backup(demo_context)

    assert "belongs to root" in str(refused.value) and "sudo chown -R" in str(refused.value)


def test_a_full_disk_at_start_says_so_and_offers_no_damage_recovery(demo_context, monkeypatch):
    real_connect = sqlite3.connect

    def connect_on_a_full_disk(target, *args, **kwargs):
        connection = real_connect(target, *args, **kwargs)
        if str(target).endswith(".partial"):
            connection.execute("PRAGMA max_page_count=2")
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect_on_a_full_disk)
    monkeypatch.setattr(damaged_dialog, "offer_recovery", lambda *a, **k: (_ for _ in ()).throw(
        AssertionError("a healthy file was offered a damage recovery")))

    assert open_business(demo_context, interactive=True) is None, "the file opens: it is healthy"
    with pytest.raises(CallAheadError) as refused:
        days_backup(demo_context)
    problem = str(refused.value)

    assert "the disk is full" in problem and "damaged" not in problem.replace("not damaged", "")
