"""What's on: news runs from its first to its last day, limited to reasons or tags, once per script,
in the day sheet's header; and the `news` and `script` commands."""

import datetime as dt
import json

import pytest
from sqlalchemy import func, select

import main
from core.storage.enums import Reason
from core.errors import InvalidInput
from core.storage.models import CallTask, Customer, NewsItem, StaffMember
from core.habits.news import add_news, list_news, news_for_call, remove_news
from core.reports.day_sheets import day_sheets, sheets_html
from core.scheduling import replan
from core.scripts.library import ensure_default_scripts, render_call_script

TODAY = dt.date(2026, 11, 24)  # a Tuesday
OPEN_HOUSE = "Open house Saturday 12 Dec"


@pytest.fixture
def shop(db):
    with db.transaction() as session:
        ensure_default_scripts(session)
        maria = StaffMember(name="Maria", daily_quota=10)
        retail = Customer(name="Rita Retail", first_name="Rita", phone="+15035550101", tags="retail,vip")
        trade = Customer(name="Tom Trade", first_name="Tom", phone="+15035550102", tags="contractor")
        session.add_all([maria, retail, trade])
        session.flush()
        tasks = {name: CallTask(customer_id=customer.id, reason=reason, due_on=TODAY, staff_id=maria.id, why="why")
                 for name, customer, reason in (("rita", retail, Reason.NEGLECTED), ("tom", trade, Reason.QUOTE))}
        session.add_all(tasks.values())
        session.flush()
        replan(session, TODAY)  # tasks written straight to the database join the stored plan
        return db, {"rita": retail.id, "tom": trade.id}, {name: task.id for name, task in tasks.items()}


def news_on(db, customer_id, reason, day):
    with db.session() as session:
        return [item.title for item in news_for_call(session, customer_id, reason, day)]


def test_news_runs_from_its_first_day_to_its_last_day_included(shop):
    db, customers, _tasks = shop
    with db.transaction() as session:
        add_news(session, OPEN_HOUSE, dt.date(2026, 12, 1), dt.date(2026, 12, 12))
    for day, shown in ((dt.date(2026, 11, 30), False), (dt.date(2026, 12, 1), True), (dt.date(2026, 12, 12), True),
                       (dt.date(2026, 12, 13), False)):
        assert bool(news_on(db, customers["rita"], Reason.NEGLECTED, day)) is shown, day


def test_news_limited_to_reasons_or_tags_reaches_only_those_calls(shop):
    db, customers, _tasks = shop
    with db.transaction() as session:
        add_news(session, "Spring service special", TODAY, TODAY, reasons=["quote", "post_purchase"])
        add_news(session, "Retail coffee morning", TODAY, TODAY, tags=["Retail"])
        add_news(session, "Trade counter: quote calls only", TODAY, TODAY, reasons=["quote"], tags=["retail"])
    assert news_on(db, customers["rita"], Reason.NEGLECTED, TODAY) == ["Retail coffee morning"]
    assert news_on(db, customers["tom"], Reason.QUOTE, TODAY) == ["Spring service special"]
    assert news_on(db, customers["rita"], Reason.QUOTE, TODAY) == [
        "Spring service special", "Retail coffee morning", "Trade counter: quote calls only"]


@pytest.mark.parametrize("title, first, last, reasons, field", [
    ("", TODAY, TODAY, [], "title"),
    ("x" * 201, TODAY, TODAY, [], "title"),
    ("Sale", TODAY, TODAY - dt.timedelta(days=1), [], "to"),
    ("Sale", TODAY, TODAY, ["quotes"], "reasons"),
])
def test_a_bad_news_item_names_the_field_and_writes_nothing(shop, title, first, last, reasons, field):
    db, _customers, _tasks = shop
    with pytest.raises(InvalidInput) as error, db.transaction() as session:
        add_news(session, title, first, last, reasons=reasons)
    assert error.value.field == field
    with db.session() as session:
        assert session.scalar(select(func.count()).select_from(NewsItem)) == 0


def test_the_script_carries_the_news_once_after_the_reason(shop):
    db, customers, tasks = shop
    with db.transaction() as session:
        add_news(session, OPEN_HOUSE, TODAY, TODAY, text="coffee and 10 % off openers",
                 reasons=["neglected", "quote"])
    with db.session() as session:
        script = render_call_script(session, customers["rita"], Reason.NEGLECTED, TODAY, task_id=tasks["rita"])
        tomorrow = render_call_script(session, customers["rita"], Reason.NEGLECTED, TODAY + dt.timedelta(days=1))
    assert script.body.count(OPEN_HOUSE) == 1
    assert script.body.endswith(f"\n\nWhat's on: {OPEN_HOUSE} — coffee and 10 % off openers")
    assert script.body.index("We haven't seen you") < script.body.index(OPEN_HOUSE), "after the reason's own text"
    assert OPEN_HOUSE not in tomorrow.body


def test_the_printed_day_sheet_carries_the_news_in_its_header(shop):
    db, _customers, _tasks = shop
    with db.transaction() as session:
        add_news(session, OPEN_HOUSE, TODAY, TODAY, text="coffee & 10 % off openers")
        add_news(session, "Only for rewards calls", TODAY, TODAY, reasons=["rewards"])
    with db.session() as session:
        (sheet,) = day_sheets(session, TODAY, TODAY)
    assert sheet.news == (f"{OPEN_HOUSE} — coffee & 10 % off openers",), "no call on the sheet is a rewards call"
    page = sheets_html([sheet])
    assert f"What's on — tell them: {OPEN_HOUSE} — coffee &amp; 10 % off openers" in page
    assert page.index("What's on") < page.index("Rita Retail"), "in the header, above the calls"


def test_news_commands_add_list_and_remove(shop, data_dir, capsys):
    db, _customers, _tasks = shop
    common = ["--data-dir", str(data_dir), "--today", TODAY.isoformat()]
    assert main.main(["news", "add", "--title", OPEN_HOUSE, "--from", "2026-12-01", "--to", "2026-12-12",
                      "--text", "coffee", "--reasons", "neglected,quote", "--tags", "Retail, contractor", *common]) == 0
    added = json.loads(capsys.readouterr().out)
    assert added == {"id": added["id"], "title": OPEN_HOUSE, "text": "coffee", "from": "2026-12-01",
                     "to": "2026-12-12", "reasons": ["neglected", "quote"], "tags": ["retail", "contractor"]}
    assert main.main(["news", "list", "--json", *common]) == 0
    assert json.loads(capsys.readouterr().out) == {"news": [added]}
    assert main.main(["news", "list", *common]) == 0
    assert "(coming)" in capsys.readouterr().out
    assert main.main(["news", "add", "--title", "Oops", "--from", "2026-12-02", "--to", "2026-12-01", *common]) == 2
    assert "before the first day" in capsys.readouterr().err
    assert main.main(["news", "remove", str(added["id"]), *common]) == 0
    assert main.main(["news", "remove", str(added["id"]), *common]) == 2
    with db.session() as session:
        assert list_news(session) == []
        with pytest.raises(InvalidInput):
            remove_news(session, 12345)


def test_script_command_prints_the_calls_script_as_the_window_shows_it(shop, data_dir, capsys):
    db, _customers, tasks = shop
    with db.transaction() as session:
        add_news(session, OPEN_HOUSE, TODAY, TODAY, tags=["retail"])
    common = ["--data-dir", str(data_dir), "--today", TODAY.isoformat()]
    assert main.main(["script", str(tasks["rita"]), *common]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Courtesy call\n\nHi Rita, it's Maria calling from")
    assert f"What's on: {OPEN_HOUSE}" in printed and "{" not in printed
    assert "  ☐ How have you been?" in printed and "thank them sincerely" in printed
    assert main.main(["script", str(tasks["tom"]), *common]) == 0
    assert OPEN_HOUSE not in capsys.readouterr().out, "Tom is not a retail customer"
    assert main.main(["script", "999", *common]) == 2
    assert "no call with id 999" in capsys.readouterr().err
