"""Quit, the Dock, the menu-bar icon and reminders as Windows and macOS owners meet them,
simulated on any machine: a tray reported present, `platform="darwin"`."""

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QSystemTrayIcon

from core.clock import FixedClock
from core.resources import resource_path
from gui.app import Desk, build_main_window
from gui.tray import TrayController


# Showing a tray icon on the offscreen platform, which has no tray to put it in.
pytestmark = pytest.mark.qt_log_ignore("No such signal QPlatformNativeInterface::systemTrayWindowChanged")


@pytest.fixture
def tray_present(monkeypatch, qapp):
    """A desktop with a tray (always so on Windows and macOS)."""
    monkeypatch.setattr(TrayController, "available", staticmethod(lambda: True))
    monkeypatch.setattr(qapp, "windowIcon", lambda: QIcon(str(resource_path("icons", "callahead.svg"))))
    quits = []
    monkeypatch.setattr(QApplication, "quit", lambda *args: quits.append(True))
    was = qapp.quitOnLastWindowClosed()
    yield quits
    qapp.setQuitOnLastWindowClosed(was)


def _desk(qtbot, context, platform="win32"):
    desk = Desk(context, QApplication.instance(), platform=platform)
    qtbot.addWidget(desk.window)
    desk.window.destroyed.connect(desk.deleteLater)  # a Desk lives as long as the app
    desk.start()
    qtbot.waitUntil(lambda: not desk.opening.is_running())  # the day's backup and morning pass are done
    desk.watch.stop()
    desk.window.activateWindow()
    qtbot.waitUntil(desk.window.isActiveWindow)
    return desk


@pytest.mark.parametrize("how", ["menu", "keys", "tray"])
def test_quit_ends_the_app_while_a_tray_icon_keeps_it_alive(qtbot, demo_context, tray_present, how):
    desk = _desk(qtbot, demo_context)
    assert desk.window.keep_running_in_tray, "closing the window alone keeps the app in the tray"
    if how == "menu":
        desk.window.quit_action.trigger()
    elif how == "keys":
        QTest.keySequence(desk.window, "Ctrl+Q")
    else:
        desk.tray.quit_action.trigger()
    assert tray_present, "the application was asked to quit"
    assert not desk.window.isVisible()
    assert not desk.tray.icon.isVisible(), "the tray icon goes with it"
    assert QApplication.instance().quitOnLastWindowClosed()


def test_closing_the_window_with_a_tray_only_hides_it(qtbot, demo_context, tray_present):
    desk = _desk(qtbot, demo_context)
    desk.window.close()
    assert not desk.window.isVisible() and not tray_present


def test_macos_dock_click_shows_the_hidden_window(qtbot, demo_context, tray_present):
    desk = _desk(qtbot, demo_context, platform="darwin")
    desk.window.close()
    assert desk.window.isHidden()
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    qtbot.waitUntil(desk.window.isVisible)


def test_on_other_systems_activation_alone_does_not_pop_the_window(qtbot, demo_context, tray_present):
    desk = _desk(qtbot, demo_context, platform="win32")
    desk.window.close()
    QApplication.instance().applicationStateChanged.emit(Qt.ApplicationState.ApplicationActive)
    assert desk.window.isHidden()


@pytest.mark.parametrize("platform, opens", [("darwin", False), ("win32", True), ("linux", True)])
def test_a_trigger_opens_the_window_except_on_macos_where_it_opens_the_menu(qtbot, platform, opens):
    tray = TrayController(QIcon(), platform=platform)
    opened = []
    tray.open_requested.connect(lambda: opened.append(True))
    tray.icon.activated.emit(QSystemTrayIcon.ActivationReason.Trigger)
    assert bool(opened) is opens


def test_the_macos_menu_bar_icon_is_a_monochrome_mask(qtbot, qapp):
    assert TrayController(qapp.windowIcon(), platform="darwin").icon.icon().isMask()
    assert not TrayController(qapp.windowIcon(), platform="win32").icon.icon().isMask()


def test_macos_reminders_stay_until_dismissed_and_show_in_the_window_too(qtbot, demo_context, tray_present,
                                                                          monkeypatch):
    shown = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, *args: shown.append(args))
    monkeypatch.setattr(QSystemTrayIcon, "isVisible", lambda self: True)
    demo_context.clock = FixedClock(dt.datetime(2026, 11, 24, 9, 0))
    desk = Desk(demo_context, QApplication.instance(), platform="darwin")
    qtbot.addWidget(desk.window)
    desk.window.destroyed.connect(desk.deleteLater)
    desk.start()
    qtbot.waitUntil(lambda: bool(shown))  # once today's list is made
    desk.watch.stop()
    assert shown and shown[0][-1] == 0, "timeout 0: Notification Center keeps it"
    assert desk.window.reminder_banner.isVisible(), "and the window shows it as well"


def test_windows_reminders_time_out_in_the_tray_alone(qtbot, demo_context, tray_present, monkeypatch):
    shown = []
    monkeypatch.setattr(QSystemTrayIcon, "showMessage", lambda self, *args: shown.append(args))
    monkeypatch.setattr(QSystemTrayIcon, "isVisible", lambda self: True)
    demo_context.clock = FixedClock(dt.datetime(2026, 11, 24, 9, 0))
    desk = Desk(demo_context, QApplication.instance(), platform="win32")
    qtbot.addWidget(desk.window)
    desk.window.destroyed.connect(desk.deleteLater)
    desk.start()
    qtbot.waitUntil(lambda: bool(shown))  # once today's list is made
    desk.watch.stop()
    assert shown and shown[0][-1] > 0
    assert not desk.window.reminder_banner.isVisible()


def test_macos_messages_say_cmd_and_about_lives_in_the_app_menu(qtbot, demo_context, ui_settings):
    window = build_main_window(demo_context, ui_settings, platform="darwin")
    qtbot.addWidget(window)
    window.show()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    titles = [action.text() for action in window.menuBar().actions()]
    assert "&Help" not in titles, "no Help menu left empty once About moves to the app menu"
    assert window.about_action.menuRole().name == "AboutRole"
    assert any(window.about_action in action.menu().actions() for action in window.menuBar().actions()
               if action.menu())
    window.day_list.focus_calls()
    QTest.keyClick(window.day_list.table, Qt.Key.Key_2)
    assert "Cmd+Z to undo" in window.statusBar().currentMessage()


def test_elsewhere_about_is_in_the_help_menu_and_messages_say_ctrl(qtbot, window):
    assert "&Help" in [action.text() for action in window.menuBar().actions()]
    QTest.keyClick(window.day_list.table, Qt.Key.Key_2)
    assert "Ctrl+Z to undo" in window.statusBar().currentMessage()


def test_a_quit_asked_by_the_system_is_not_refused_by_the_tray(qtbot, demo_context, tray_present):
    """The Dock's Quit (or logging out) sends the application a Quit event: the window closes."""
    from PySide6.QtCore import QEvent

    desk = _desk(qtbot, demo_context, platform="darwin")
    # The event as the application's event filters see it first (a real Quit event would end
    # this test session's application).
    assert desk.eventFilter(QApplication.instance(), QEvent(QEvent.Type.Quit)) is False, "the quit goes on"
    assert not desk.window.keep_running_in_tray
    desk.window.close()
    assert not desk.window.isVisible(), "so the window closes instead of hiding in the tray"
