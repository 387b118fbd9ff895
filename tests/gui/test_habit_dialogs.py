"""Thank-you note… and What's on…: driven with clicks and keys, as the owner would."""

import datetime as dt

import pytest
from PySide6.QtCore import QDate, Qt

from core.clock import FixedClock
from core.storage.enums import Outcome, Reason
from core.habits.services import HabitsServices
from core.storage.models import CallLog, CallTask, Customer, StaffMember
from core.scripts.library import ensure_default_scripts
from gui.dialogs.news_dialog import NewsDialog
from gui.dialogs.thanks_dialog import ThanksDialog

TODAY = dt.date(2026, 11, 24)


@pytest.fixture
def shop(db):
    with db.transaction() as session:
        ensure_default_scripts(session)
        maria, dave = StaffMember(name="Maria", daily_quota=10), StaffMember(name="Dave", daily_quota=8)
        olga = Customer(name="Ordering Olga", phone="+15035550101", tags="retail")
        session.add_all([maria, dave, olga])
        session.flush()
        session.add(CallLog(customer_id=olga.id, staff_id=maria.id, outcome=Outcome.REACHED,
                            result_tags="order_placed", logged_at=dt.datetime(2026, 11, 24, 9, 30)))
        session.add(CallTask(customer_id=olga.id, reason=Reason.NEGLECTED, due_on=TODAY, staff_id=maria.id, why="w"))
    return HabitsServices(db, FixedClock.on(TODAY)), maria.id, dave.id, olga.id


def click_item(qtbot, view, item):
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=view.visualItemRect(item).center())


@pytest.fixture
def thanks(qtbot, shop):
    habits, maria, _dave, _olga = shop
    dialog = ThanksDialog(habits, staff_id=maria)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def test_a_suggestion_clicked_and_logged_counts_toward_the_goal_and_reaches_the_customers_history(qtbot, thanks, shop):
    _habits, _maria, _dave, olga = shop
    assert thanks.caller_picker.currentText() == "Maria"
    assert thanks.progress_label.text() == "Notes today: 0 of 1"
    suggestion = thanks.suggestions_list.item(0)
    assert suggestion.text() == "Ordering Olga — Placed an order on your call of 24 Nov"
    click_item(qtbot, thanks.suggestions_list, suggestion)
    assert thanks.recipient_edit.text() == "Ordering Olga" and "#" in thanks.customer_label.text()
    qtbot.keyClicks(thanks.note_edit, "Thank you for the order!")
    with qtbot.waitSignal(thanks.changed) as changed:
        qtbot.mouseClick(thanks.log_button, Qt.MouseButton.LeftButton)
    assert olga in changed.args[0].customers, "the customer's history refreshes"
    assert thanks.progress_label.text() == "Notes today: 1 of 1"
    assert thanks.recent_list.item(0).text() == "24 Nov: Ordering Olga"
    assert thanks.suggestions_list.item(0).text().startswith("No suggestions"), "thanked already"


def test_anyone_can_be_thanked_by_typing_their_name(qtbot, thanks):
    qtbot.keyClicks(thanks.recipient_edit, "Pat at the spring supplier")
    qtbot.keyClick(thanks.recipient_edit, Qt.Key.Key_Return)  # Enter logs: it takes seconds
    assert thanks.recent_list.item(0).text() == "24 Nov: Pat at the spring supplier"
    assert "Logged" in thanks.message_label.text()


def test_typing_over_a_suggestion_unlinks_the_customer(qtbot, thanks, shop):
    habits, maria, _dave, _olga = shop
    click_item(qtbot, thanks.suggestions_list, thanks.suggestions_list.item(0))
    thanks.recipient_edit.selectAll()
    qtbot.keyClicks(thanks.recipient_edit, "Olga's supplier")
    assert thanks.customer_label.text() == ""
    qtbot.mouseClick(thanks.log_button, Qt.MouseButton.LeftButton)
    (note,) = habits.recent_notes(maria)
    assert (note.recipient, note.customer_id) == ("Olga's supplier", None)


def test_a_note_to_nobody_is_refused_with_a_message(qtbot, thanks):
    qtbot.mouseClick(thanks.log_button, Qt.MouseButton.LeftButton)
    assert "Say who the note is to" in thanks.message_label.text()
    assert thanks.recent_list.count() == 0


def test_a_response_is_recorded_on_a_note_later(qtbot, thanks):
    qtbot.keyClicks(thanks.recipient_edit, "Ordering Olga")
    qtbot.mouseClick(thanks.log_button, Qt.MouseButton.LeftButton)
    click_item(qtbot, thanks.recent_list, thanks.recent_list.item(0))
    thanks.response_picker.setFocus()
    qtbot.keyClick(thanks.response_picker, Qt.Key.Key_Down)  # "Called back" → "Ordered more"
    assert thanks.response_picker.currentText() == "Ordered more"
    qtbot.mouseClick(thanks.respond_button, Qt.MouseButton.LeftButton)
    assert thanks.recent_list.item(0).text() == "24 Nov: Ordering Olga — Ordered more (24 Nov)"


def test_changing_the_caller_shows_their_suggestions_and_count(qtbot, thanks):
    thanks.caller_picker.setFocus()
    qtbot.keyClick(thanks.caller_picker, Qt.Key.Key_Up)  # Dave is listed before Maria
    assert thanks.caller_picker.currentText() == "Dave"
    assert thanks.suggestions_list.item(0).text().startswith("No suggestions")


@pytest.fixture
def news(qtbot, shop):
    habits = shop[0]
    dialog = NewsDialog(habits)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def type_date(qtbot, edit, day):
    edit.setFocus()
    qtbot.keyClick(edit, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(edit, day.isoformat())
    assert edit.date() == QDate(day.year, day.month, day.day)


def test_news_added_with_limits_runs_its_dates_and_can_be_removed(qtbot, news):
    qtbot.keyClicks(news.title_edit, "Open house Saturday 12 Dec")
    qtbot.keyClicks(news.text_edit, "coffee and 10 % off openers")
    type_date(qtbot, news.from_edit, dt.date(2026, 12, 1))
    type_date(qtbot, news.to_edit, dt.date(2026, 12, 12))
    first_reason = news.reasons_list.item(list(Reason).index(Reason.NEGLECTED))
    click_item(qtbot, news.reasons_list, first_reason)
    qtbot.keyClick(news.reasons_list, Qt.Key.Key_Space)
    qtbot.keyClicks(news.tags_edit, "Retail")
    with qtbot.waitSignal(news.changed) as changed:
        qtbot.mouseClick(news.add_button, Qt.MouseButton.LeftButton)
    assert changed.args[0].scripts, "every open script shows it"
    cells = [news.table.item(0, column).text() for column in range(news.table.columnCount())]
    assert cells == ["Open house Saturday 12 Dec — coffee and 10 % off openers", "1 Dec", "12 Dec", "coming",
                     "Courtesy call · customers tagged retail"]
    assert news.title_edit.text() == "" and news.checked_reasons() == []

    qtbot.mouseClick(news.table.viewport(), Qt.MouseButton.LeftButton,
                     pos=news.table.visualItemRect(news.table.item(0, 0)).center())
    qtbot.mouseClick(news.remove_button, Qt.MouseButton.LeftButton)
    assert news.table.rowCount() == 0 and "Removed" in news.message_label.text()


def test_news_ending_before_it_starts_is_refused_with_a_message(qtbot, news):
    qtbot.keyClicks(news.title_edit, "Backwards")
    type_date(qtbot, news.from_edit, dt.date(2026, 12, 2))
    type_date(qtbot, news.to_edit, dt.date(2026, 12, 1))
    qtbot.keyClick(news.title_edit, Qt.Key.Key_Return)
    assert "before the first day" in news.message_label.text() and news.table.rowCount() == 0


def test_news_added_in_the_window_shows_in_the_open_script(qtbot, window):
    window.day_list.select_row(0)
    qtbot.waitUntil(lambda: window.script.rendered is not None)
    dialog = window.habit_dialog(NewsDialog)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.title_edit, "Open house Saturday")
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)  # runs today and the coming week
    qtbot.waitUntil(lambda: "Open house Saturday" in window.script.rendered.body)
    assert window.script.rendered.body.count("What's on: Open house Saturday") == 1


def test_a_note_logged_in_the_window_counts_next_to_the_days_calls(qtbot, window):
    assert window.day_list.notes_progress.text() == "Notes 0 of 3", "all callers: a note each"
    dialog = window.habit_dialog(ThanksDialog, staff_id=None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.recipient_edit, "Pat at the spring supplier")
    qtbot.mouseClick(dialog.log_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.day_list.notes_progress.text() == "Notes 1 of 3")
    assert window.day_list.progress_text() == "0 of 24", "the calls' own count is unchanged"


def test_the_printed_day_sheet_carries_whats_on_at_the_top(demo_data_dir, tmp_path, capsys):
    import subprocess
    import unicodedata

    import main

    common = ["--data-dir", str(demo_data_dir), "--today", TODAY.isoformat()]
    assert main.main(["news", "add", "--title", "Open house Saturday 12 Dec", "--from", "2026-11-20",
                      "--to", "2026-11-24", "--text", "coffee and 10 % off openers", *common]) == 0
    target = tmp_path / "sheet.pdf"
    assert main.main(["agenda", "--pdf", str(target), *common]) == 0
    text = subprocess.run(["pdftotext", str(target), "-"], capture_output=True, text=True, check=True).stdout
    first_page = " ".join(unicodedata.normalize("NFKC", text.split("\f")[0]).split())  # "ﬀ" ligatures → "ff"
    assert "What's on — tell them: Open house Saturday 12 Dec — coffee and 10 % off openers" in first_page
    assert first_page.index("What's on") < first_page.index("Customer · phone"), "in the header, above the calls"


def test_the_daily_thank_you_goal_is_a_setting_the_day_list_follows(qtbot, window):
    from gui.dialogs.settings_dialog import SettingsDialog

    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    spin = dialog.widgets["thank_you_notes_per_day"]
    dialog.tabs.setCurrentWidget(next(dialog.tabs.widget(i) for i in range(dialog.tabs.count())
                                      if dialog.tabs.widget(i).isAncestorOf(spin)))
    spin.setFocus()
    qtbot.keyClick(spin, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(spin, "2")
    assert dialog.save()
    assert window.services.queries.settings().thank_you_notes_per_day == 2
    qtbot.waitUntil(lambda: window.day_list.notes_progress.text() == "Notes 0 of 6")
