"""In the window: quotes and reward stamps from the customer's detail, a call for no reason, and the
script's listening voice — all through real clicks and key presses."""

import datetime as dt

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from sqlalchemy import select

from core.actions import quotes as quote_actions
from core.storage.enums import Outcome, QuoteStatus, Reason, TaskStatus
from core.labels import REASON_LABELS
from core.storage.models import CallTask
from core.customers.quotes import QuoteInput
from core.scheduling import BusinessCalendar, quote_hit_ratio
from gui.dialogs.log_call_dialog import LogCallDialog
from gui.dialogs.quote_dialog import QuoteDialog
from gui.models.customer_table import Column

CLICK = Qt.MouseButton.LeftButton


def choose_customer(qtbot, window, row=0):
    table = window.customers.table
    qtbot.mouseClick(table.viewport(), CLICK, pos=table.visualRect(window.customers.model.index(row, Column.NAME)).center())
    customer_id = window.customers.current_customer_id()
    qtbot.waitUntil(lambda: window.detail.customer_id == customer_id)
    return customer_id


def click_radio(qtbot, radio):
    """On its round button: a radio button answers clicks on its button and label, not its whole width."""
    qtbot.mouseClick(radio, CLICK, pos=QPoint(6, radio.height() // 2))


def open_tab(qtbot, tabs, index):
    qtbot.mouseClick(tabs.tabBar(), CLICK, pos=tabs.tabBar().tabRect(index).center())
    assert tabs.currentIndex() == index


def click_item(qtbot, tree, row):
    qtbot.mouseClick(tree.viewport(), CLICK, pos=tree.visualItemRect(tree.topLevelItem(row)).center())


def pending(services, customer_id, reason):
    with services.queries.database.session() as session:
        return session.scalars(select(CallTask).where(
            CallTask.customer_id == customer_id, CallTask.reason == reason,
            CallTask.status == TaskStatus.PENDING).order_by(CallTask.due_on)).all()


def hit_ratio(services):
    with services.queries.database.session() as session:
        return {name: (won, decided) for name, won, decided, _share in quote_hit_ratio(session)}


def test_a_quote_added_from_the_detail_is_followed_up_until_it_is_marked_won(qtbot, window, services, monkeypatch):
    customer_id = choose_customer(qtbot, window)
    before = hit_ratio(services).get("Dave Chen", (0, 0))
    open_quotes_before = len(services.queries.quotes(customer_id, open_only=True))

    def owner_at_the_dialog(dialog):
        qtbot.keyClicks(dialog.what, "Second garage door")
        qtbot.keyClicks(dialog.amount, "1,850")
        qtbot.keyClicks(dialog.staff, "Dave")
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(QuoteDialog, "exec", owner_at_the_dialog)
    open_tab(qtbot, window.detail.tabs, 2)
    qtbot.mouseClick(window.detail.add_quote_button, CLICK)

    today = services.queries.today()
    calendar = BusinessCalendar.from_settings(services.queries.settings())
    [added] = [q for q in services.queries.quotes(customer_id, open_only=True) if q.what == "Second garage door"]
    assert (added.amount_cents, added.sent, added.staff) == (185000, today, "Dave Chen")
    assert added.follow_ups == (calendar.open_on_or_after(today + dt.timedelta(days=3)),
                                calendar.open_on_or_after(today + dt.timedelta(days=7)))
    tree = window.detail.quotes
    assert tree.topLevelItemCount() == open_quotes_before + 1
    row = next(r for r in range(tree.topLevelItemCount()) if tree.topLevelItem(r).text(1) == "Second garage door")

    click_item(qtbot, tree, row)
    qtbot.mouseClick(window.detail.won_button, CLICK)
    assert [q.quote_id for q in services.queries.quotes(customer_id, open_only=True)].count(added.quote_id) == 0
    assert all(tree.topLevelItem(r).text(1) != "Second garage door" for r in range(tree.topLevelItemCount()))
    assert [t for t in pending(services, customer_id, Reason.QUOTE) if t.quote_id == added.quote_id] == []
    [decided] = [q for q in services.queries.quotes(customer_id) if q.quote_id == added.quote_id]
    assert decided.status is QuoteStatus.WON
    assert hit_ratio(services)["Dave Chen"] == (before[0] + 1, before[1] + 1)

    QTest.keySequence(window, "Ctrl+Z")  # a slip of the mouse: Edit → Undo reopens it
    [reopened] = [q for q in services.queries.quotes(customer_id) if q.quote_id == added.quote_id]
    assert (reopened.status, reopened.decided_on, reopened.follow_ups) == (QuoteStatus.OPEN, None, added.follow_ups)
    assert any(tree.topLevelItem(r).text(1) == "Second garage door" for r in range(tree.topLevelItemCount()))


def test_a_quote_with_a_bad_amount_is_refused_in_the_dialog(qtbot, window, services, monkeypatch):
    customer_id = choose_customer(qtbot, window)
    seen = []

    def owner_at_the_dialog(dialog):
        qtbot.keyClicks(dialog.what, "Opener")
        qtbot.keyClicks(dialog.amount, "a lot")
        qtbot.mouseClick(dialog.save_button, CLICK)
        seen.append((dialog.isVisible(), dialog.error_label.text()))
        return 0

    monkeypatch.setattr(QuoteDialog, "exec", owner_at_the_dialog)
    before = len(services.queries.quotes(customer_id))
    qtbot.mouseClick(window.script.quote_button, CLICK)  # from the call's script
    assert seen and "'a lot' is not an amount" in seen[0][1]
    assert len(services.queries.quotes(customer_id)) == before


def test_stamps_from_the_detail_bring_a_one_stamp_short_call(qtbot, window, services):
    customer_id = choose_customer(qtbot, window, row=1)
    open_tab(qtbot, window.detail.tabs, 2)
    detail = window.detail
    for _ in range(12):
        card = services.queries.customer_detail(customer_id).reward_card
        if card is not None and card.stamps_to_go == 1:
            break
        if card is not None and card.stamps_to_go == 0:
            qtbot.mouseClick(detail.redeem_button, CLICK)
        else:
            qtbot.mouseClick(detail.stamp_button, CLICK)
    assert services.queries.customer_detail(customer_id).reward_card.stamps_to_go == 1
    assert "one stamp short of a reward" in detail.rewards_label.text()
    [call] = pending(services, customer_id, Reason.REWARDS)
    assert call.due_on >= services.queries.today()
    history = [detail.history.topLevelItem(r).text(1) for r in range(detail.history.topLevelItemCount())]
    assert REASON_LABELS[Reason.REWARDS] in history, "the planned call shows in the customer's history"

    qtbot.mouseClick(detail.stamp_button, CLICK)
    assert pending(services, customer_id, Reason.REWARDS) == [], "a full card is no longer one short"
    assert detail.redeem_button.isEnabled() and not detail.stamp_button.isEnabled()

    QTest.keySequence(window, "Ctrl+Z")  # the stamp was a slip: the card and its call come back
    assert services.queries.customer_detail(customer_id).reward_card.stamps_to_go == 1
    assert [t.id for t in pending(services, customer_id, Reason.REWARDS)] == [call.id]
    assert "one stamp short of a reward" in detail.rewards_label.text()


@pytest.mark.parametrize("platform, undo_keys", [("linux", "Ctrl+Z"), ("darwin", "Cmd+Z")])
def test_a_call_for_no_reason_shows_in_the_history_and_the_days_progress(qtbot, window, services, monkeypatch,
                                                                          platform, undo_keys):
    window.platform = platform  # a Mac's keyboard says Cmd
    customer_id = choose_customer(qtbot, window)
    done_before = int(window.day_list.progress_text().split(" of ")[0])

    def owner_at_the_dialog(dialog):
        click_radio(qtbot, dialog.outcome_buttons[Outcome.VOICEMAIL])
        assert dialog.outcome() is Outcome.VOICEMAIL
        click_radio(qtbot, dialog.outcome_buttons[Outcome.REACHED])
        assert dialog.outcome() is Outcome.REACHED
        qtbot.keyClicks(dialog.caller, "Maria")
        dialog.notes.clear()
        qtbot.keyClicks(dialog.notes, "Just checking the door is OK")
        qtbot.mouseClick(dialog.log_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(LogCallDialog, "exec", owner_at_the_dialog)
    qtbot.mouseClick(window.detail.log_call_button, CLICK)

    history = window.detail.history
    [logged] = [history.topLevelItem(r) for r in range(history.topLevelItemCount())
                if "Just checking the door is OK" in history.topLevelItem(r).text(4)]
    assert (logged.text(1), logged.text(2), logged.text(3)) == ("Call for no reason", "Reached", "Maria Lopez")
    assert logged.text(0).startswith("24 Nov")
    qtbot.waitUntil(lambda: int(window.day_list.progress_text().split(" of ")[0]) == done_before + 1)
    [row] = services.queries.customer_rows([customer_id])
    assert row.last_contact == services.queries.today()
    assert f"({undo_keys} to undo)" in window.statusBar().currentMessage()


def test_the_customer_list_and_the_free_minutes_list_offer_log_a_call(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(LogCallDialog, "exec", lambda dialog: opened.append(dialog.customer_id) or 0)
    customer_id = choose_customer(qtbot, window, row=2)
    qtbot.mouseClick(window.customers.log_call_button, CLICK)
    assert opened == [customer_id]

    assert not window.day_list.unplanned_button.isVisible()
    qtbot.mouseClick(window.day_list.free_minutes_button, CLICK)
    assert window.day_list.unplanned_button.isVisible()
    qtbot.mouseClick(window.day_list.unplanned_button, CLICK)
    assert opened[1:] == [window.detail.customer_id]


def test_the_script_panel_listens_and_opens_the_free_minutes_call_with_its_line(qtbot, window):
    choose_customer(qtbot, window)
    panel = window.script
    assert panel.listen_label.isVisible() and panel.listen_label.text() == "Listen — you're not selling anything."
    assert "ten free minutes" not in panel.body_view.toPlainText()
    qtbot.mouseClick(window.day_list.free_minutes_button, CLICK)
    qtbot.waitUntil(lambda: "I just got ten free minutes, so I thought I'd call to see how everything is going with"
                    in panel.body_view.toPlainText())
    assert panel.listen_label.isVisible()
    qtbot.mouseClick(window.day_list.free_minutes_button, CLICK)
    qtbot.waitUntil(lambda: "ten free minutes" not in panel.body_view.toPlainText())


def test_the_import_wizard_imports_quotes_with_their_flags_and_once_only(qtbot, window, services, tmp_path):
    from PySide6.QtWidgets import QWizard

    from gui.dialogs.import_wizard import ImportWizard

    customer = services.queries.customer_detail(choose_customer(qtbot, window))
    path = tmp_path / "quotes.csv"
    path.write_text(f"Phone,What,Amount,Sent,Status,Sent by\n{customer.main_phone.e164},Carport door,2400,2026-11-20,"
                    "open,Nobody\n+15035550000,Gate,10,2026-11-20,open,\n", encoding="utf-8")

    def run_wizard():
        wizard = ImportWizard(window.services, parent=window)
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.keyClicks(wizard.file_page.path_edit, str(path))
        click_radio(qtbot, wizard.file_page.quotes_radio)
        assert wizard.file_page.kind().value == "quotes"
        wizard.button(QWizard.WizardButton.NextButton).click()
        wizard.button(QWizard.WizardButton.NextButton).click()
        qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10_000)
        issues = [wizard.preview_page.issues.item(i).text() for i in range(wizard.preview_page.issues.count())]
        summary = wizard.preview_page.summary.text()
        wizard.button(QWizard.WizardButton.CommitButton).click()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=20_000)
        created = wizard.summary_page.count("Created")
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
        return summary, issues, created

    summary, issues, created = run_wizard()
    assert created == 1, "the summary page counts the quote created"
    assert "<b>1</b> new quotes" in summary
    assert issues == ["Line 3: rejected — no stored customer has this phone +15035550000 (import the customers first)",
                      "Line 2: flagged — no caller is called Nobody; stored without a sender"]
    [quote] = [q for q in services.queries.quotes(customer.id) if q.what == "Carport door"]
    assert quote.follow_ups, "its follow-up calls are planned by the import"
    summary, _, created_again = run_wizard()
    assert "<b>0</b> new quotes" in summary and "1 already imported" in summary
    assert len([q for q in services.queries.quotes(customer.id) if q.what == "Carport door"]) == 1


def test_a_quote_follow_up_logged_with_quote_won_decides_the_quote(qtbot, window, services):
    from core.storage.enums import ResultTag
    from gui.models.day_list_model import DayColumn

    day_list = window.day_list
    rows = [r for r in range(day_list.model.rowCount()) if day_list.model.call(r).reason is Reason.QUOTE]
    assert rows, "the demo has quote follow-ups today"
    call = day_list.model.call(rows[0])
    table = day_list.table
    qtbot.mouseClick(table.viewport(), CLICK, pos=table.visualRect(day_list.model.index(rows[0], DayColumn.CUSTOMER))
                     .center())
    assert day_list.selected_call().task_id == call.task_id
    box = day_list.tag_boxes[ResultTag.QUOTE_WON]
    qtbot.mouseClick(box, CLICK, pos=QPoint(6, box.height() // 2))
    assert box.isChecked()
    table.setFocus()
    QTest.keyClick(table, Qt.Key.Key_1)
    qtbot.waitUntil(lambda: "marked won" in window.statusBar().currentMessage())
    with services.queries.database.session() as session:
        quote_id = session.get(CallTask, call.task_id).quote_id
    [quote] = [q for q in services.queries.quotes(call.customer_id) if q.quote_id == quote_id]
    assert quote.status is QuoteStatus.WON and quote.decided_on == services.queries.today()
    assert quote.follow_ups == (), "its other follow-ups are cancelled"


def test_the_import_wizard_sets_reward_cards_and_a_second_import_changes_nothing(qtbot, window, services, tmp_path):
    from PySide6.QtWidgets import QWizard

    from gui.dialogs.import_wizard import ImportWizard

    customer = services.queries.customer_detail(choose_customer(qtbot, window, row=3))
    path = tmp_path / "cards.csv"
    path.write_text(f"Phone,Stamps,Stamps needed\n{customer.main_phone.e164},7,8\n{customer.main_phone.e164},9,8\n",
                    encoding="utf-8")

    def run_wizard():
        wizard = ImportWizard(window.services, parent=window)
        qtbot.addWidget(wizard)
        wizard.show()
        qtbot.keyClicks(wizard.file_page.path_edit, str(path))
        click_radio(qtbot, wizard.file_page.rewards_radio)
        wizard.button(QWizard.WizardButton.NextButton).click()
        wizard.button(QWizard.WizardButton.NextButton).click()
        qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10_000)
        issues = [wizard.preview_page.issues.item(i).text() for i in range(wizard.preview_page.issues.count())]
        summary = wizard.preview_page.summary.text()
        wizard.button(QWizard.WizardButton.CommitButton).click()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=20_000)
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
        return summary, issues

    summary, issues = run_wizard()
    assert issues == ["Line 3: rejected — 9 stamps do not fit on a card of 8"]
    card = services.queries.customer_detail(customer.id).reward_card
    assert (card.stamps, card.stamps_needed) == (7, 8)
    assert [t.customer_id for t in pending(services, customer.id, Reason.REWARDS)] == [customer.id]
    qtbot.waitUntil(lambda: "one stamp short of a reward" in window.detail.rewards_label.text())
    summary, _ = run_wizard()
    assert "<b>0</b> new cards, 0 updated, 1 unchanged" in summary


def test_editing_a_quote_from_the_detail_keeps_its_details_and_saves_the_change(qtbot, window, services,
                                                                                  monkeypatch):
    customer_id = choose_customer(qtbot, window)
    quote = window.services.run(quote_actions.add_quote, customer_id, QuoteInput("Opener", 38950, services.queries.today()))
    seen = []

    def owner_at_the_dialog(dialog):
        seen.append((dialog.what.text(), dialog.amount.text()))
        dialog.amount.selectAll()
        qtbot.keyClicks(dialog.amount, "412")
        qtbot.mouseClick(dialog.save_button, CLICK)
        return dialog.result()

    monkeypatch.setattr(QuoteDialog, "exec", owner_at_the_dialog)
    open_tab(qtbot, window.detail.tabs, 2)
    tree = window.detail.quotes
    row = next(r for r in range(tree.topLevelItemCount()) if tree.topLevelItem(r).text(1) == "Opener")
    click_item(qtbot, tree, row)
    qtbot.mouseClick(window.detail.edit_quote_button, CLICK)
    assert seen == [("Opener", "389.50")]
    [edited] = [q for q in services.queries.quotes(customer_id) if q.quote_id == quote.quote_id]
    assert (edited.what, edited.amount_cents, edited.follow_ups) == ("Opener", 41200, quote.follow_ups)
