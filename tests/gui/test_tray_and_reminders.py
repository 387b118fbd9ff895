"""The tray works offscreen without a tray host (falls back), and the reminder timer is thin."""

import datetime as dt

from PySide6.QtGui import QIcon

from core.scheduling.reminders import Reminder
from gui.reminder_watch import MAX_SLEEP, ReminderWatch
from gui.tray import TrayController

NOW = dt.datetime(2026, 11, 24, 9, 0)
REMINDER = Reminder("start_of_day:2026-11-24", "start_of_day", NOW, "10 calls today", "10 calls today")


def test_without_a_tray_host_reminders_fall_back_to_the_window(qapp):
    tray = TrayController(QIcon())
    tray.show()
    assert TrayController.available() is False
    assert tray.show_reminder(REMINDER) is False


def test_the_tray_menu_offers_open_today_print_and_quit(qapp):
    tray = TrayController(QIcon())
    tray.set_today_count(7, 3)
    texts = [action.text() for action in tray.menu.actions() if not action.isSeparator()]
    assert texts == ["Open CallAhead", "Today's calls (7 to make, 3 done)", "Print today's list…", "Quit"]


def test_menu_actions_emit_requests(qtbot):
    tray = TrayController(QIcon())
    with qtbot.waitSignal(tray.print_requested):
        tray.print_action.trigger()
    with qtbot.waitSignal(tray.quit_requested):
        tray.quit_action.trigger()


def test_due_reminders_are_emitted_once_and_marked_shown(qtbot):
    pending = [REMINDER]
    marked = []
    watch = ReminderWatch(due=lambda: [r for r in pending if r not in marked], mark_shown=marked.extend,
                          next_time=lambda: None, now=lambda: NOW)
    seen = []
    watch.reminder_due.connect(seen.append)
    watch.start()
    watch.check_now()
    assert seen == [REMINDER] and marked == [REMINDER]
    watch.stop()


def test_the_watch_sleeps_until_the_next_reminder_but_never_more_than_a_minute(qtbot):
    watch = ReminderWatch(due=list, mark_shown=lambda r: None, next_time=lambda: NOW + dt.timedelta(seconds=20),
                          now=lambda: NOW)
    watch.start()
    assert watch.interval_ms() == 20_000
    far = ReminderWatch(due=list, mark_shown=lambda r: None, next_time=lambda: NOW + dt.timedelta(hours=5),
                        now=lambda: NOW)
    far.start()
    assert far.interval_ms() == MAX_SLEEP.total_seconds() * 1000
    watch.stop()
    far.stop()
