"""A damaged database is found at start, named, left untouched, and moved aside only on request."""

import datetime as dt
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import main
from core.storage.backup_files import BackupReason, make_backup
from core.context import AppContext
from core.storage.database import open_database
from core.errors import DatabaseBusy, NotACallAheadDatabase
from core.storage.integrity import (
    DatabaseDamaged,
    QuickCheckAhead,
    check_intact,
    integrity_check_problems,
    move_damaged_aside,
    quick_check_problems,
)
from core.storage.paths import database_path, sqlite_url
from core.storage.problems import DiskFull, explain_sqlite_error, is_damage

pytestmark = pytest.mark.sqlite_only  # damage to the SQLite file and SQLite's integrity checks

NOW = dt.datetime(2026, 11, 24, 8, 30)


def _overwrite_pages(data: bytes) -> bytes:
    return data[:4096 * 3] + b"\xde\xad\xbe\xef" * 3072 + data[4096 * 6:]


def _truncate(data: bytes) -> bytes:
    return data[:len(data) // 2]


def _break_first_page(data: bytes) -> bytes:
    # The 100-byte header stays, so the file still announces itself as SQLite.
    return data[:100] + b"\xff" * 3000 + data[3100:]


DAMAGES = {"overwritten pages": _overwrite_pages, "cut in half": _truncate, "broken first page": _break_first_page}


@pytest.fixture(params=sorted(DAMAGES))
def damaged_data_dir(request, demo_data_dir):
    path = database_path(demo_data_dir)
    path.write_bytes(DAMAGES[request.param](path.read_bytes()))
    return demo_data_dir


def _files(folder):
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def test_a_whole_database_passes_the_quick_check(demo_data_dir):
    path = database_path(demo_data_dir)
    assert quick_check_problems(path) == () and integrity_check_problems(path) == ()
    check_intact(path)


def test_opening_a_damaged_database_names_it_and_writes_nothing(damaged_data_dir):
    path = database_path(damaged_data_dir)
    before = path.read_bytes()

    with pytest.raises(DatabaseDamaged) as raised:
        open_database(sqlite_url(path))

    assert raised.value.path == path and raised.value.problems
    message = str(raised.value)
    assert str(path) in message and "damaged" in message and "restore" in message.lower()
    assert path.read_bytes() == before, "not a byte of the damaged file changed"
    assert not (damaged_data_dir / "backups").exists(), "a damaged file is never backed up over good ones"


def test_a_file_that_is_not_sqlite_at_all_is_still_not_a_callahead_database(tmp_path):
    path = database_path(tmp_path)
    path.write_bytes(b"\x00\x01garbage" * 100)
    with pytest.raises(NotACallAheadDatabase):
        open_database(sqlite_url(path))


def test_the_check_can_be_skipped_by_code_that_makes_its_own(demo_data_dir):
    database = open_database(sqlite_url(database_path(demo_data_dir)), check_integrity=False)
    database.dispose()


def test_a_command_on_a_damaged_database_stops_with_the_message(damaged_data_dir, capsys):
    before = _files(damaged_data_dir)
    assert main.main(["agenda", "--data-dir", str(damaged_data_dir), "--json"]) == 2
    assert "is damaged" in capsys.readouterr().err
    assert _files(damaged_data_dir) == before


def test_the_app_context_reports_the_damage_when_it_opens_the_database(damaged_data_dir):
    context = AppContext.build(data_dir=str(damaged_data_dir))
    with pytest.raises(DatabaseDamaged):
        context.database()


def test_a_check_begun_ahead_of_opening_reports_the_damage_too(damaged_data_dir):
    before = _files(damaged_data_dir)
    context = AppContext.build(data_dir=str(damaged_data_dir))
    context.check_database_ahead()
    with pytest.raises(DatabaseDamaged):
        context.database()
    assert _files(damaged_data_dir) == before


def test_a_check_begun_ahead_does_not_answer_for_a_file_replaced_since(demo_data_dir, tmp_path):
    path = database_path(demo_data_dir)
    good = path.read_bytes()
    path.write_bytes(_overwrite_pages(good))
    ahead = QuickCheckAhead(path)
    assert ahead.verdict(path), "it read the damaged file"
    path.write_bytes(good)  # the owner put a good copy back
    assert ahead.verdict(path) is None, "its verdict no longer answers for the file"
    check_intact(path, ahead)  # checked again: whole

    ahead = QuickCheckAhead(path)
    assert ahead.verdict(path) == ()
    path.unlink()
    path.write_bytes(_overwrite_pages(good))  # the file is then damaged
    with pytest.raises(DatabaseDamaged):
        check_intact(path, ahead)


def test_moving_a_damaged_file_aside_keeps_its_bytes_and_companions(damaged_data_dir):
    path = database_path(damaged_data_dir)
    wal = path.with_name(path.name + "-wal")
    wal.write_bytes(b"log of the last moments")
    before = path.read_bytes()

    moved = move_damaged_aside(path, NOW)

    assert moved.name == "callahead.damaged-20261124-083000.sqlite3"
    assert moved.read_bytes() == before and not path.exists()
    assert moved.with_name(moved.name + "-wal").read_bytes() == b"log of the last moments"
    assert not wal.exists(), "the log travels with its database"


def test_moving_aside_never_overwrites_an_earlier_damaged_file(demo_data_dir):
    path = database_path(demo_data_dir)
    first_copy = path.read_bytes()
    first = move_damaged_aside(path, NOW)
    path.write_bytes(b"second damaged file")

    second = move_damaged_aside(path, NOW)

    assert first != second
    assert first.read_bytes() == first_copy and second.read_bytes() == b"second damaged file"


def test_after_moving_aside_the_latest_backup_opens(demo_data_dir):
    path = database_path(demo_data_dir)
    backup = make_backup(path, BackupReason.DAILY, NOW)
    path.write_bytes(_overwrite_pages(path.read_bytes()))
    with pytest.raises(DatabaseDamaged):
        open_database(sqlite_url(path))

    move_damaged_aside(path, NOW)
    shutil.copy(backup, path)
    open_database(sqlite_url(path)).dispose()


# --- a healthy file is never called damaged (issue 11 item 7, issue 19 item 3) --------------------------

ROOT = Path(__file__).resolve().parents[2]


def _sqlite_error(action):
    try:
        action()
    except sqlite3.Error as error:
        return error
    raise AssertionError("SQLite raised nothing")


def test_only_sqlite_s_corrupt_and_not_a_database_codes_count_as_damage(tmp_path):
    cannot_open = _sqlite_error(lambda: sqlite3.connect(f"file:{tmp_path}/missing/x.sqlite3?mode=ro", uri=True))
    busy_holder = sqlite3.connect(tmp_path / "busy.sqlite3", isolation_level=None)
    busy_holder.execute("BEGIN EXCLUSIVE")
    busy = _sqlite_error(lambda: sqlite3.connect(tmp_path / "busy.sqlite3", timeout=0).execute("SELECT 1 FROM sqlite_master").fetchall())
    busy_holder.close()
    full = sqlite3.connect(tmp_path / "full.sqlite3")
    full.execute("PRAGMA max_page_count=2")
    disk_full = _sqlite_error(lambda: full.execute("CREATE TABLE t AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
                                                   "SELECT i + 1 FROM n WHERE i < 5000) SELECT i FROM n"))
    (tmp_path / "text.sqlite3").write_bytes(b"SQLite format 3\x00" + b"\x01" * 4000)
    not_a_database = _sqlite_error(lambda: sqlite3.connect(tmp_path / "text.sqlite3").execute(
        "SELECT * FROM sqlite_master").fetchall())

    assert [is_damage(e) for e in (cannot_open, busy, disk_full)] == [False, False, False]
    assert is_damage(not_a_database)
    assert isinstance(explain_sqlite_error(disk_full, tmp_path / "full.sqlite3", "save"), DiskFull)
    assert "the disk is full" in str(explain_sqlite_error(disk_full, tmp_path / "full.sqlite3", "save"))
    assert isinstance(explain_sqlite_error(busy, tmp_path / "busy.sqlite3", "save"), DatabaseBusy)


def test_a_backup_onto_a_full_disk_says_so_and_never_calls_the_database_damaged(demo_data_dir, monkeypatch, capsys):
    real_connect = sqlite3.connect

    def connect_on_a_full_disk(target, *args, **kwargs):
        connection = real_connect(target, *args, **kwargs)
        if str(target).endswith(".partial"):
            connection.execute("PRAGMA max_page_count=2")  # SQLite's own "database or disk is full"
        return connection

    monkeypatch.setattr(sqlite3, "connect", connect_on_a_full_disk)

    assert main.main(["backup", "--data-dir", str(demo_data_dir)]) == 2

    said = capsys.readouterr().err
    assert "the disk is full" in said and "is damaged" not in said
    assert not list((demo_data_dir / "backups").glob("*.sqlite3*")), "no partial copy is left behind"


def _user_namespaces() -> bool:
    return shutil.which("unshare") is not None and subprocess.run(
        ["unshare", "-rm", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not _user_namespaces(), reason="needs unprivileged mounts (unshare -rm)")


def _in_own_mounts(script: str) -> str:
    """Run a shell script where it may mount (a user namespace): a real full disk or read-only folder."""
    done = subprocess.run(["unshare", "-rm", "sh", "-c", script], capture_output=True, text=True, timeout=300,
                          cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)))
    return done.stdout + done.stderr


@needs_mounts
def test_a_really_full_disk_is_told_apart_from_damage(tmp_path):
    disk = tmp_path / "disk"
    disk.mkdir()
    callahead = f"{sys.executable} {ROOT / 'main.py'}"
    said = _in_own_mounts(f"""
        mount -t tmpfs -o size=3m tmpfs {disk}
        {callahead} demo --data-dir {disk}/shop --customers 150 > /dev/null
        dd if=/dev/zero of={disk}/filler bs=4k 2>/dev/null
        for command in agenda backup; do {callahead} $command --data-dir {disk}/shop --today 2026-11-25; echo "exit $?"; done
    """)
    assert said.count("the disk is full") == 2 and said.count("exit 2") == 2, said
    assert "is damaged" not in said and "Traceback" not in said


@needs_mounts
def test_a_read_only_folder_is_told_apart_from_damage(tmp_path):
    folder = tmp_path / "share"
    assert main.main(["demo", "--data-dir", str(folder / "shop"), "--customers", "5"]) == 0
    callahead = f"{sys.executable} {ROOT / 'main.py'}"
    said = _in_own_mounts(f"""
        mount --bind {folder} {folder} && mount -o remount,bind,ro {folder} {folder}
        for command in agenda backup; do {callahead} $command --data-dir {folder}/shop --today 2026-11-25; echo "exit $?"; done
    """)
    assert said.count("is read-only") == 2 and said.count("exit 2") == 2, said
    assert "is damaged" not in said and "Traceback" not in said


# --- a file closed whole and untouched since is not read again at the next start ---------------


@pytest.fixture
def quick_checks(monkeypatch):
    """The files the quick check read (it reads every page: 0.45 s of CPU at 100,000 customers)."""
    import core.storage.integrity as integrity

    checked = []
    real = integrity.quick_check_problems
    monkeypatch.setattr(integrity, "quick_check_problems", lambda path: checked.append(path) or real(path))
    return checked


def _open_and_close(path: Path) -> None:
    from sqlalchemy import text

    database = open_database(sqlite_url(path), now=NOW)
    with database.transaction() as session:
        session.execute(text("UPDATE staff_members SET daily_quota = daily_quota + 1"))
    database.dispose()


def test_a_file_closed_whole_and_untouched_since_is_not_checked_again(demo_data_dir, quick_checks):
    path = database_path(demo_data_dir)
    _open_and_close(path)
    assert quick_checks == [path], "a file this process did not close is checked"
    _open_and_close(path)
    assert quick_checks == [path], "closed whole by the last process, untouched since: not read again"
    _open_and_close(path)
    assert quick_checks == [path]


def _break_the_last_pages(data: bytes) -> bytes:
    # Deep in a table's rows: nothing an opening reads but the quick check; same size, same inode.
    return data[:-4096 * 4] + b"\xde\xad\xbe\xef" * 2048 + data[-4096 * 2:]


@pytest.mark.parametrize("damage", sorted({**DAMAGES, "last pages broken": _break_the_last_pages}))
def test_damage_after_a_clean_close_is_still_found(demo_data_dir, quick_checks, damage):
    path = database_path(demo_data_dir)
    _open_and_close(path)
    # Another program, a sync or a disk writes into the closed file, in place (same inode).
    breaking = {**DAMAGES, "last pages broken": _break_the_last_pages}[damage]
    with open(path, "r+b") as file:  # no connection is open in this process
        data = file.read()
        file.seek(0)
        file.write(breaking(data))
        file.truncate()
    with pytest.raises(DatabaseDamaged):
        open_database(sqlite_url(path), now=NOW)


def test_a_file_touched_since_its_clean_close_is_checked(demo_data_dir, quick_checks):
    path = database_path(demo_data_dir)
    _open_and_close(path)
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1))  # same bytes, one nanosecond later
    _open_and_close(path)
    assert quick_checks == [path, path]


CRASH_WHILE_OPEN = """
import os, sys
from sqlalchemy import text
from core.storage.database import open_database
database = open_database(sys.argv[1])
with database.transaction() as session:
    session.execute(text("UPDATE staff_members SET daily_quota = daily_quota + 1"))
connection = database.engine.connect()  # still open when the process dies
os._exit(3)  # killed with its connection open: no close, no note
"""


def test_after_a_crash_the_file_is_checked(demo_data_dir, quick_checks):
    path = database_path(demo_data_dir)
    _open_and_close(path)
    crashed = subprocess.run([sys.executable, "-c", CRASH_WHILE_OPEN, sqlite_url(path)], cwd=Path(main.__file__).parent,
                             capture_output=True, text=True, timeout=120)
    assert crashed.returncode == 3, crashed.stderr
    _open_and_close(path)
    assert quick_checks == [path, path], "the crashed process left no note saying the file was closed whole"


def test_a_window_start_on_a_file_closed_whole_starts_no_check_ahead(demo_data_dir):
    path = database_path(demo_data_dir)
    _open_and_close(path)
    assert AppContext.build(data_dir=str(demo_data_dir), check_ahead=True)._checked_ahead is None
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 1))
    context = AppContext.build(data_dir=str(demo_data_dir), check_ahead=True)
    assert context._checked_ahead is not None
    context.database()
    context.close()
