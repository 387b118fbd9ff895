"""Two plain `demo` runs at once on an empty folder, in two real processes on one real SQLite file:
the folder ends with one whole demo business; a run that finds it there says so plainly, never
with a traceback, and no half-built file is left behind."""

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

import main
from core.storage.database import open_database, restoring_path
from core.demo import generate_demo_business
from core.storage.paths import database_path, sqlite_url
from tests.conftest import TODAY

pytestmark = pytest.mark.sqlite_only  # the demo is built in a file of its own and moved in

ROOT = Path(__file__).resolve().parents[2]
PAUSING_WORKER = Path(__file__).with_name("demo_race_worker.py")
ALREADY_THERE = "already holds a business with 40 customers"


def _env():
    return dict(os.environ, PYTHONPATH=str(ROOT))


def _demo(folder: Path, seed: int, *, pausing: bool = False) -> subprocess.Popen:
    program = PAUSING_WORKER if pausing else ROOT / "main.py"
    return subprocess.Popen([sys.executable, str(program), "demo", "--customers", "40", "--seed", str(seed),
                             "--data-dir", str(folder), "--today", TODAY.isoformat()],
                            cwd=ROOT, env=_env(), stdin=subprocess.PIPE if pausing else None,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _finish(process: subprocess.Popen, feed: str | None = None) -> tuple[int, str, str]:
    out, err = process.communicate(feed, timeout=300)
    assert "Traceback" not in out + err, err
    return process.returncode, out, err


def _customers(path: Path) -> int:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute("SELECT count(*) FROM customers").fetchone()[0]
    finally:
        connection.close()


def _only_the_database_is_left(folder: Path) -> None:
    path = database_path(folder)
    # Its companions, and the note that the last process closed it whole (core.storage.integrity).
    companions = {path.name + suffix for suffix in ("-wal", "-shm", ".closed-whole")}
    assert {p.name for p in folder.iterdir() if p.is_file()} <= {path.name, *companions}, sorted(folder.iterdir())


def _succeeded_or_said_plainly(code: int, err: str) -> bool:
    return code == 0 or (code == 2 and ALREADY_THERE in err)


@pytest.mark.parametrize("trial", range(3))
def test_two_demo_runs_at_once_on_an_empty_folder_end_with_one_demo_business(tmp_path, trial):
    folder = tmp_path / "new shop"
    runs = [_demo(folder, seed) for seed in (1, 2)]
    results = [_finish(run) for run in runs]

    assert all(_succeeded_or_said_plainly(code, err) for code, _out, err in results), results
    assert [code for code, _out, _err in results].count(0) >= 1
    assert _customers(database_path(folder)) == 40, "one demo business, not two in one file"
    _only_the_database_is_left(folder)


def test_a_demo_being_built_neither_blocks_nor_breaks_another_run(tmp_path):
    folder = tmp_path / "new shop"
    first = _demo(folder, 1, pausing=True)
    assert first.stdout.readline().strip() == "built", "the first run is in the middle of setting up"

    code, out, err = _finish(_demo(folder, 2))

    assert code == 0 and json.loads(out)["customers"] == 40, err
    first_code, _out, first_err = _finish(first, "go\n")
    assert first_code == 2 and ALREADY_THERE in first_err, first_err
    assert _customers(database_path(folder)) == 40
    _only_the_database_is_left(folder)


def test_demo_in_a_folder_where_a_restore_was_interrupted_finishes_the_restore_and_refuses(tmp_path, capsys):
    """No database file, but a restore's whole copy waiting beside where it goes: the owner's business."""
    folder = tmp_path / "shop"
    path = database_path(folder)
    database = open_database(sqlite_url(path))
    with database.transaction() as session:
        generate_demo_business(session, today=TODAY, customers=12, seed=5)
    database.dispose()
    path.rename(restoring_path(path))

    code = main.main(["demo", "--customers", "40", "--data-dir", str(folder), "--today", TODAY.isoformat()])

    assert code == 2 and "already holds a business with 12 customers" in capsys.readouterr().err
    assert _customers(path) == 12 and not restoring_path(path).exists()
