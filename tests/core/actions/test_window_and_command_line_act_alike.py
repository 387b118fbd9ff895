"""The window and the command line act through one runner, so the same action from either
leaves the same rows and the same change log behind; an import is one unit from both."""

from __future__ import annotations

import datetime as dt
import shutil

import pytest
from sqlalchemy import select

import main
from core.actions.runner import ActionRunner
from core.storage.change_log import entries_since
from core.clock import DayShiftedClock
from core.storage.database import open_database
from core.storage.enums import ChangeKind, Outcome, TaskKind, TaskStatus
from core.errors import CallAheadError
from core.importing import ImportKind, read_import_file
from core.storage.models import Base, CallTask, ChangeLogEntry, Product
from core.storage.paths import database_path, sqlite_url
from core.scheduling import ChangeRequest
from core.services import Services
from tests.conftest import TODAY

pytestmark = pytest.mark.sqlite_only  # two copies of the demo business, side by side

NEW_CUSTOMERS_CSV = ("Name,Phone,Email\n"
                     "Olga Berg,503 555 0101,olga@example.com\n"
                     "Piet Mol,503 555 0102,piet@example.com\n"
                     "Rosa Kim,503 555 0103,\n")


class Shop:
    """One copy of the demo business: acted on from the window's side or the command line's."""

    def __init__(self, folder):
        self.folder = folder
        self.database = open_database(sqlite_url(database_path(folder)))
        with self.database.session() as session:
            self.first_sequence = session.scalar(select(ChangeLogEntry.sequence).order_by(
                ChangeLogEntry.sequence.desc()).limit(1)) or 0

    def services(self) -> Services:
        return Services(self.database, DayShiftedClock(TODAY))

    def command(self, capsys, *argv) -> str:
        code = main.main([*argv, "--data-dir", str(self.folder), "--today", TODAY.isoformat()])
        captured = capsys.readouterr()
        assert code == 0, captured.err
        return captured.out

    def rows(self) -> dict:
        """Every stored row (the change log apart), moments cut to their day: the two sides act
        at different seconds."""
        def plain(value):
            return value.date() if isinstance(value, dt.datetime) else value

        with self.database.session() as session:
            return {table.name: [tuple(plain(v) for v in row) for row in session.execute(
                        select(table).order_by(*table.primary_key.columns)).all()]
                    for table in Base.metadata.sorted_tables if table.name != ChangeLogEntry.__tablename__}

    def logged(self) -> list[tuple]:
        """What the change log says each new action changed."""
        with self.database.session() as session:
            return [(sorted(e.kinds), e.customer_ids) for e in entries_since(session, self.first_sequence)]


@pytest.fixture
def shops(_demo_template, tmp_path):
    made = []
    for side in ("window", "command"):
        folder = tmp_path / side
        folder.mkdir()
        shutil.copy(_demo_template, database_path(folder))
        made.append(Shop(folder))
    yield made
    for shop in made:
        shop.database.dispose()


def _first_call_today(shop: Shop) -> int:
    with shop.database.session() as session:
        return session.scalar(select(CallTask.id).where(
            CallTask.status == TaskStatus.PENDING, CallTask.kind == TaskKind.CALL, CallTask.due_on == TODAY)
            .order_by(CallTask.id).limit(1))


def _same_result(window: Shop, command: Shop) -> None:
    assert command.logged() == window.logged()
    assert command.rows() == window.rows()


def test_logging_a_call_from_the_window_or_the_command_line_stores_the_same(shops, capsys):
    window, command = shops
    for shop in shops:  # both sides start from the same morning
        shop.services().prepare()
    task_id = _first_call_today(window)
    follow_up = TODAY + dt.timedelta(days=7)
    result, _changes = window.services().log_call(task_id, Outcome.REACHED, notes="Wants the new catalogue",
                                                  follow_up=follow_up)
    out = command.command(capsys, "log", str(task_id), "--outcome", "reached", "--notes", "Wants the new catalogue",
                          "--follow-up", follow_up.isoformat())
    assert f'"log_id": {result.log_id}' in out
    _same_result(window, command)


def test_announcing_a_change_from_the_window_or_the_command_line_stores_the_same(shops, capsys):
    window, command = shops
    effective = TODAY + dt.timedelta(days=24)
    with window.database.session() as session:
        product = session.scalar(select(Product.id).where(Product.sku == "OP-CHAIN-12"))
    plan, changes = window.services().announce_change(ChangeRequest(
        kind=ChangeKind.DISCONTINUED, title="Chain openers discontinued", effective_on=effective,
        product_ids=(product,)))
    command.command(capsys, "announce", "--kind", "discontinued", "--title", "Chain openers discontinued",
                    "--products", "OP-CHAIN-12", "--effective", effective.isoformat())
    assert plan.change_id and changes.tasks
    _same_result(window, command)


def test_an_import_from_the_command_line_plans_like_one_from_the_window(shops, capsys, tmp_path):
    window, command = shops
    path = tmp_path / "new customers.csv"
    path.write_text(NEW_CUSTOMERS_CSV, encoding="utf-8")
    report, changes = window.services().run_import(read_import_file(path, ImportKind.CUSTOMERS), None,
                                                   all_or_nothing=False)
    command.command(capsys, "import", str(path), "--json")
    assert report.applied and changes.customer_list and changes.tasks
    # One unit: the rows and the plan made for them arrive in one transaction, one change-log entry.
    assert len(window.logged()) == 1
    _same_result(window, command)


def test_an_import_whose_planning_fails_leaves_nothing_behind(shops, capsys, tmp_path, monkeypatch):
    window, command = shops
    path = tmp_path / "new customers.csv"
    path.write_text(NEW_CUSTOMERS_CSV, encoding="utf-8")
    before = command.rows()

    def planning_fails(session, today):
        raise CallAheadError("The plan could not be made.")

    monkeypatch.setattr("core.scheduling.refresh_plan", planning_fails)
    code = main.main(["import", str(path), "--data-dir", str(command.folder), "--today", TODAY.isoformat()])
    assert code == 2 and "The plan could not be made." in capsys.readouterr().err
    assert command.rows() == before
    with pytest.raises(CallAheadError):
        window.services().run_import(read_import_file(path, ImportKind.CUSTOMERS), None, all_or_nothing=False)
    assert window.rows() == before


def test_the_window_and_the_command_line_both_act_through_the_runner(shops, capsys, monkeypatch):
    window, command = shops
    ran = []
    run = ActionRunner.run

    def spied(self, action, *inputs, **named):
        ran.append(action.name)
        return run(self, action, *inputs, **named)

    monkeypatch.setattr(ActionRunner, "run", spied)
    task_id = _first_call_today(window)
    window.services().log_call(task_id, Outcome.NO_ANSWER)
    assert ran == ["log call"]
    command.command(capsys, "log", str(task_id), "--outcome", "no_answer")
    assert ran == ["log call", "log call"]
