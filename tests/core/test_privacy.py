"""The owner's data stays theirs: files only they can read, and no network connection, ever."""

import datetime as dt
import logging
import os
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import main
from core.machine.applog import configure_logging
from core.storage.backup_files import BackupReason, backups_folder, make_backup
from core.storage.backups import back_up, restore_backup
from core.storage.database import open_database
from core.storage.models import Customer
from core.storage.paths import database_path, sqlite_url

ROOT = Path(__file__).resolve().parents[2]
NOW = dt.datetime(2026, 11, 24, 8, 30)
posix_only = pytest.mark.skipif(os.name != "posix", reason="file modes are POSIX; Windows keeps profiles per user")


@pytest.fixture(autouse=True)
def _root_logger_restored():
    """configure_logging changes the process's root logger: put it back for the other tests."""
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    for handler in [h for h in root.handlers if h not in handlers]:
        root.removeHandler(handler)
        handler.close()
    root.setLevel(level)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def _companions(path: Path) -> list[Path]:
    return [p for p in (path.with_name(path.name + s) for s in ("-wal", "-shm")) if p.exists()]


@posix_only
def test_a_new_database_and_its_companions_are_the_owner_s_alone(tmp_path):
    folder = tmp_path / "fresh" / "CallAhead"
    database = open_database(sqlite_url(database_path(folder)))
    try:
        with database.transaction() as session:
            session.add(Customer(name="Ann Example"))
        path = database_path(folder)
        companions = _companions(path)
        assert companions, "WAL mode keeps a -wal and -shm while the database is open"
        assert {p.name: _mode(p) for p in [path, *companions]} == {p.name: 0o600 for p in [path, *companions]}
        assert _mode(folder) == 0o700 and _mode(folder.parent) == 0o700, "folders CallAhead made are closed"
    finally:
        database.dispose()


@posix_only
def test_an_existing_readable_database_is_closed_to_others_when_opened(demo_data_dir):
    path = database_path(demo_data_dir)
    os.chmod(path, 0o644)
    open_database(sqlite_url(path)).dispose()
    assert _mode(path) == 0o600


@posix_only
def test_a_folder_the_owner_chose_keeps_its_own_permissions(tmp_path):
    chosen = tmp_path / "shop"
    chosen.mkdir(mode=0o755)
    os.chmod(chosen, 0o755)
    open_database(sqlite_url(database_path(chosen))).dispose()
    assert _mode(chosen) == 0o755 and _mode(database_path(chosen)) == 0o600


@pytest.mark.sqlite_only  # the SQLite file's and its backups' permissions
@posix_only
def test_backups_set_aside_files_and_a_restored_database_are_the_owner_s_alone(demo_db, demo_data_dir):
    backup = back_up(demo_db, BackupReason.MANUAL, NOW)
    demo_db.dispose()
    assert _mode(backups_folder(demo_data_dir)) == 0o700 and _mode(backup) == 0o600

    result = restore_backup(database_path(demo_data_dir), backup, NOW)

    for path in (result.database, result.set_aside, result.safety_backup):
        assert _mode(path) == 0o600, path.name


@pytest.mark.sqlite_only  # the SQLite file's and its backups' permissions
@posix_only
def test_the_demo_made_from_the_command_line_is_private_too(tmp_path, capsys):
    assert main.main(["demo", "--data-dir", str(tmp_path / "d"), "--customers", "3"]) == 0
    assert _mode(database_path(tmp_path / "d")) == 0o600


@posix_only
def test_log_files_are_the_owner_s_alone_rotated_ones_included(tmp_path, monkeypatch):
    monkeypatch.setattr("core.machine.applog.MAX_LOG_BYTES", 2_000)
    log_file = configure_logging(tmp_path / "logs")
    logger = logging.getLogger("callahead.test")
    for number in range(200):
        logger.info("task %d logged", number)
    files = sorted((tmp_path / "logs").iterdir())
    assert len(files) > 2, "the log rotated"
    assert {p.name: _mode(p) for p in files} == {p.name: 0o600 for p in files}
    assert _mode(tmp_path / "logs") == 0o700 and log_file in files


def test_the_log_names_ids_and_blanks_contact_details(tmp_path):
    log_file = configure_logging(tmp_path / "logs")
    logging.getLogger("callahead.test").warning(
        "customer 42 (hans@example.com, +15035551234, (503) 555-0102) merged into customer 7 on 2026-11-24")
    try:
        raise ValueError("bad phone 503.555.0199 for zoe@example.org")
    except ValueError:
        logging.getLogger("callahead.test").exception("import row 12 failed")
    text = log_file.read_text(encoding="utf-8")
    assert "customer 42" in text and "customer 7 on 2026-11-24" in text and "import row 12" in text
    for detail in ("hans@example.com", "5551234", "555-0102", "555.0199", "zoe@example.org"):
        assert detail not in text


def test_configuring_the_log_twice_writes_each_line_once(tmp_path):
    configure_logging(tmp_path / "logs")
    log_file = configure_logging(tmp_path / "logs")
    logging.getLogger("callahead.test").warning("task 9 done")
    assert log_file.read_text(encoding="utf-8").count("task 9 done") == 1


def test_an_unwritable_log_folder_does_not_stop_the_app(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert configure_logging(blocker / "logs") is None


def test_backups_and_restores_are_logged_by_file_name_not_by_customer(demo_data_dir, tmp_path):
    log_file = configure_logging(tmp_path / "logs")
    backup = make_backup(database_path(demo_data_dir), BackupReason.MANUAL, NOW)
    restore_backup(database_path(demo_data_dir), backup, NOW)
    text = log_file.read_text(encoding="utf-8")
    assert backup.name in text and "restored" in text
    database = open_database(sqlite_url(database_path(demo_data_dir)))
    with database.session() as session:
        names = [customer.name for customer in session.query(Customer)]
    database.dispose()
    assert not [name for name in names if name in text]


# --- no network ------------------------------------------------------------------------------------

NETWORK_GUARD = textwrap.dedent('''
    """Loaded by Python at start (PYTHONPATH): any network attempt is recorded and ends the process."""
    import os
    import socket
    import sys

    REPORT = os.environ["CALLAHEAD_NETWORK_REPORT"]
    LOOKUPS = {"socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyname_ex",
               "socket.gethostbyaddr", "socket.getnameinfo"}
    CONNECTIONS = {"socket.connect", "socket.sendto", "socket.sendmsg", "socket.bind"}


    def _abort(event, detail):
        with open(REPORT, "a", encoding="utf-8") as report:
            report.write(f"{event} {detail!r}\\n")
        os._exit(97)  # not an exception: library code could catch that and carry on


    def _guard(event, args):
        if event in LOOKUPS:
            _abort(event, args[0])
        elif event in CONNECTIONS and getattr(args[0], "family", None) != socket.AF_UNIX:
            _abort(event, args[1] if len(args) > 1 else None)


    sys.addaudithook(_guard)
''')


def _guarded_run(tmp_path, arguments, code=None):
    guard = tmp_path / "guard"
    guard.mkdir(exist_ok=True)
    (guard / "sitecustomize.py").write_text(NETWORK_GUARD, encoding="utf-8")
    report = tmp_path / "network-attempts.txt"
    env = dict(os.environ, PYTHONPATH=str(guard), CALLAHEAD_NETWORK_REPORT=str(report), QT_QPA_PLATFORM="offscreen",
               CALLAHEAD_LOG_DIR=str(tmp_path / "logs"))
    command = [sys.executable, "-c", code] if code else [sys.executable, "main.py", *arguments]
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    return result, (report.read_text(encoding="utf-8") if report.exists() else "")


@pytest.mark.parametrize("attempt", [
    "import socket; socket.create_connection(('127.0.0.1', 9), timeout=1)",
    "import urllib.request\ntry:\n    urllib.request.urlopen('http://callahead.invalid/', timeout=1)\nexcept Exception:\n    pass",
])
def test_the_guard_stops_a_process_that_tries_the_network(tmp_path, attempt):
    result, attempts = _guarded_run(tmp_path, [], code=attempt)
    assert result.returncode == 97 and attempts, "the guard must catch attempts, or the test below proves nothing"


def test_the_guard_lets_local_sockets_through(tmp_path):
    code = "import socket; a, b = socket.socketpair(); a.sendall(b'x'); assert b.recv(1) == b'x'"
    result, attempts = _guarded_run(tmp_path, [], code=code)
    assert result.returncode == 0 and not attempts, result.stderr


def test_the_full_app_starts_without_touching_the_network(tmp_path):
    result, attempts = _guarded_run(tmp_path, ["--demo", "--smoke-test", "--data-dir", str(tmp_path / "data")])
    assert not attempts, f"network attempted: {attempts}"
    assert result.returncode == 0, result.stderr


@pytest.mark.sqlite_only  # a server database is reached through the network
def test_commands_work_without_touching_the_network(tmp_path):
    data = ["--data-dir", str(tmp_path / "data")]
    for arguments in (["demo", "--customers", "20"], ["agenda", "--json"], ["backup"], ["restore", "--list"]):
        result, attempts = _guarded_run(tmp_path, [*arguments, *data])
        assert not attempts, f"{arguments[0]} attempted the network: {attempts}"
        assert result.returncode == 0, result.stderr
