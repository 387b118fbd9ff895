"""A newcomer's first start, timed: an empty data folder, the welcome, one caller, a 20-row
import, and the first call is on today's list — no restart. Dialogs are driven like a person
would: typed into, clicked (their modal exec is replaced by the same steps on a shown dialog)."""

import datetime as dt
import time

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWizard

from core.context import AppContext
from gui.app import Desk
from gui.dialogs.import_wizard import ImportWizard
from gui.dialogs.welcome_dialog import WelcomeDialog

TODAY = dt.date(2026, 11, 24)


def _customers_file(folder):
    """A point-of-sale export of 20 customers, each last seen some months ago."""
    rows = ["Reference ID,First Name,Last Name,Email Address,Phone Number,Company Name,City,State,"
            "First Visit,Last Visit,Transaction Count,Lifetime Spend"]
    for i in range(20):
        rows.append(f",Ann{i},Smith{i},ann{i}@example.com,(503) 555-{1000 + i:04d},,Portland,OR,"
                    f"2024-0{1 + i % 9}-11,2026-0{1 + i % 9}-15,{3 + i},\"${400 + i * 37}.00\"")
    path = folder / "customers.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_newcomer_reaches_a_first_planned_call_without_a_restart(qtbot, tmp_path, monkeypatch, capsys):
    export = _customers_file(tmp_path)
    welcomed = []

    def welcome_like_a_person(dialog):
        qtbot.addWidget(dialog)
        dialog.show()
        welcomed.append(dialog)
        qtbot.keyClicks(dialog.business_name, "Ann's Doors")
        qtbot.keyClicks(dialog.caller_names[0], "Ann")
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    def import_like_a_person(wizard):
        qtbot.addWidget(wizard)
        wizard.show()
        wizard.choose_file(export)
        wizard.button(QWizard.WizardButton.NextButton).click()
        wizard.button(QWizard.WizardButton.NextButton).click()
        qtbot.waitUntil(lambda: wizard.preview_page.isComplete(), timeout=10_000)
        wizard.button(QWizard.WizardButton.CommitButton).click()
        qtbot.waitUntil(lambda: wizard.currentPage() is wizard.summary_page, timeout=20_000)
        wizard.button(QWizard.WizardButton.FinishButton).click()
        qtbot.waitUntil(lambda: not wizard.isVisible(), timeout=10_000)
        return wizard.result()

    monkeypatch.setattr(WelcomeDialog, "exec", welcome_like_a_person)
    monkeypatch.setattr(ImportWizard, "exec", import_like_a_person)
    started = time.perf_counter()
    context = AppContext.build(data_dir=str(tmp_path / "new-business"), today=TODAY)
    try:
        desk = Desk(context, QApplication.instance())
        qtbot.addWidget(desk.window)
        window = desk.window
        assert "Nobody makes calls yet" in window.day_list.empty_label.text()
        assert window.day_list.empty_button.text() == "Add callers…"
        desk.start()
        desk.watch.stop()
        qtbot.waitUntil(lambda: window.day_list.selected_call() is not None, timeout=15_000)
        elapsed = time.perf_counter() - started
        first = window.day_list.selected_call()
        assert welcomed and "Ann's Doors" in window.windowTitle()
        assert first.customer.startswith("Ann") and first.staff == "Ann"
        assert window.script.call_task_id() == first.task_id, "the script is on the first call"
        with capsys.disabled():
            print(f"\nnewcomer: empty folder -> welcome -> one caller -> 20-row import -> first call in "
                  f"{elapsed:.2f} s ({window.day_list.model.rowCount()} calls on today's list)")
    finally:
        context.close()


def test_try_the_demo_opens_it_beside_the_empty_business(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QProcess

    started = []
    monkeypatch.setattr(QProcess, "startDetached", lambda program, arguments: started.append(arguments) or True)

    def choose_the_demo(dialog):
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.mouseClick(dialog.demo_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(WelcomeDialog, "exec", choose_the_demo)
    context = AppContext.build(data_dir=str(tmp_path / "new-business"), today=TODAY)
    try:
        desk = Desk(context, QApplication.instance())
        qtbot.addWidget(desk.window)
        desk.window.welcome_if_new()
        assert started and started[0][-3:] == ["--data-dir", str(context.data_dir), "--demo"]
        assert desk.window.services.queries.count_customers() == 0, "the owner's own data stays empty"
    finally:
        context.close()


def test_a_new_business_offers_a_callback_from_tomorrow_not_the_year_2000(qtbot, tmp_path, ui_settings):
    from gui.app import build_main_window

    context = AppContext.build(data_dir=str(tmp_path / "new-business"), today=TODAY)
    try:
        window = build_main_window(context, ui_settings)
        qtbot.addWidget(window)
        assert window.day_list.follow_up_at.date().toPython() == TODAY + dt.timedelta(days=1)
    finally:
        context.close()
