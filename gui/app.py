"""The Qt application: one window per data folder, the tray and reminders, and opening the data.

`run_gui` checks no other CallAhead holds the data folder (a second launch brings the first
forward and exits), opens the business (offering the latest good backup if the file is
damaged), then hands over to `Desk`, which owns the window, the tray icon and the reminder
timer for the life of the app.

The window shows at once on the stored plan. The day's backup and the morning pass (on a new
day's first start: standing rules, the whole plan, today's lists fixed) run on worker threads
(gui/day_opening.py); meanwhile the day list says "Planning today's calls…" and nothing logs or
prints against today's list, and reminders wait for it. A quit meanwhile waits for them, saying
so. `--smoke-test` waits for them too and exits 1 if either failed.

Quit (the window's File → Quit, Cmd+Q, the tray's Quit) ends the app even while a tray icon
keeps it alive otherwise. On macOS (`platform`, a parameter so tests can play it) clicking the
Dock icon brings a hidden window back, and a reminder shows in the window too, since
Notification Center may hold it out of sight.
"""

from __future__ import annotations

import gc
import sys
from pathlib import Path

# The core the window reads through loads before Qt, on purpose: once PySide6 is imported it
# hooks every later import and reads each new module's source text to see whether it uses Qt
# (shiboken's feature check), tens of milliseconds of a launch from source for a hundred core
# modules that never do. (An installed bundle has no sources to read.)
from core import APP_NAME, __version__
from core.actions import OwnerAction
from core.actions import day as day_actions
from core.machine.autostart import Autostart
from core.storage.backups import daily_backup, restore_backup, seconds_until_daily_backup_check, sqlite_file_of
from core.context import AppContext
from core.errors import CallAheadError
from core.storage.integrity import DatabaseDamaged
from core.storage.paths import network_folder_warning
from core.resources import resource_path
from core.services import ChangeSet, Services
from core.storage.problems import explain_os_error

import shiboken6
from PySide6.QtCore import QEvent, QLocale, QObject, QProcess, QSettings, Qt, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from gui.change_feed import ChangeFeed
from gui.dates import window_locale
from gui.day_opening import LISTS_HELD, PLANNING_TODAY, DayOpening
from gui.main_window import MainWindow
from gui.reminder_watch import ReminderWatch
from gui.services import ServiceBridge
from gui.single_instance import SingleInstance, bring_to_front
from gui.tray import TrayController

TOLD_ABOUT_TRAY = "tray/toldAboutClosing"
WINDOW_ON_SCREEN = "CallAhead: the window is on screen"  # --smoke-test says it on standard output


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    QLocale.setDefault(window_locale())
    icon = resource_path("icons", "callahead.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def open_business(context: AppContext, interactive: bool = True) -> str | None:
    """Open (and for --demo, create) the business; return a message for the owner if it fails."""
    try:
        try:
            context.database()
        except DatabaseDamaged as damaged:
            database_file = sqlite_file_of(context.database_url)
            if not interactive or database_file is None:
                return str(damaged)
            from gui.dialogs.damaged_dialog import offer_recovery  # loaded for a damaged file only

            if offer_recovery(database_file, damaged, context.clock.now()) is None:
                return str(damaged)
            context.close()
            context.database()
        if context.is_demo:
            from core.demo import ensure_demo_business  # the demo maker loads for --demo only

            ensure_demo_business(context)
    except CallAheadError as error:
        return str(error)
    except OSError as error:  # a folder or file CallAhead may not touch: say which, and how to fix it
        return str(explain_os_error(error, context.data_dir, "open its data folder"))
    return None


def days_backup(context: AppContext) -> Path | None:
    """The day's backup (at start on a worker thread: copying a big file takes seconds)."""
    try:
        return daily_backup(context.database(), context.clock.now())
    except OSError as error:  # a folder or file CallAhead may not touch: say which, and how to fix it
        raise explain_os_error(error, context.data_dir, "make today's backup") from error


def demo_command(data_dir: Path) -> tuple[str, list[str]]:
    """How to start CallAhead on the demo beside the business in `data_dir` (the demo lives in
    its own subfolder there): the bundle's own executable, or this Python on main.py."""
    arguments = ["--data-dir", str(data_dir), "--demo"]
    if getattr(sys, "frozen", False):
        return sys.executable, arguments
    return sys.executable, [str(Path(__file__).resolve().parents[1] / "main.py"), *arguments]


def build_main_window(context: AppContext, ui_settings: QSettings | None = None,
                      platform: str = sys.platform, *, prepare: bool = True) -> MainWindow:
    """The window over an opened business, with the one bridge from core's services to Qt signals
    and the feed that brings in what other processes write. `prepare`: the morning pass first, on
    this thread; the app's start leaves it to a worker (DayOpening) and opens on the stored plan."""
    services = ServiceBridge(Services(context.database(), context.clock, machine=context.machine))
    feed = ChangeFeed(services)  # watches from before the window's first read
    if prepare:
        services.prepare()
    window = MainWindow(services, ui_settings, data_location=str(context.data_dir), is_demo=context.is_demo,
                        platform=platform)
    services.setParent(window)
    feed.setParent(window)
    window.change_feed = feed
    feed.start()
    return window


class Desk(QObject):
    """What lives as long as the app: the window (rebuilt after a restore), the tray, reminders,
    and the day's opening (backup and morning pass on workers, from `start`).

    `morning_pass`: the owner action that opens the day (a test may wrap it to hold it midway).
    `interactive`: failures at start are shown in dialogs too (not for --smoke-test)."""

    def __init__(self, context: AppContext, app: QApplication, instance: SingleInstance | None = None,
                 platform: str = sys.platform, *, morning_pass: OwnerAction = day_actions.open_the_day,
                 interactive: bool = True):
        super().__init__(app)
        self.context = context
        self.app = app
        self.platform = platform
        self.interactive = interactive
        self._morning_pass = morning_pass
        self.opening: DayOpening | None = None
        self.closing_notice: QMessageBox | None = None  # "closing once today's plan is saved"
        self._print_when_planned = False
        self._told_planned = False  # this start made today's plan: the status line says so
        self.tray = TrayController(app.windowIcon(), self, platform=platform)
        self.window: MainWindow | None = None
        self.watch: ReminderWatch | None = None
        self.tray.open_requested.connect(self.show_window)
        self.tray.print_requested.connect(self.print_today)
        self.tray.quit_requested.connect(self.quit)
        self.tray.reminder_clicked.connect(lambda reminder: self.window and self.window.open_reminder(reminder))
        if instance is not None:
            instance.activation_requested.connect(self.show_window)
        # A window left open in the tray across midnight still makes the new day's backup.
        self.daily_backup_timer = QTimer(self, singleShot=True)
        self.daily_backup_timer.timeout.connect(self._check_daily_backup)
        if platform == "darwin":
            app.applicationStateChanged.connect(self._application_state_changed)
        # The system asks the app to quit (the Dock's Quit, logging out): the window must not
        # answer by hiding in the tray, or the quit is refused. Such a request comes through the
        # event loop, so the filter goes in at the loop's first turn: installed before the window
        # was built, every event of building it passed through Python (~40 ms of the start).
        QTimer.singleShot(0, self._watch_for_quit)
        self._build_window()

    def _build_window(self) -> None:
        self.window = build_main_window(self.context, platform=self.platform, prepare=False)
        window = self.window
        tray_here = self.tray.available()
        window.keep_running_in_tray = tray_here
        self.app.setQuitOnLastWindowClosed(not tray_here)
        window.close_to_tray.connect(self._closed_to_tray)
        window.quit_requested.connect(self.quit)
        window.demo_requested.connect(self.open_demo)
        window.restore_requested.connect(self.restore)
        window.services.changed.connect(self._on_changes)
        queries = window.services.queries
        self.watch = ReminderWatch(due=queries.due_reminders, mark_shown=queries.mark_reminders_shown,
                                   next_time=queries.next_reminder_time, now=self.context.clock.now, parent=window)
        self.watch.reminder_due.connect(self._remind)
        self._update_tray_count()
        self.opening = DayOpening(window.services, lambda: days_backup(self.context), self._morning_pass, parent=window)
        self.opening.plan_ready.connect(self._day_planned)
        self.opening.plan_failed.connect(self._day_not_planned)
        self.opening.backup_failed.connect(self._backup_failed)
        window.plan_again_requested.connect(self._plan_again)
        # A later start the same day finds today's lists made and fixed: they stay as shown.
        self._lists_to_make = not window.services.queries.today_is_prepared()
        if self._lists_to_make:
            window.hold_todays_lists(PLANNING_TODAY, LISTS_HELD)

    def start(self, minimized: bool = False, welcome: bool = True) -> None:
        wanted = self.window.services.queries.machine_settings().start_at_login
        Autostart.for_context(self.context).refresh_at_start(wanted)
        self.tray.show()
        if not (minimized and self.tray.available()):
            self.window.show()
            if welcome:
                # Once the window is on screen and the day opened: the welcome saves the business's
                # name and callers, and no change is made while the morning pass writes.
                self.opening.finished.connect(self.window.welcome_if_new, Qt.ConnectionType.SingleShotConnection)
        self._open_the_day()
        self._schedule_daily_backup_check()

    def _open_the_day(self) -> None:
        self.opening.start(hold_lists=self._lists_to_make)
        if self._lists_to_make:
            # Reminders are about today's list (and marking one shown writes): once it is made
            # (after "Try again" if the pass failed).
            self.opening.plan_ready.connect(lambda _changes: self.watch.start(), Qt.ConnectionType.SingleShotConnection)
        else:
            self.watch.start()

    def _day_planned(self, _changes: ChangeSet) -> None:
        if self._lists_to_make:
            self._lists_to_make = False
            self._told_planned = True
            self.window.hold_todays_lists(None)
        self._tell_how_the_day_opened()
        if self._print_when_planned:
            self._print_when_planned = False
            self.print_today()

    def _day_not_planned(self, problem: str) -> None:
        text = f"Today's plan could not be made: {problem}"
        self._tell_how_the_day_opened()
        if self._lists_to_make:  # the list shown is not today's yet: nothing is logged against it
            self.window.hold_todays_lists(text, "Today's plan could not be made: logging and printing wait "
                                                "until it is (Try again above the list).", can_retry=True)
        self._print_when_planned = False
        if self.interactive:
            QMessageBox.warning(self.window, f"{APP_NAME}: today's plan", text)

    def _tell_how_the_day_opened(self) -> None:
        """One status line for both jobs, so one's news never hides the other's failure."""
        failures = self.opening.failures()
        news = (["Today's calls are planned."] if self._told_planned else []) + failures
        if news:
            self.window.statusBar().showMessage(" ".join(news), 0 if failures else 10_000)

    def _plan_again(self) -> None:
        self.window.hold_todays_lists(PLANNING_TODAY, LISTS_HELD)
        self.window.statusBar().showMessage(PLANNING_TODAY)
        self.opening.retry_plan()

    def _backup_failed(self, problem: str) -> None:
        text = f"Today's backup could not be made: {problem}"
        self._tell_how_the_day_opened()
        if self.interactive:
            QMessageBox.warning(self.window, f"{APP_NAME}: today's backup", text)

    def _schedule_daily_backup_check(self) -> None:
        self.daily_backup_timer.start(int(seconds_until_daily_backup_check(self.context.clock.now()) * 1000))

    def _check_daily_backup(self) -> None:
        try:
            daily_backup(self.context.database(), self.context.clock.now())
        except CallAheadError as error:
            self.window.statusBar().showMessage(f"Today's backup could not be made: {error}")
        self._schedule_daily_backup_check()

    def open_demo(self) -> bool:
        """The demo business in its own window and data folder, beside the owner's (still empty) one."""
        program, arguments = demo_command(self.context.data_dir)
        return QProcess.startDetached(program, arguments)

    def show_window(self) -> None:
        if self.window is not None:
            bring_to_front(self.window)

    def print_today(self) -> None:
        self.show_window()
        self.window.show_today()
        if self.opening is not None and self.opening.planning() and self._lists_to_make:
            self._print_when_planned = True  # printing fixes today's lists: the ones being made
            self.window.statusBar().showMessage("Today's list prints as soon as its calls are planned…")
            return
        if not self.window.print_action.isEnabled():
            self.window.statusBar().showMessage(self.window.print_action.statusTip(), 10_000)
            return
        self.window.print_day()

    def quit(self) -> None:
        """End the app: the window closes for good, the tray icon goes, the event loop ends."""
        if self.watch is not None:
            self.watch.stop()
        if self.window is not None and self.window.isVisible():
            self.window.quit()  # it asks again through quit_requested: closed by then, nothing more to do
            return
        if self.opening is not None and self.opening.is_running():
            self._quit_once_opened()
            return
        self.app.setQuitOnLastWindowClosed(True)
        self.tray.dispose()
        self.app.quit()

    def _watch_for_quit(self) -> None:
        self.app.installEventFilter(self)

    def _quit_once_opened(self) -> None:
        """Quit asked while the day's backup or morning pass runs: neither is cut off halfway; the
        owner is told the app closes once they are saved."""
        if self.closing_notice is not None:
            return
        notice = QMessageBox(QMessageBox.Icon.Information, APP_NAME,
                             "Saving today's plan and backup: CallAhead closes as soon as they are done…",
                             QMessageBox.StandardButton.NoButton)
        notice.setObjectName("closingNotice")
        notice.show()
        self.closing_notice = notice
        self.opening.finished.connect(self._opened_now_quit, Qt.ConnectionType.SingleShotConnection)

    def _opened_now_quit(self) -> None:
        self.closing_notice.close()
        self.closing_notice.deleteLater()
        self.closing_notice = None
        self.quit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        if event.type() == QEvent.Type.Quit and watched is self.app and self.window is not None \
                and shiboken6.isValid(self.window):
            self.window.keep_running_in_tray = False
            if self.opening is not None and self.opening.is_running():  # the last window closed, a logout...
                self.window.hide()
                self._quit_once_opened()
                return True
        return super().eventFilter(watched, event)

    def _application_state_changed(self, state: Qt.ApplicationState) -> None:
        # macOS: clicking the Dock icon activates the app but shows no window by itself.
        if (state == Qt.ApplicationState.ApplicationActive and self.window is not None
                and shiboken6.isValid(self.window) and self.window.isHidden()):
            self.show_window()

    def _remind(self, reminder) -> None:
        shown_in_tray = self.tray.show_reminder(reminder)
        if not shown_in_tray or not self.tray.keeps_reminders:
            self.window.show_reminder(reminder)

    def _closed_to_tray(self) -> None:
        settings = QSettings()
        if not settings.value(TOLD_ABOUT_TRAY, False, type=bool):
            self.tray.icon.showMessage(APP_NAME, "CallAhead keeps running here and will remind you of your calls. "
                                                 "Use Quit in this menu to close it.")
            settings.setValue(TOLD_ABOUT_TRAY, True)

    def _on_changes(self, changes: ChangeSet) -> None:
        if changes.tasks or changes.staff:
            self._update_tray_count()
        if changes.settings:
            Autostart.for_context(self.context).apply(self.window.services.queries.machine_settings().start_at_login)

    def _update_tray_count(self) -> None:
        agenda = self.window.services.queries.agenda(self.context.clock.today())
        pending = len(agenda.pending())
        self.tray.set_today_count(pending, sum(member.done for member in agenda.staff))

    def restore(self) -> None:
        """Settings → Restore from backup: close the data, put the chosen backup in place, reopen."""
        from gui.dialogs.restore_dialog import RestoreDialog

        if self.opening is not None and self.opening.is_running():  # its workers use the database to replace
            self.window.statusBar().showMessage("Restoring once today's plan and backup are saved…")
            self.opening.wait()
        dialog = RestoreDialog(self.context.data_dir, parent=self.window)
        if not dialog.exec() or dialog.chosen is None:
            return
        database_file = sqlite_file_of(self.context.database_url)
        old = self.window
        self.watch.stop()
        old.change_feed.stop()  # its database is about to close
        old.keep_running_in_tray = False
        old.close()
        self.context.close()
        try:
            result = restore_backup(database_file, dialog.chosen.path, self.context.clock.now())
        except CallAheadError as error:
            QMessageBox.critical(None, f"{APP_NAME}: restore failed", str(error))
            result = None
        except OSError as error:
            QMessageBox.critical(None, f"{APP_NAME}: restore failed",
                                 str(explain_os_error(error, database_file, "restore the backup")))
            result = None
        self.context.database()
        self._build_window()
        self.window.show()
        self._open_the_day()  # the backup restored may be from before today's plan
        old.deleteLater()
        if result is not None:
            kept = f"; the previous file was kept as {result.set_aside.name}" if result.set_aside else ""
            self.window.statusBar().showMessage(f"Restored the backup{kept}.", 15_000)


def settle_after_start() -> None:
    """Once the window is on screen: what the start built lives as long as the app, so it is set
    aside from garbage collection for good, and collection (paused by main.py for the start)
    resumes for everything made from now on. Each later collection skips those objects, and so
    does the one at quit, which otherwise spent a third of a second going over them."""
    gc.freeze()
    gc.enable()


def run_gui(context: AppContext, smoke_test: bool = False, minimized: bool = False) -> int:
    app = application()
    instance = SingleInstance.for_data_dir(context.data_dir, parent=app)
    if not instance.is_primary():
        print(f"{APP_NAME} is already open on {context.data_dir}: brought its window to the front.",
              file=sys.stderr)
        return 0
    try:
        problem = open_business(context, interactive=not smoke_test)
        if problem:
            print(f"callahead: {problem}", file=sys.stderr)
            if not smoke_test:
                QMessageBox.critical(None, f"{APP_NAME} cannot open its data", problem)
            return 1
        warning = network_folder_warning(context.data_dir)
        if warning:
            print(f"callahead: {warning}", file=sys.stderr)
            if not smoke_test:
                QMessageBox.warning(None, f"{APP_NAME}: the data folder is on a network share", warning)
        try:
            desk = Desk(context, app, instance, interactive=not smoke_test)
        except CallAheadError as error:  # another CallAhead writing for longer than the window waits
            print(f"callahead: {error}", file=sys.stderr)
            if not smoke_test:
                QMessageBox.critical(None, f"{APP_NAME} cannot open its data", str(error))
            return 1
        desk.start(minimized=minimized and not smoke_test, welcome=not smoke_test)
        QTimer.singleShot(0, settle_after_start)
        if smoke_test:
            # Said once the loop has run with the window shown (benchmarks time the launch by it);
            # then quit from inside the loop once the day's backup and morning pass are done:
            # proves the loop ran, the window was shown and the whole start works.
            QTimer.singleShot(0, lambda: print(WINDOW_ON_SCREEN, flush=True))
            desk.opening.finished.connect(app.quit)
        code = app.exec()
        desk.opening.wait()  # however the loop ended, no transaction or copy is cut off halfway
        if smoke_test:
            for failure in desk.opening.failures():
                print(f"callahead: {failure}", file=sys.stderr)
            return 1 if desk.opening.failures() else code
        return code
    finally:
        instance.release()
        gc.enable()  # a start that ended early never reached settle_after_start
