"""Two things at once on one real SQLite file, in two real processes: nothing is lost, nothing
crashes with a traceback. (Issue 11: two `demo --force`, a restore during an import.)

No sleeps: the worker says when it holds the write lock, and the restore's wait for other
connections is shortened in its own process so the refusal comes at once.
"""

import datetime as dt
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.storage.backup_files import backups_folder, make_backup
from core.storage.database import open_database
from core.demo import generate_demo_business
from core.storage.models import Customer
from core.storage.paths import database_path, sqlite_url
from tests.conftest import TODAY

pytestmark = pytest.mark.sqlite_only  # restores and `demo --force` replacing the SQLite file

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("race_worker.py")
TODAY_NOW = dt.datetime.combine(TODAY, dt.time(8, 30))
MARKER = "The Real Business (must never be lost)"
# main.main with the restore's wait for other connections cut to half a second.
IMPATIENT_MAIN = ("import sys, core.storage.replacing as replacing; replacing.EXCLUSIVE_WAIT_SECONDS = 0.5; "
                  "import main; sys.exit(main.main(sys.argv[1:]))")


def _env():
    return dict(os.environ, PYTHONPATH=str(ROOT))


def _callahead(*arguments, impatient=False) -> subprocess.Popen:
    command = [sys.executable, "-c", IMPATIENT_MAIN] if impatient else [sys.executable, str(ROOT / "main.py")]
    return subprocess.Popen([*command, *arguments], cwd=ROOT, env=_env(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen) -> tuple[int, str, str]:
    out, err = process.communicate(timeout=300)
    assert "Traceback" not in out + err, err
    return process.returncode, out, err


def _customers(path: Path) -> list[str]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return [row[0] for row in connection.execute("SELECT name FROM customers")]
    finally:
        connection.close()


@pytest.fixture
def real_business(tmp_path) -> Path:
    folder = tmp_path / "shop"
    database = open_database(sqlite_url(database_path(folder)))
    with database.transaction() as session:
        generate_demo_business(session, today=TODAY, customers=100, seed=3)
        session.add(Customer(name=MARKER))
    database.dispose()
    return folder


@pytest.mark.parametrize("trial", range(2))
def test_two_demo_force_at_once_never_lose_the_business(real_business, trial):
    runs = [_callahead("demo", "--force", "--customers", "40", "--seed", str(seed), "--data-dir", str(real_business),
                       "--today", TODAY.isoformat()) for seed in (1, 2)]
    results = [_finish(run) for run in runs]

    for code, _out, err in results:
        assert code == 0 or (code == 2 and "busy" in err), err
    files = sorted(p for p in real_business.glob("callahead*.sqlite3"))
    assert all(p.stat().st_size > 0 for p in files), "no set-aside file was overwritten by an empty one"
    holding_the_business = [p for p in files if MARKER in _customers(p)]
    assert len(holding_the_business) == 1 and len(_customers(holding_the_business[0])) == 101
    for _code, _out, err in results:
        for line in err.splitlines():
            if "was kept as" in line:
                kept = Path(line.split("was kept as ")[1].rstrip("."))
                assert kept.exists() and kept.stat().st_size > 0, line
    assert len(_customers(database_path(real_business))) == 40, "the folder ends with a whole demo business"


def test_a_restore_while_an_import_writes_refuses_and_the_import_lands_in_the_live_database(real_business):
    path = database_path(real_business)
    backup = make_backup(path, "manual", TODAY_NOW)
    importer = subprocess.Popen([sys.executable, str(WORKER), "write", str(path), "400"], cwd=ROOT, env=_env(),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert importer.stdout.readline().strip() == "writing"

    code, out, err = _finish(_callahead("restore", backup.name, "--data-dir", str(real_business), impatient=True))

    assert code == 2 and "busy" in err and "Nothing was changed" in err, err
    importer.stdin.write("go\n")
    importer.stdin.flush()
    out, err = importer.communicate(timeout=300)
    assert importer.returncode == 0 and out.strip().endswith("committed"), err
    assert len(_customers(path)) == 501, "the import's rows are in the live database"
    assert not list(real_business.glob("callahead.before-restore-*"))

    code, out, err = _finish(_callahead("restore", backup.name, "--data-dir", str(real_business)))
    assert code == 0, err
    [kept] = real_business.glob("callahead.before-restore-*.sqlite3")
    assert len(_customers(kept)) == 501 and len(_customers(path)) == 101


def test_an_import_started_after_a_restore_began_writes_into_the_restored_database(real_business):
    path = database_path(real_business)
    backup = make_backup(path, "manual", TODAY_NOW)
    assert _finish(_callahead("restore", backup.name, "--data-dir", str(real_business)))[0] == 0
    importer = subprocess.Popen([sys.executable, str(WORKER), "write", str(path), "10"], cwd=ROOT, env=_env(),
                                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    out, err = importer.communicate("go\n", timeout=300)
    assert importer.returncode == 0, err
    assert len(_customers(path)) == 111
    assert backups_folder(real_business).is_dir()


def test_two_that_each_want_the_file_alone_do_not_wait_each_other_out(real_business, monkeypatch):
    # Another CallAhead wanting the file alone at the same moment (a second `demo --force`, a
    # restore) keeps its own connection open while it waits for every other to close. A holder
    # that kept its connection open between attempts too would wait with it until both gave up
    # "busy". Letting go between attempts lets the other through, then takes the file itself.
    import threading
    import time

    import core.storage.replacing as replacing

    path = database_path(real_business)
    contender = sqlite3.connect(path, timeout=0.2, isolation_level=None, check_same_thread=False)
    contender.execute("PRAGMA journal_mode=WAL")
    got_it, holder_connected = threading.Event(), threading.Event()
    connect = replacing._connect_for_hold

    def connect_and_say_so(file):
        connection = connect(file)
        holder_connected.set()
        return connection

    monkeypatch.setattr(replacing, "_connect_for_hold", connect_and_say_so)

    def wait_for_the_file_alone_keeping_the_connection() -> None:
        assert holder_connected.wait(30)  # both want it at the same moment
        deadline = time.monotonic() + 20  # longer than the holder waits: it never gives up first
        while time.monotonic() < deadline:
            try:
                if contender.execute("PRAGMA journal_mode=DELETE").fetchone()[0] == "delete":
                    got_it.set()
                    break
            except sqlite3.OperationalError:
                pass
            time.sleep(0.01)
        contender.close()

    waiting = threading.Thread(target=wait_for_the_file_alone_keeping_the_connection)
    waiting.start()
    try:
        with replacing.exclusive_hold(path, "a test", wait=10) as held:
            assert held is not None
        assert got_it.is_set(), "the other had the file alone first, while this one let go"
    finally:
        waiting.join()
