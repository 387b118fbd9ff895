"""Far dates and huge numbers on the command line: accepted from 1900 to 2200, refused with a
clear usage error outside, never a traceback; a far date already stored never breaks an export."""

from __future__ import annotations

import json
import sqlite3

import datetime as dt

import pytest

import main
from core.storage.enums import Outcome
from core.errors import InvalidInput
from core.storage.paths import database_path
from core.services import Services

HUGE = "99999999999999999999999"


def _pending_call(data_dir) -> int:
    connection = sqlite3.connect(database_path(data_dir))
    try:
        return connection.execute("SELECT id FROM call_tasks WHERE status = 'pending' AND kind = 'call' "
                                  "ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        connection.close()


def _a_sku(data_dir) -> str:
    connection = sqlite3.connect(database_path(data_dir))
    try:
        return connection.execute("SELECT sku FROM products ORDER BY id LIMIT 1").fetchone()[0]
    finally:
        connection.close()


def _refused(capsys, argv: list[str], words: str) -> None:
    with pytest.raises(SystemExit) as raised:
        main.main(argv)
    err = capsys.readouterr().err
    assert raised.value.code == 2
    assert words in err and "Traceback" not in err


@pytest.mark.parametrize("argv,words", [
    (["--today", "9999-12-31", "agenda"], "outside the dates CallAhead accepts (1900-01-01 to 2200-12-31)"),
    (["agenda", "--date", "0001-01-01"], "0001-01-01 is outside the dates"),
    (["agenda", "--date", "1899-12-31"], "1899-12-31 is outside the dates"),
    (["announce", "--kind", "other", "--title", "T", "--products", "X", "--effective", "9999-12-31"],
     "9999-12-31 is outside the dates"),
    (["log", "1", "--outcome", "reached", "--follow-up", "9999-12-31T10:00"], "9999-12-31 is outside the dates"),
    (["log", HUGE, "--outcome", "reached"], f"{HUGE} is not a record id"),
    (["log", "0", "--outcome", "reached"], "0 is not a record id"),
    (["change", "cancel", HUGE], f"{HUGE} is not a record id"),
    (["announce", "--kind", "other", "--title", "T", "--products", "X", "--effective", "2026-12-20",
      "--samples", HUGE], f"{HUGE} is not between 0 and 100"),
    (["announce", "--kind", "other", "--title", "T", "--products", "X", "--effective", "2026-12-20",
      "--window-start", "-3"], "-3 is not between 1 and 365"),
    (["announce", "--kind", "other", "--title", "T", "--products", "X", "--effective", "2026-12-20",
      "--capacity-share", "nan"], "nan is not a share between 0 and 1"),
    (["announce", "--kind", "other", "--title", "T", "--products", "X", "--effective", "2026-12-20",
      "--add-customers", f"1,{HUGE}"], f"{HUGE} is not a record id"),
])
def test_a_far_date_or_a_huge_number_is_a_clear_usage_error(demo_data_dir, capsys, argv, words):
    _refused(capsys, argv + ["--data-dir", str(demo_data_dir)], words)


@pytest.mark.parametrize("today", ["1900-01-01", "2200-12-31"])
def test_the_first_and_last_accepted_days_work_as_today(demo_data_dir, capsys, today):
    assert main.main(["--today", today, "agenda", "--json", "--data-dir", str(demo_data_dir)]) == 0
    assert json.loads(capsys.readouterr().out)["date"] == today


def test_a_callback_on_the_last_accepted_day_is_booked_and_exported(demo_data_dir, tmp_path, capsys):
    task_id = _pending_call(demo_data_dir)
    folder = ["--data-dir", str(demo_data_dir), "--today", "2026-11-24"]
    assert main.main(["log", str(task_id), "--outcome", "reached", "--follow-up", "2200-12-31T10:00", *folder]) == 0
    assert json.loads(capsys.readouterr().out)["scheduled"][0]["due"] == "2200-12-31"
    assert main.main(["export", "ics", str(tmp_path / "planned.ics"), *folder]) == 0
    assert "DTSTART:22001231T100000" in (tmp_path / "planned.ics").read_text(encoding="utf-8")


def test_a_change_on_the_last_accepted_day_is_planned(demo_data_dir, capsys):
    sku = _a_sku(demo_data_dir)
    code = main.main(["announce", "--kind", "price_increase", "--title", "Far away", "--products", sku,
                      "--effective", "2200-12-31", "--today", "2200-11-01", "--json", "--samples", "100",
                      "--data-dir", str(demo_data_dir)])
    assert code == 0
    assert json.loads(capsys.readouterr().out)["effective"] == "2200-12-31"


def test_a_far_date_stored_by_an_older_version_never_breaks_the_calendar_export(demo_data_dir, tmp_path, capsys):
    task_id = _pending_call(demo_data_dir)
    connection = sqlite3.connect(database_path(demo_data_dir))
    with connection:
        connection.execute("UPDATE call_tasks SET due_on = '9999-12-31', due_time = NULL WHERE id = ?", (task_id,))
        connection.execute("UPDATE call_tasks SET due_on = '9999-12-31', due_time = '23:50:00' "
                           "WHERE id = (SELECT min(id) FROM call_tasks WHERE status = 'pending' AND id > ?)",
                           (task_id,))
    connection.close()
    assert main.main(["export", "ics", str(tmp_path / "planned.ics"), "--data-dir", str(demo_data_dir)]) == 0
    calendar = (tmp_path / "planned.ics").read_text(encoding="utf-8")
    assert "DTSTART;VALUE=DATE:99991231" in calendar and "DTSTART:99991231T235000" in calendar


def test_the_engine_refuses_a_callback_beyond_2200_from_any_front_end(demo_context, clock):
    services = Services(demo_context.database(), clock)
    task_id = _pending_call(demo_context.data_dir)
    with pytest.raises(InvalidInput, match="9999-12-31 is outside the dates") as raised:
        services.log_call(task_id, Outcome.REACHED, follow_up=dt.datetime(9999, 12, 31, 10, 0))
    assert raised.value.field == "follow_up"
    connection = sqlite3.connect(database_path(demo_context.data_dir))
    try:
        assert connection.execute("SELECT status FROM call_tasks WHERE id = ?", (task_id,)).fetchone() == ("pending",)
        assert connection.execute("SELECT count(*) FROM call_logs WHERE task_id = ?", (task_id,)).fetchone() == (0,)
    finally:
        connection.close()
