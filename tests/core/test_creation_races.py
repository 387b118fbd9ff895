"""Two commands started at the same moment on a data folder with no database yet, in two real
processes: both succeed, and the folder ends with one database at the newest schema holding what
each of them wrote — never a "database is locked" from the other's set-up, a half-made schema, or
a leftover of the file being made."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.storage.database import head_revision
from core.storage.paths import database_path

pytestmark = pytest.mark.sqlite_only  # about creating the SQLite file itself

ROOT = Path(__file__).resolve().parents[2]
WORKER = Path(__file__).with_name("creation_race_worker.py")


def _import_when_told(folder: Path, rows: Path) -> subprocess.Popen:
    worker = subprocess.Popen([sys.executable, str(WORKER), "import", str(rows), "--data-dir", str(folder), "--json"],
                              cwd=ROOT, env=dict(os.environ, PYTHONPATH=str(ROOT)), stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert worker.stdout.readline().strip() == "ready", worker.stderr.read()
    return worker


def _finish(worker: subprocess.Popen) -> tuple[int, str]:
    _out, err = worker.communicate(timeout=300)
    return worker.returncode, err


def _read(path: Path, sql: str) -> list[tuple]:
    connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def _two_imports_at_once(tmp_path: Path, folder: Path) -> None:
    files = []
    for name, phone in (("Ann Smith", "503-555-0101"), ("Raul Novak", "503-555-0102")):
        rows = tmp_path / f"{name.split()[0].lower()}.csv"
        rows.write_text(f"Name,Phone\n{name},{phone}\n", encoding="utf-8")
        files.append(rows)
    workers = [_import_when_told(folder, rows) for rows in files]  # each loaded and waiting

    for worker in workers:  # released together
        worker.stdin.write("go\n")
        worker.stdin.flush()
    results = [_finish(worker) for worker in workers]

    assert [code for code, _err in results] == [0, 0], results
    path = database_path(folder)
    assert _read(path, "SELECT version_num FROM alembic_version") == [(head_revision(),)]
    assert sorted(name for (name,) in _read(path, "SELECT name FROM customers")) == ["Ann Smith", "Raul Novak"]
    # Beside the database only its companions, and the note that the last command closed it whole.
    companions = {path.name + suffix for suffix in ("-wal", "-shm", ".closed-whole")}
    assert {p.name for p in folder.iterdir() if p.is_file()} <= {path.name, *companions}, sorted(folder.iterdir())


@pytest.mark.parametrize("trial", range(3))
def test_two_commands_at_once_on_an_empty_folder_both_succeed_on_one_database(tmp_path, trial):
    _two_imports_at_once(tmp_path, tmp_path / "new shop")


def test_two_commands_at_once_on_an_empty_database_file_both_succeed(tmp_path):
    """An empty file where the database goes (an older CallAhead stopped while creating it): the
    two set it up one after the other (the migration holds the write lock), and the second finds it done."""
    folder = tmp_path / "new shop"
    folder.mkdir()
    database_path(folder).touch()
    _two_imports_at_once(tmp_path, folder)
