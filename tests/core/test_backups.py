"""Backups: a whole copy once a day and before risky steps, a rotation that keeps the newest,
previews that change nothing, and restores that never lose the file they replace."""

import contextlib
import datetime as dt
import json
import os
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading

import pytest
from sqlalchemy import event, func, select, text

import core.storage.backups as backups_module
import main
from core.storage import replacing
from core.storage.backup_files import BackupReason, backups_folder, make_backup
from core.storage.backups import (
    BackupNotRestorable,
    back_up,
    backup_before_change,
    daily_backup,
    latest_good_backup,
    list_backups,
    preview_backup,
    restore_backup,
    seconds_until_daily_backup_check,
)
from core.context import AppContext
from core.storage.database import head_revision, open_database, restoring_path
from core.errors import CallAheadError, DatabaseBusy
from core.storage.instance_lock import lock_path
from core.storage.integrity import DatabaseDamaged, integrity_check_problems
from core.machine.settings import MachineConfig
from core.storage.models import Customer
from core.storage.paths import database_path, sqlite_url
from core.storage.replacing import DatabaseReplaced
from core.storage.problems import FileInUse
from tools.freeze_schema_fixture import fixture_path

pytestmark = pytest.mark.sqlite_only  # file backups and restores of the SQLite file

NOW = dt.datetime(2026, 11, 24, 8, 30, 0)


def _count(path, table="customers"):
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    finally:
        connection.close()


def _add_customer(db, name):
    with db.transaction() as session:
        session.add(Customer(name=name))


def _damage(path):
    data = bytearray(path.read_bytes())
    data[4096 * 3: 4096 * 6] = b"\xde\xad\xbe\xef" * 3072
    path.write_bytes(bytes(data))


def _folder_state(folder):
    return {p.name: (p.read_bytes(), p.stat().st_mtime_ns) for p in sorted(folder.iterdir())}


# --- making backups ------------------------------------------------------------------------------

def test_a_backup_is_a_whole_single_file_copy_in_the_backups_folder(demo_db, demo_data_dir):
    _add_customer(demo_db, "Committed Just Now")  # still in the -wal, not yet in the main file

    backup = back_up(demo_db, BackupReason.MANUAL, NOW)

    assert backup.parent == backups_folder(demo_data_dir)
    assert backup.name == "callahead-20261124-083000-manual.sqlite3"
    assert _count(backup) == 121, "what was committed is in the backup, wherever SQLite kept it"
    assert not backup.with_name(backup.name + "-wal").exists()
    connection = sqlite3.connect(backup)
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "delete", "one self-contained file"
    finally:
        connection.close()
    assert integrity_check_problems(backup) == ()


def test_a_backup_taken_during_an_unfinished_action_holds_only_what_was_committed(demo_db):
    with demo_db.transaction() as session:
        session.add(Customer(name="Not Yet Saved"))
        session.flush()
        backup = back_up(demo_db, BackupReason.MANUAL, NOW)
    assert _count(backup) == 120


def test_two_backups_in_the_same_second_keep_both(demo_db):
    first = back_up(demo_db, BackupReason.BEFORE_IMPORT, NOW)
    _add_customer(demo_db, "Between The Two")
    second = back_up(demo_db, BackupReason.BEFORE_IMPORT, NOW)
    assert first != second and first.exists() and second.exists()
    assert (_count(first), _count(second)) == (120, 121)


def test_the_rotation_keeps_the_newest_as_many_as_the_setting_says(demo_db, demo_data_dir):
    MachineConfig.from_environment().save(backups_to_keep=3)
    folder = backups_folder(demo_data_dir)
    folder.mkdir()
    owners_note = folder / "my notes.txt"
    owners_note.write_text("keep me")
    owners_copy = folder / "callahead-copy-for-the-accountant.sqlite3"
    owners_copy.write_bytes(b"anything")

    made = [back_up(demo_db, BackupReason.DAILY, NOW + dt.timedelta(days=day)) for day in range(5)]

    assert sorted(p.name for p in folder.glob("*-daily.sqlite3")) == sorted(p.name for p in made[2:])
    assert owners_note.read_text() == "keep me" and owners_copy.exists(), "files CallAhead did not name stay"


def test_a_backup_made_with_a_clock_set_back_is_not_rotated_out_at_once(demo_db, demo_data_dir):
    MachineConfig.from_environment().save(backups_to_keep=2)
    for day in range(2):
        back_up(demo_db, BackupReason.DAILY, NOW + dt.timedelta(days=day))
    older_looking = back_up(demo_db, BackupReason.DAILY, NOW - dt.timedelta(days=30))
    assert older_looking.exists()
    assert len(list(backups_folder(demo_data_dir).glob("*.sqlite3"))) == 2


def test_a_damaged_database_is_never_backed_up_so_good_backups_stay(demo_data_dir):
    path = database_path(demo_data_dir)
    good = make_backup(path, BackupReason.DAILY, NOW, keep=1)
    _damage(path)
    with pytest.raises(DatabaseDamaged) as raised:
        make_backup(path, BackupReason.DAILY, NOW + dt.timedelta(days=1), keep=1)
    assert str(path) in str(raised.value)
    assert [p.name for p in backups_folder(demo_data_dir).glob("*.sqlite3*")] == [good.name], "nothing rotated, no partial"


def test_a_reason_that_would_make_an_unlisted_file_name_is_refused(demo_data_dir):
    with pytest.raises(ValueError):
        make_backup(database_path(demo_data_dir), "Before Upgrade", NOW)
    assert not list(backups_folder(demo_data_dir).glob("*"))


def test_the_daily_backup_is_made_once_a_day(demo_db, demo_data_dir):
    assert daily_backup(demo_db, NOW) is not None
    assert daily_backup(demo_db, NOW.replace(hour=17)) is None, "one a day"
    tomorrow = daily_backup(demo_db, NOW + dt.timedelta(days=1))
    assert tomorrow is not None and tomorrow.name.endswith("-daily.sqlite3")
    assert len(list_backups(demo_data_dir)) == 2


def test_a_backup_before_an_import_does_not_stand_in_for_the_day_s_own_backup(demo_db):
    back_up(demo_db, BackupReason.BEFORE_IMPORT, NOW)
    assert daily_backup(demo_db, NOW.replace(hour=10)) is not None, "the daily rotation needs its own copy"
    assert daily_backup(demo_db, NOW.replace(hour=11)) is None


def test_a_new_empty_business_gets_no_daily_backup(db, data_dir):
    assert daily_backup(db, NOW) is None
    assert not backups_folder(data_dir).exists()


def test_a_server_database_is_left_to_the_server_s_own_backups():
    database = open_database("sqlite://")
    try:
        assert back_up(database, BackupReason.MANUAL, NOW) is None
        assert daily_backup(database, NOW) is None
    finally:
        database.dispose()


# --- previews ------------------------------------------------------------------------------------

def test_the_preview_says_what_a_backup_holds(demo_db, demo_data_dir):
    backup = back_up(demo_db, BackupReason.BEFORE_IMPORT, NOW)
    with demo_db.session() as session:
        tasks = session.execute(text("SELECT count(*) FROM call_tasks")).scalar()
        logs = session.execute(text("SELECT count(*) FROM call_logs")).scalar()

    [info] = list_backups(demo_data_dir)

    assert info.path == backup and info.restorable and info.problem is None
    assert (info.taken_at, info.reason) == (NOW, "before-import")
    assert (info.customers, info.call_tasks, info.call_logs) == (120, tasks, logs)
    assert info.schema_revision == head_revision()
    assert info.business_name == "Harbor Door & Supply"
    assert info.size_bytes == backup.stat().st_size


def test_previewing_changes_nothing_in_the_file_or_its_folder(demo_db, demo_data_dir, tmp_path):
    back_up(demo_db, BackupReason.DAILY, NOW)
    # A raw copy of a live database is in WAL mode: SQLite would normally add -wal/-shm beside it.
    elsewhere = tmp_path / "usb-stick"
    elsewhere.mkdir()
    with demo_db.engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    shutil.copy(database_path(demo_data_dir), elsewhere / "callahead.sqlite3")
    folders = [backups_folder(demo_data_dir), elsewhere]
    before = [_folder_state(folder) for folder in folders]

    previews = list_backups(demo_data_dir) + [preview_backup(elsewhere / "callahead.sqlite3")]

    assert all(info.restorable for info in previews)
    assert [_folder_state(folder) for folder in folders] == before


@pytest.mark.parametrize("content, expected", [
    (b"", "empty"),
    (b"name,phone\nAnn,555\n" * 50, "not a CallAhead database"),
])
def test_a_file_that_is_not_a_backup_is_previewed_as_not_restorable(tmp_path, content, expected):
    path = tmp_path / "offered.sqlite3"
    path.write_bytes(content)
    info = preview_backup(path)
    assert not info.restorable and expected in info.problem and info.reason is None


def test_another_program_s_database_and_a_newer_callahead_s_are_not_restorable(tmp_path, demo_data_dir):
    other = tmp_path / "other.sqlite3"
    connection = sqlite3.connect(other)
    connection.execute("CREATE TABLE notes (x)")
    connection.commit()
    connection.close()
    assert "another program" in preview_backup(other).problem

    newer = tmp_path / "newer.sqlite3"
    shutil.copy(database_path(demo_data_dir), newer)
    connection = sqlite3.connect(newer)
    connection.execute("UPDATE alembic_version SET version_num = '9999'")
    connection.commit()
    connection.close()
    assert "newer version of CallAhead" in preview_backup(newer).problem


def test_a_damaged_backup_is_skipped_for_the_latest_good_one(demo_db, demo_data_dir):
    good = back_up(demo_db, BackupReason.DAILY, NOW)
    bad = back_up(demo_db, BackupReason.DAILY, NOW + dt.timedelta(days=1))
    _damage(bad)
    [newest, older] = list_backups(demo_data_dir)
    assert newest.path == bad and not newest.restorable and "damaged" in newest.problem
    assert latest_good_backup(demo_data_dir).path == good


def test_no_backups_means_no_latest_good_one(data_dir):
    assert list_backups(data_dir) == [] and latest_good_backup(data_dir) is None


# --- restoring -----------------------------------------------------------------------------------

def test_restoring_puts_the_backup_back_and_keeps_the_current_file_aside(demo_data_dir):
    path = database_path(demo_data_dir)
    db = open_database(sqlite_url(path))
    backup = back_up(db, BackupReason.DAILY, NOW)
    _add_customer(db, "Added After The Backup")
    db.dispose()

    result = restore_backup(path, backup, NOW + dt.timedelta(hours=1))

    assert _count(path) == 120
    assert result.set_aside is not None and result.set_aside.parent == demo_data_dir
    assert "before-restore" in result.set_aside.name and _count(result.set_aside) == 121, "nothing was lost"
    assert result.safety_backup is not None and _count(result.safety_backup) == 121
    assert backup.exists(), "the backup itself stays for another restore"
    assert result.upgraded_from is None
    reopened = open_database(sqlite_url(path))
    with reopened.session() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 120
    reopened.dispose()


def test_restoring_an_older_version_s_backup_brings_it_up_to_date(data_dir):
    old = data_dir / "from-last-year.sqlite3"
    shutil.copy(fixture_path("0001"), old)
    path = database_path(data_dir)

    result = restore_backup(path, old, NOW)

    assert result.upgraded_from == "0001"
    assert preview_backup(path).schema_revision == head_revision()
    assert _count(path) == 2 and _count(path, "call_logs") == 2


@pytest.mark.parametrize("make_bad", ["garbage", "newer", "damaged", "the database itself"])
def test_a_bad_choice_is_refused_before_anything_moves(demo_data_dir, tmp_path, make_bad):
    path = database_path(demo_data_dir)
    chosen = tmp_path / "chosen.sqlite3"
    if make_bad == "garbage":
        chosen.write_bytes(b"\x00garbage" * 500)
    elif make_bad == "newer":
        shutil.copy(path, chosen)
        connection = sqlite3.connect(chosen)
        connection.execute("UPDATE alembic_version SET version_num = '9999'")
        connection.commit()
        connection.close()
    elif make_bad == "damaged":
        shutil.copy(path, chosen)
        _damage(chosen)
    else:
        chosen = path
    before = _folder_state(demo_data_dir)

    with pytest.raises(BackupNotRestorable) as refused:
        restore_backup(path, chosen, NOW)

    assert "Nothing was changed" in str(refused.value) or "in use" in str(refused.value)
    assert _folder_state(demo_data_dir) == before


def test_restoring_over_a_damaged_database_moves_it_aside_untouched(demo_data_dir):
    path = database_path(demo_data_dir)
    backup = make_backup(path, BackupReason.DAILY, NOW)
    _damage(path)
    damaged_bytes = path.read_bytes()

    result = restore_backup(path, backup, NOW + dt.timedelta(hours=1))

    assert "damaged" in result.set_aside.name and result.set_aside.read_bytes() == damaged_bytes
    assert result.safety_backup is None, "a damaged file is not copied into the rotation"
    assert _count(path) == 120 and integrity_check_problems(path) == ()


def test_a_stale_log_without_its_database_is_moved_aside_not_replayed_into_the_restored_file(demo_data_dir, tmp_path):
    path = database_path(demo_data_dir)
    backup = make_backup(path, BackupReason.DAILY, NOW)
    path.rename(tmp_path / "gone.sqlite3")
    stale = path.with_name(path.name + "-wal")
    stale.write_bytes(b"a log from another life")

    result = restore_backup(path, backup, NOW)

    assert not stale.exists() or stale.read_bytes() != b"a log from another life"
    assert result.set_aside.with_name(result.set_aside.name + "-wal").read_bytes() == b"a log from another life"
    assert _count(path) == 120


def test_restoring_the_oldest_backup_of_a_full_rotation_keeps_that_backup(demo_db, demo_data_dir):
    MachineConfig.from_environment().save(backups_to_keep=2)
    oldest = back_up(demo_db, BackupReason.DAILY, NOW)
    back_up(demo_db, BackupReason.DAILY, NOW + dt.timedelta(days=1))
    demo_db.dispose()

    restore_backup(database_path(demo_data_dir), oldest, NOW + dt.timedelta(days=2))

    assert oldest.exists()


# --- the command line ----------------------------------------------------------------------------

def test_backup_command_makes_a_backup_and_says_where(demo_data_dir, capsys):
    assert main.main(["backup", "--data-dir", str(demo_data_dir), "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["folder"] == str(backups_folder(demo_data_dir))
    assert payload["customers"] == 120 and payload["reason"] == "manual" and payload["restorable"]
    assert os.path.exists(payload["backup"])

    assert main.main(["backup", "--data-dir", str(demo_data_dir)]) == 0
    assert "Backed up to" in capsys.readouterr().out


def test_backup_command_on_an_empty_folder_says_there_is_nothing_to_back_up(tmp_path, capsys):
    assert main.main(["backup", "--data-dir", str(tmp_path)]) == 2
    assert "nothing to back up" in capsys.readouterr().err


def test_restore_command_lists_then_restores_by_name(demo_data_dir, capsys):
    assert main.main(["restore", "--list", "--data-dir", str(demo_data_dir)]) == 0
    assert "No backups yet" in capsys.readouterr().out
    main.main(["backup", "--data-dir", str(demo_data_dir), "--today", "2026-11-20"])
    capsys.readouterr()

    assert main.main(["restore", "--list", "--json", "--data-dir", str(demo_data_dir)]) == 0
    [listed] = json.loads(capsys.readouterr().out)["backups"]
    assert listed["customers"] == 120 and listed["taken_at"].startswith("2026-11-20")

    assert main.main(["restore", listed["name"], "--json", "--data-dir", str(demo_data_dir)]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["restored_from"] == listed["file"]
    assert os.path.exists(result["previous_kept_as"])


def test_restore_command_refuses_while_a_window_is_open_on_the_folder(demo_data_dir, capsys):
    main.main(["backup", "--data-dir", str(demo_data_dir), "--json"])
    backup = json.loads(capsys.readouterr().out)["backup"]
    # The window's lock file, as Qt's QLockFile writes it: pid, application, host.
    lock_path(demo_data_dir).write_text(f"{os.getpid()}\npython\n{socket.gethostname()}\n")
    before = database_path(demo_data_dir).read_bytes()

    assert main.main(["restore", backup, "--data-dir", str(demo_data_dir)]) == 2
    assert "window is open" in capsys.readouterr().err
    assert database_path(demo_data_dir).read_bytes() == before

    crashed = subprocess.Popen([sys.executable, "-c", "pass"])
    crashed.wait()
    lock_path(demo_data_dir).write_text(f"{crashed.pid}\npython\n{socket.gethostname()}\n")
    assert main.main(["restore", backup, "--data-dir", str(demo_data_dir)]) == 0, "a crashed window's lock"


def test_restore_command_without_a_file_or_with_a_bad_one_explains(demo_data_dir, tmp_path, capsys):
    assert main.main(["restore", "--data-dir", str(demo_data_dir)]) == 2
    assert "restore --list" in capsys.readouterr().err
    assert main.main(["restore", str(tmp_path / "nowhere.sqlite3"), "--data-dir", str(demo_data_dir)]) == 2
    assert "There is no file" in capsys.readouterr().err
    garbage = tmp_path / "garbage.sqlite3"
    garbage.write_bytes(b"\x00" * 100)
    assert main.main(["restore", str(garbage), "--data-dir", str(demo_data_dir)]) == 2
    assert "Nothing was changed" in capsys.readouterr().err


# --- two things at once, odd conditions (issue 11, issue 19) ------------------------------------------

def _in_use(path):
    """The PermissionError Windows raises for a file another program holds open (WinError 32)."""
    error = PermissionError(13, "The process cannot access the file because it is being used by another process",
                            str(path))
    error.winerror = 32
    return error


@pytest.fixture
def no_retry_wait(monkeypatch):
    monkeypatch.setattr(replacing, "IN_USE_RETRY_DELAYS", (0, 0, 0))


@pytest.fixture
def held_open(monkeypatch, no_retry_wait):
    """Files "held open by another program": renaming, replacing or deleting them raises WinError 32."""
    held: dict[str, int] = {}  # name -> how many more attempts fail (a large number: held for good)
    real = {name: getattr(os, name) for name in ("rename", "replace", "link", "unlink")}

    def guarded(name):
        def call(source, *rest, **kwargs):
            key = os.path.basename(os.fspath(source))
            if held.get(key, 0) > 0:
                held[key] -= 1
                raise _in_use(source)
            return real[name](source, *rest, **kwargs)
        return call

    for name in real:
        monkeypatch.setattr(os, name, guarded(name))
    return held


def test_daily_and_before_action_backups_are_rotated_as_separate_counts(demo_db, demo_data_dir):
    MachineConfig.from_environment().save(backups_to_keep=2)
    dailies = [back_up(demo_db, BackupReason.DAILY, NOW + dt.timedelta(days=day)) for day in range(3)]
    imports = [back_up(demo_db, BackupReason.BEFORE_IMPORT, NOW + dt.timedelta(days=3, minutes=m)) for m in range(15)]

    left = {p.name for p in backups_folder(demo_data_dir).glob("*.sqlite3")}

    assert left == {p.name for p in dailies[1:] + imports[-2:]}, "fifteen imports leave the daily backups alone"


def test_a_file_the_owner_saved_under_a_callahead_name_is_never_rotated_out(demo_db, demo_data_dir):
    MachineConfig.from_environment().save(backups_to_keep=1)
    first = back_up(demo_db, BackupReason.DAILY, NOW)
    folder = backups_folder(demo_data_dir)
    owners = [folder / "callahead-20250101-090000-daily.sqlite3", folder / "callahead-20261124-083000-daily.2.sqlite3"]
    shutil.copy(first, owners[0])  # an owner's copy of a backup, older than every other one
    first.unlink()
    shutil.copy(database_path(demo_data_dir), first)  # the owner replaced CallAhead's file by a copy of their own
    owners.append(first)
    owners[1].write_bytes(b"the owner's notes, named like a backup")

    for day in range(1, 4):
        back_up(demo_db, BackupReason.DAILY, NOW + dt.timedelta(days=day))

    assert all(p.exists() for p in owners)
    made_by_callahead = set(folder.glob("*.sqlite3")) - set(owners)
    assert [p.name for p in made_by_callahead] == ["callahead-20261127-083000-daily.sqlite3"]


def test_an_import_that_changes_nothing_makes_no_backup(demo_data_dir, tmp_path):
    customers = tmp_path / "customers.csv"
    customers.write_text("name,phone\nAnn Import,+15035550123\n", encoding="utf-8")
    arguments = ["import", str(customers), "--data-dir", str(demo_data_dir), "--today", "2026-11-24"]

    assert main.main(arguments) == 0
    made = list(backups_folder(demo_data_dir).glob("*-before-import*.sqlite3"))
    assert main.main(arguments) == 0, "the same rows again: nothing to change"

    assert list(backups_folder(demo_data_dir).glob("*-before-import*.sqlite3")) == made and len(made) == 1


def test_a_backup_before_a_change_is_kept_when_the_action_fails(demo_db, demo_data_dir):
    with pytest.raises(RuntimeError):
        with backup_before_change(demo_db, BackupReason.BEFORE_IMPORT, NOW) as backup:
            raise RuntimeError("the import broke half-way")
    assert backup.path is not None and backup.path.exists()


def test_the_daily_check_runs_just_after_midnight_and_at_least_every_quarter_hour():
    assert seconds_until_daily_backup_check(dt.datetime(2026, 11, 24, 23, 59, 0)) == 61
    assert seconds_until_daily_backup_check(dt.datetime(2026, 11, 24, 9, 0, 0)) == 15 * 60


def test_restore_refuses_while_another_connection_uses_the_database_and_changes_nothing(demo_data_dir):
    path = database_path(demo_data_dir)
    backup = make_backup(path, BackupReason.MANUAL, NOW)
    importer = open_database(sqlite_url(path))
    _add_customer(importer, "Imported While Restoring")  # its connection stays open, as an import's does
    before = sorted(p.name for p in demo_data_dir.iterdir())

    with pytest.raises(DatabaseBusy) as refused:
        restore_backup(path, backup, NOW, wait=0.2)

    assert "busy" in str(refused.value) and "Nothing was changed" in str(refused.value)
    assert sorted(p.name for p in demo_data_dir.iterdir()) == before
    _add_customer(importer, "Still Written To The Live File")
    importer.dispose()
    assert _count(path) == 122
    restore_backup(path, backup, NOW)  # once the other connection is gone
    assert _count(path) == 120


def test_a_process_reaching_the_file_while_a_restore_sets_it_aside_writes_nothing_into_it(demo_data_dir, monkeypatch):
    path = database_path(demo_data_dir)
    backup = make_backup(path, BackupReason.MANUAL, NOW)
    late = open_database(sqlite_url(path))
    late.engine.dispose()  # it has the URL, and opens the file only when it writes
    opened = threading.Event()
    event.listen(late.engine, "connect", lambda *_: opened.set(), insert=True)
    outcome = {}

    def write_late():
        try:
            with late.transaction() as session:
                session.add(Customer(name="Written Late"))
        except CallAheadError as error:
            outcome["error"] = error

    writer = threading.Thread(target=write_late)
    real_retire = backups_module.retire

    def retire_while_a_writer_opens_the_file(held):
        real_retire(held)
        writer.start()
        assert opened.wait(30), "the late writer opened the file before it was moved"

    monkeypatch.setattr(backups_module, "retire", retire_while_a_writer_opens_the_file)
    result = restore_backup(path, backup, NOW)
    writer.join(30)
    late.dispose()

    assert isinstance(outcome.get("error"), DatabaseReplaced), outcome
    assert _count(path) == 120 and _count(result.set_aside) == 120
    assert not any(demo_data_dir.glob("*.sqlite3-wal")) or _count(path) == 120


def test_a_restore_interrupted_between_its_two_renames_is_finished_at_the_next_start(demo_data_dir):
    path = database_path(demo_data_dir)
    backup = make_backup(path, BackupReason.MANUAL, NOW)
    context = AppContext.build(data_dir=str(demo_data_dir))
    with context.database().transaction() as session:
        session.add(Customer(name="Added Before The Restore"))
    context.close()
    # What a crash leaves between the two renames: the old file aside, the copy waiting beside it.
    aside = replacing.set_database_aside(path, "before-restore", NOW)
    shutil.copy(backup, restoring_path(path))

    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--today", "2026-11-24"]) == 0

    assert _count(path) == 120, "the restore the owner asked for was finished, not replaced by an empty business"
    assert not restoring_path(path).exists()
    assert _count(aside) == 121


def test_renaming_aside_moves_companions_first_and_undoes_everything_when_the_file_is_in_use(
        demo_data_dir, held_open):
    path = database_path(demo_data_dir)
    db = open_database(sqlite_url(path))
    _add_customer(db, "In The Wal")
    companions = sorted(p.name for p in demo_data_dir.glob("callahead.sqlite3*"))
    assert "callahead.sqlite3-wal" in companions
    held_open["callahead.sqlite3"] = 1000  # an antivirus holds the database itself

    with pytest.raises(FileInUse) as told:
        replacing.set_database_aside(path, "damaged", NOW)

    assert "in use by another program" in str(told.value)
    assert sorted(p.name for p in demo_data_dir.glob("callahead*")) == companions, "the -wal was moved back"
    db.dispose()
    assert _count(path) == 121


def test_a_file_held_for_a_moment_is_renamed_after_a_brief_retry(demo_data_dir, held_open):
    path = database_path(demo_data_dir)
    held_open["callahead.sqlite3"] = 2
    aside = replacing.set_database_aside(path, "damaged", NOW)
    assert aside.exists() and not path.exists()


def test_a_restore_that_cannot_put_the_copy_in_place_leaves_the_database_as_it_was(
        demo_data_dir, monkeypatch, no_retry_wait):
    path = database_path(demo_data_dir)
    backup = make_backup(path, BackupReason.MANUAL, NOW)
    db = open_database(sqlite_url(path))
    _add_customer(db, "Kept")
    db.dispose()
    real_rename = backups_module.rename_no_replace

    def copy_held_by_an_antivirus(source, target):
        if source.name == ".callahead.sqlite3.restoring":
            raise _in_use(source)
        return real_rename(source, target)

    monkeypatch.setattr(backups_module, "rename_no_replace", copy_held_by_an_antivirus)

    with pytest.raises(FileInUse):
        restore_backup(path, backup, NOW)

    reopened = open_database(sqlite_url(path))
    _add_customer(reopened, "Written After The Failed Restore")  # not retired: it is the live file again
    reopened.dispose()
    assert _count(path) == 122
    assert not list(demo_data_dir.glob("callahead.before-restore-*")) and not restoring_path(path).exists()


def test_an_old_backup_in_use_is_left_for_the_next_rotation(demo_db, demo_data_dir, held_open):
    MachineConfig.from_environment().save(backups_to_keep=1)
    oldest = back_up(demo_db, BackupReason.DAILY, NOW)
    held_open[oldest.name] = 1000

    newer = back_up(demo_db, BackupReason.DAILY, NOW + dt.timedelta(days=1))

    assert oldest.exists() and newer.exists()
    del held_open[oldest.name]
    back_up(demo_db, BackupReason.DAILY, NOW + dt.timedelta(days=2))
    assert not oldest.exists() and not newer.exists()


def test_a_root_owned_backups_folder_is_explained_not_a_traceback(demo_data_dir, monkeypatch, capsys):
    folder = backups_folder(demo_data_dir)
    folder.mkdir()
    real_chmod = os.chmod

    def chmod(path, mode, **kwargs):
        if os.fspath(path) == os.fspath(folder):
            raise PermissionError(1, "Operation not permitted", os.fspath(path))
        return real_chmod(path, mode, **kwargs)

    monkeypatch.setattr(os, "chmod", chmod)
    monkeypatch.setattr(os, "getuid", lambda: 1000)  # the owner is not root; the folder (made by this test) is

    assert main.main(["backup", "--data-dir", str(demo_data_dir)]) == 2

    said = capsys.readouterr().err
    assert "belongs to root" in said and "sudo chown -R" in said and str(demo_data_dir) in said
    assert "damaged" not in said.replace("not damaged", "")


def test_demo_force_never_sets_aside_over_a_file_already_named_for_this_second(demo_data_dir):
    from core.clock import FixedClock
    from core.demo import create_demo_database

    taken = demo_data_dir / "callahead.replaced-20261124-083000.sqlite3"
    taken.write_bytes(b"SQLite format 3\x00 the business set aside a moment ago")
    context = AppContext(data_dir=demo_data_dir, database_url=sqlite_url(database_path(demo_data_dir)),
                         clock=FixedClock(NOW))
    try:
        created = create_demo_database(context, customers=5, force=True)
    finally:
        context.close()

    assert taken.read_bytes() == b"SQLite format 3\x00 the business set aside a moment ago"
    assert created.set_aside.name == "callahead.replaced-20261124-083000.2.sqlite3"
    assert _count(created.set_aside) == 120 and _count(database_path(demo_data_dir)) == 5


@pytest.mark.parametrize("customers", ["0", "200001", "99999999999999"])
def test_demo_customers_are_bounded_with_a_clear_message(tmp_path, capsys, customers):
    assert main.main(["demo", "--data-dir", str(tmp_path / "d"), "--customers", customers]) == 2
    said = capsys.readouterr().err
    assert "--customers must be between 1 and 200,000" in said and "Traceback" not in said
    assert not (tmp_path / "d" / "callahead.sqlite3").exists() or _count(tmp_path / "d" / "callahead.sqlite3") == 0


def test_a_set_aside_file_copied_back_by_hand_is_refused_and_restoring_it_works(demo_data_dir, capsys):
    path = database_path(demo_data_dir)
    backup = make_backup(path, BackupReason.MANUAL, NOW)
    result = restore_backup(path, backup, NOW)
    path.unlink()
    shutil.copy(result.set_aside, path)  # the owner puts the old file back by hand

    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--today", "2026-11-24"]) == 2
    assert "set aside" in capsys.readouterr().err

    kept = demo_data_dir / "callahead.kept.sqlite3"
    path.rename(kept)
    assert main.main(["restore", str(kept), "--data-dir", str(demo_data_dir)]) == 0
    reopened = open_database(sqlite_url(path))
    _add_customer(reopened, "Written After Restoring The Kept File")
    reopened.dispose()
    assert _count(path) == 121


@pytest.fixture
def windows_file_rules(monkeypatch, no_retry_wait):
    """Windows' rules on this system: no rename, replace or delete of a file any handle in this process
    has open (WinError 32), and no rename over an existing file."""
    if not os.path.isdir("/proc/self/fd"):
        pytest.skip("needs /proc/self/fd to see which files are open")
    real = {name: getattr(os, name) for name in ("rename", "replace", "unlink")}

    def open_here(path):
        try:
            wanted = os.stat(path)
        except OSError:
            return False
        for fd in os.listdir("/proc/self/fd"):
            with contextlib.suppress(OSError):
                found = os.stat(f"/proc/self/fd/{fd}")
                if (found.st_dev, found.st_ino) == (wanted.st_dev, wanted.st_ino):
                    return True
        return False

    def guarded(name):
        def call(source, target=None, *rest, **kwargs):
            if open_here(source):
                raise _in_use(source)
            if name == "rename" and os.path.lexists(target):
                raise FileExistsError(17, "Cannot create a file when that file already exists", str(target))
            return real[name](source, *(() if target is None else (target,)), *rest, **kwargs)
        return call

    for name in real:
        monkeypatch.setattr(os, name, guarded(name))
    monkeypatch.setattr(replacing, "WINDOWS_FILE_RULES", True)


def test_under_windows_rules_a_restore_lets_go_of_the_file_before_moving_it(demo_data_dir, windows_file_rules):
    path = database_path(demo_data_dir)
    backup = make_backup(path, BackupReason.MANUAL, NOW)
    db = open_database(sqlite_url(path))
    _add_customer(db, "Set Aside Whole")
    db.dispose()

    result = restore_backup(path, backup, NOW)

    assert _count(path) == 120 and _count(result.set_aside) == 121
    assert not restoring_path(path).exists()


def test_under_windows_rules_demo_force_and_damage_recovery_move_the_file(demo_data_dir, windows_file_rules):
    from core.clock import FixedClock
    from core.demo import create_demo_database

    context = AppContext(data_dir=demo_data_dir, database_url=sqlite_url(database_path(demo_data_dir)),
                         clock=FixedClock(NOW))
    try:
        created = create_demo_database(context, customers=5, force=True)
    finally:
        context.close()
    assert _count(created.set_aside) == 120 and _count(database_path(demo_data_dir)) == 5
    damaged_aside = replacing.set_database_aside(database_path(demo_data_dir), "damaged", NOW)
    assert _count(damaged_aside) == 5 and not database_path(demo_data_dir).exists()
