"""The application around the window: reminders without a tray, restoring a backup, --minimized."""

import datetime as dt

from PySide6.QtWidgets import QApplication

from core.actions import customers as customer_actions
from core.storage.backup_files import BackupReason
from core.storage.backups import back_up
from core.clock import FixedClock
from core.storage.enums import Reason
from core.storage.models import CallTask
from core.scheduling import replan_customers
from gui.app import Desk
from gui.dialogs.restore_dialog import RestoreDialog


def _desk(qtbot, context):
    desk = Desk(context, QApplication.instance())
    qtbot.addWidget(desk.window)
    return desk


def test_without_a_tray_reminders_appear_in_the_window(qtbot, demo_context):
    demo_context.clock = FixedClock(dt.datetime(2026, 11, 24, 9, 0))
    desk = _desk(qtbot, demo_context)
    desk.start()
    qtbot.waitUntil(lambda: desk.window.reminder_banner.isVisible())
    assert "calls today" in desk.window.reminder_banner.text.text()
    desk.watch.stop()
    assert desk.window.keep_running_in_tray is False, "no tray: closing the window quits"


def test_a_callback_reminder_opens_the_window_on_that_call(qtbot, demo_context):
    demo_context.clock = FixedClock(dt.datetime(2026, 11, 24, 14, 31))
    with demo_context.database().transaction() as session:
        task = CallTask(customer_id=5, reason=Reason.CALLBACK, due_on=dt.date(2026, 11, 24), due_time=dt.time(14, 30),
                        why="Asked to be called back", staff_id=1)
        session.add(task)
        session.flush()
        replan_customers(session, dt.date(2026, 11, 24), {5})  # as booking it through a log does
    desk = _desk(qtbot, demo_context)
    desk.start()
    desk.watch.stop()
    banner = desk.window.reminder_banner
    qtbot.waitUntil(banner.isVisible)
    assert "Call back" in banner.text.text() and "14:30" in banner.text.text()
    assert desk.window.services.queries.due_reminders() == [], "shown once, marked in the database"
    banner.open_button.click()
    assert desk.window.day_list.selected_call().task_id == task.id
    assert not banner.isVisible()


def test_restoring_a_backup_from_settings_reopens_the_window_on_it(qtbot, demo_context, monkeypatch):
    backup = back_up(demo_context.database(), BackupReason.MANUAL, demo_context.clock.now())
    desk = _desk(qtbot, demo_context)
    desk.start()
    desk.watch.stop()
    qtbot.waitUntil(lambda: not desk.opening.is_running())  # the day's first start: changes wait for its plan
    before = desk.window.services.queries.count_customers()
    customer_id = desk.window.customers.model.customer_id(0)
    desk.window.services.run(customer_actions.delete_customer, customer_id)
    assert desk.window.services.queries.count_customers() == before - 1

    def choose_the_backup(dialog):
        dialog.chosen = next(info for info in dialog.backups if info.path == backup)
        return 1

    monkeypatch.setattr(RestoreDialog, "exec", choose_the_backup)
    old_window = desk.window
    desk.window.restore_requested.emit()
    assert desk.window is not old_window
    assert desk.window.services.queries.count_customers() == before
    assert "Restored the backup" in desk.window.statusBar().currentMessage()
    desk.watch.stop()


def test_minimized_start_still_shows_the_window_where_there_is_no_tray(qtbot, demo_context):
    desk = _desk(qtbot, demo_context)
    desk.start(minimized=True)
    desk.watch.stop()
    assert desk.window.isVisible(), "without a tray, hiding the window would leave no way back"


def test_the_reminder_strip_is_one_line_with_a_real_icon(qtbot, demo_context):
    demo_context.clock = FixedClock(dt.datetime(2026, 11, 24, 9, 0))
    desk = _desk(qtbot, demo_context)
    desk.start()
    desk.watch.stop()
    banner = desk.window.reminder_banner
    qtbot.waitUntil(banner.isVisible)
    line = banner.fontMetrics().height()
    assert banner.height() <= 2.6 * line, f"{banner.height()} px for a {line} px line"
    assert banner.icon.pixmap() is not None and not banner.icon.pixmap().isNull()
    assert "🔔" not in "".join(label.text() for label in banner.findChildren(type(banner.icon)))
