"""The command line's shared options and top-level flags."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import main
from core import __version__

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("order", ["before", "after"])
def test_shared_options_work_before_or_after_the_command(tmp_path, capsys, order):
    options = ["--data-dir", str(tmp_path), "--today", "2026-03-02"]
    argv = options + ["demo", "--customers", "5"] if order == "before" else ["demo", "--customers", "5"] + options
    assert main.main(argv) == 0
    payload = json.loads(capsys.readouterr().out)
    assert payload["data_dir"] == str(tmp_path)
    assert payload["customers"] == 5
    assert payload["change_effective"] > "2026-03-02"


def test_a_bad_date_is_a_clear_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as raised:
        main.main(["demo", "--data-dir", str(tmp_path), "--today", "24/11/2026"])
    assert raised.value.code == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err


def test_demo_refuses_a_folder_holding_data_unless_forced(tmp_path, capsys):
    assert main.main(["demo", "--data-dir", str(tmp_path), "--customers", "5"]) == 0
    assert main.main(["demo", "--data-dir", str(tmp_path), "--customers", "5"]) == 2
    assert "--force" in capsys.readouterr().err
    assert main.main(["demo", "--data-dir", str(tmp_path), "--customers", "9", "--force"]) == 0
    assert json.loads(capsys.readouterr().out)["customers"] == 9
    assert len(list(tmp_path.glob("callahead.replaced-*.sqlite3"))) == 1, "the old database was kept aside"


def test_version_is_printed():
    result = subprocess.run([sys.executable, "main.py", "--version"], cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.strip() == f"CallAhead {__version__}"
