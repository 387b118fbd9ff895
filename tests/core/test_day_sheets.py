"""The printable day sheet: every call of the day, one sheet per caller, readable HTML."""

import datetime as dt

from core.storage.enums import Reason
from core.storage.models import CallTask, Customer, StaffMember
from core.reports.day_sheets import day_sheets, sheets_html
from core.scheduling import daily_agenda, replan
from core.settings import save_settings

TODAY = dt.date(2026, 11, 24)


def test_every_pending_call_of_the_day_is_on_its_callers_sheet(demo_db):
    with demo_db.session() as session:
        agenda = daily_agenda(session, TODAY, TODAY)
        sheets = day_sheets(session, TODAY, TODAY)
    on_paper = {(sheet.caller, row.customer) for sheet in sheets for row in sheet.rows}
    planned = {(call.staff, call.customer) for call in agenda.pending()}
    assert on_paper == planned and planned
    assert [sheet.caller for sheet in sheets] == [s.name for s in agenda.staff if s.count]


def test_a_sheet_names_the_day_the_caller_the_count_and_each_calls_details(demo_db):
    with demo_db.session() as session:
        sheet = day_sheets(session, TODAY, TODAY)[0]
    page = sheets_html([sheet])
    assert f"{sheet.caller} — {len(sheet.rows)} calls" in page
    assert "Tuesday 24 November 2026" in page
    row = sheet.rows[0]
    assert row.phone.startswith("(") and row.reason and row.why and row.talking_points
    assert "☐R" in page and "R reached" in page and "Notes" in page
    assert "thank-you" in page, "the sincere thank-you is on every page"


def test_change_calls_carry_the_changes_talking_points(demo_db):
    heads_up_day = dt.date(2026, 11, 27)
    with demo_db.session() as session:
        sheets = day_sheets(session, heads_up_day, TODAY)
    rows = [row for sheet in sheets for row in sheet.rows if row.reason == "Heads-up call"]
    assert rows, "the demo plans heads-up calls from the 27th"
    assert any("supplier raised" in point for point in rows[0].talking_points)


def test_a_closed_day_prints_why_no_calls(db):
    with db.transaction() as session:
        save_settings(session, holiday_country="US")
        session.add(StaffMember(name="Maria", daily_quota=5))
    with db.session() as session:
        sheets = day_sheets(session, dt.date(2026, 11, 26), TODAY)
    assert sheets[0].rows == () and "Thanksgiving" in sheets[0].closed_reason
    assert "Thanksgiving" in sheets_html(sheets)


def test_text_that_looks_like_markup_is_printed_as_text(db):
    with db.transaction() as session:
        session.add(StaffMember(name="Maria", daily_quota=5))
        customer = Customer(name="<b>Bold</b> & Sons", phone="+15035550100")
        session.add(customer)
        session.flush()
        session.add(CallTask(customer_id=customer.id, reason=Reason.NEGLECTED, due_on=TODAY, why="<script>"))
        session.flush()
        replan(session, TODAY)
    with db.session() as session:
        page = sheets_html(day_sheets(session, TODAY, TODAY))
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; Sons" in page and "<script>" not in page
