"""Backups an older CallAhead made before `backups/made-by-callahead.txt` existed are taken into the
record at start and rotated like every other; anything else in the folder is never touched."""

import datetime as dt
import os
import sqlite3

import pytest

from core.storage.backup_files import (
    MADE_BY_CALLAHEAD,
    BackupReason,
    adopt_earlier_backups,
    backups_folder,
    make_backup,
)
from core.storage.backups import daily_backup
from core.machine.settings import MachineConfig
from core.storage.paths import database_path

pytestmark = pytest.mark.sqlite_only  # file backups of the SQLite file

NOW = dt.datetime(2026, 11, 24, 8, 30, 0)
LONG_AGO = dt.datetime(2025, 10, 1, 9, 0, 0)


def _written_at(path, when):
    os.utime(path, (when.timestamp(), when.timestamp()))


def _backups_from_before_the_record(database_file, reason, days):
    """Backups as an older CallAhead left them: named and written at their time, recorded nowhere."""
    made = []
    for day in range(days):
        when = LONG_AGO + dt.timedelta(days=day)
        path = make_backup(database_file, reason, when, rotate=False)
        _written_at(path, when)
        made.append(path)
    (backups_folder(database_file.parent) / MADE_BY_CALLAHEAD).unlink()
    return made


def _folder_state(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


def test_backups_from_before_the_record_are_rotated_once_adopted_at_start(demo_db, demo_data_dir):
    database_file = database_path(demo_data_dir)
    old_dailies = _backups_from_before_the_record(database_file, BackupReason.DAILY, 5)
    MachineConfig.from_environment().save(backups_to_keep=2)

    today = daily_backup(demo_db, NOW)
    tomorrow = daily_backup(demo_db, NOW + dt.timedelta(days=1))

    left = sorted(p.name for p in backups_folder(demo_data_dir).glob("*.sqlite3"))
    assert left == sorted([today.name, tomorrow.name]), "the five old daily backups were rotated out"
    assert not any(p.exists() for p in old_dailies)


def test_adopted_backups_keep_their_own_rotation_count(demo_db, demo_data_dir):
    database_file = database_path(demo_data_dir)
    old_imports = _backups_from_before_the_record(database_file, BackupReason.BEFORE_IMPORT, 4)
    MachineConfig.from_environment().save(backups_to_keep=2)

    assert adopt_earlier_backups(database_file) == old_imports
    daily = daily_backup(demo_db, NOW)

    assert daily.exists() and all(p.exists() for p in old_imports), "a daily backup does not push out imports"
    newest = make_backup(database_file, BackupReason.BEFORE_IMPORT, NOW)
    left = sorted(p.name for p in backups_folder(demo_data_dir).glob("*.sqlite3"))
    assert left == sorted([daily.name, old_imports[-1].name, newest.name])


def test_files_that_are_not_exactly_an_earlier_callahead_backup_stay_untouched(demo_db, demo_data_dir):
    database_file = database_path(demo_data_dir)
    [real_old] = _backups_from_before_the_record(database_file, BackupReason.DAILY, 1)
    folder = backups_folder(demo_data_dir)
    stamp = "20251005-090000"
    owners_files = {
        f"callahead-{stamp}-daily.sqlite3": "text",  # not SQLite at all
        f"callahead-{stamp}-before-import.sqlite3": "other program",  # SQLite, but not CallAhead's schema
        f"callahead-{stamp}-manual.sqlite3": "later copy",  # CallAhead's data, copied long after its name's time
        f"myshop-{stamp}-daily.sqlite3": "copy",  # another database's name
        f"callahead-{stamp}-for-the-accountant.sqlite3": "copy",  # a reason CallAhead never gives
    }
    for name, kind in owners_files.items():
        path = folder / name
        if kind == "text":
            path.write_text("the owner's notes")
        elif kind == "other program":
            connection = sqlite3.connect(path)
            connection.execute("CREATE TABLE recipes (name TEXT)")
            connection.close()
        else:
            path.write_bytes(real_old.read_bytes())
        if kind != "later copy":
            _written_at(path, dt.datetime(2025, 10, 5, 9, 0, 0))
    real_old.unlink()  # only the owner's files are left from before the record
    before = _folder_state(folder)
    MachineConfig.from_environment().save(backups_to_keep=1)

    for day in range(3):
        daily_backup(demo_db, NOW + dt.timedelta(days=day))
        make_backup(database_file, BackupReason.BEFORE_IMPORT, NOW + dt.timedelta(days=day, hours=1))
        make_backup(database_file, BackupReason.MANUAL, NOW + dt.timedelta(days=day, hours=2))

    after = _folder_state(folder)
    assert {name: after.get(name) for name in owners_files} == {name: before[name] for name in owners_files}


def test_a_file_named_and_written_after_the_record_began_is_not_adopted(demo_db, demo_data_dir):
    database_file = database_path(demo_data_dir)
    first = make_backup(database_file, BackupReason.DAILY, NOW)
    later = dt.datetime.fromtimestamp(first.stat().st_mtime).replace(microsecond=0) + dt.timedelta(minutes=5)
    stray = backups_folder(demo_data_dir) / f"callahead-{later:%Y%m%d-%H%M%S}-daily.sqlite3"
    stray.write_bytes(first.read_bytes())
    _written_at(stray, later)

    assert adopt_earlier_backups(database_file) == []
