"""The main window: layout, menus and wiring only.

Columns, left to right, in one horizontal splitter:
  the left column   a vertical splitter kept for the day's work (calendar, then the day list);
                    hidden while empty — `add_to_left_column(panel)` slots a panel in;
  customers         the customer list above the chosen customer's detail;
  script            what to say on the call, the courtesy checklist and call notes.
Panels never know each other: `_connect_signals` is the one place that wires them together
and to the service bridge; what the call in front of the owner means (script, notes, keys,
undo) lives in gui/call_desk.py. Window geometry and splitter positions are remembered, and
the window never opens larger than the screen's free area.

`platform` is sys.platform, passed in so tests can play macOS on any machine: there About goes
in the application menu (no Help menu left empty) and messages say "Cmd".
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QRect, QSettings, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow, QMessageBox, QSplitter, QVBoxLayout, QWidget

from core import APP_NAME, __version__
from core.dates import date_text
from core.storage.enums import Reason
from core.errors import CallAheadError
from core.services import ChangeSet
from core.scheduling.reminders import Reminder
from gui.panels.calendar_panel import CalendarPanel
from gui.panels.customer_detail import CustomerDetailPanel
from gui.panels.customers import CustomersPanel
from gui.call_desk import CallDesk
from gui.customer_desk import CustomerDesk
from gui.panels.day_list import DayListPanel, EmptyFix
from gui.panels.reminder_banner import ReminderBanner
from gui.panels.script_panel import ScriptPanel
from gui.dates import long_day
from gui.wording import count_of
from gui.platform_words import is_mac, shortcut_text
from gui.services import ServiceBridge

if TYPE_CHECKING:  # the dialogs and printing load when the owner opens them, not with the window
    from gui.dialogs.log_call_dialog import LogCallDialog
    from gui.dialogs.quote_dialog import QuoteDialog

STATE_VERSION = 2  # bump when the splitters' layout changes, so old saved positions are ignored
START_SIZE = QSize(1360, 860)  # the first start's size, shrunk to fit smaller screens


def fitted_size(wanted: QSize, available: QRect) -> QSize:
    """The window's size on a screen whose free area (without task bar or dock) is `available`."""
    return QSize(min(wanted.width(), available.width()), min(wanted.height(), available.height()))


class MainWindow(QMainWindow):
    restore_requested = Signal()  # Settings → Restore from backup (the application swaps the database)
    close_to_tray = Signal()  # the owner closed the window while a tray icon keeps the app running
    quit_requested = Signal()  # File → Quit (Cmd+Q): the application ends, tray icon and all
    demo_requested = Signal()  # the welcome's "Try the demo": the application opens the demo beside
    plan_again_requested = Signal()  # "Try again" after today's plan could not be made (the application runs it)

    def __init__(self, services: ServiceBridge, ui_settings: QSettings | None = None, *,
                 data_location: str = "", is_demo: bool = False, platform: str = sys.platform):
        super().__init__()
        self.setObjectName("MainWindow")
        self.services = services
        self.platform = platform
        self._ui_settings = ui_settings if ui_settings is not None else QSettings()
        self._data_location = data_location
        self._is_demo = is_demo

        self.keep_running_in_tray = False  # the application sets it when a tray icon is showing
        self._share_width_when_shown = False
        # What the first screen shows is read as one snapshot of the data, in one session: not a
        # session (and on SQLite a transaction begun and ended) for each panel's read.
        with services.queries.one_read():
            self._build_first_screen(services, platform)

    def _build_first_screen(self, services: ServiceBridge, platform: str) -> None:
        self.calendar = CalendarPanel()
        self.day_list = DayListPanel(services)
        self.reminder_banner = ReminderBanner()
        self.customers = CustomersPanel(services)
        self.detail = CustomerDetailPanel(services)
        self.script = ScriptPanel(services)
        self.left_column = QSplitter(Qt.Orientation.Vertical, objectName="leftColumn")
        self.left_column.setChildrenCollapsible(False)
        self.left_column.hide()
        self.customer_column = QSplitter(Qt.Orientation.Vertical, objectName="customerColumn")
        self.customer_column.addWidget(self.customers)
        self.customer_column.addWidget(self.detail)
        self.customer_column.setStretchFactor(0, 3)
        self.customer_column.setStretchFactor(1, 2)
        self.customer_column.setChildrenCollapsible(False)
        self.main_splitter = QSplitter(Qt.Orientation.Horizontal, objectName="mainSplitter")
        self.main_splitter.addWidget(self.left_column)
        self.main_splitter.addWidget(self.customer_column)
        self.main_splitter.addWidget(self.script)
        self.main_splitter.setStretchFactor(1, 3)
        self.main_splitter.setStretchFactor(2, 2)
        self.main_splitter.setChildrenCollapsible(False)
        # Minimum widths of their own: left to their content (a long name, a long question), the
        # minimums changed with each customer and the splitter moved the columns after every call.
        for column, width in ((self.customer_column, 300), (self.script, 240)):
            column.setMinimumWidth(width)
        self.main_splitter.setHandleWidth(6)
        central = QWidget()
        margins = QVBoxLayout(central)
        margins.setContentsMargins(6, 4, 6, 0)
        margins.addWidget(self.reminder_banner)
        margins.addWidget(self.main_splitter)
        self.setCentralWidget(central)
        self.status_label = QLabel(objectName="statusLabel")
        self.statusBar().addPermanentWidget(self.status_label)

        self.desk = CallDesk(services, self.day_list, self.script, self.detail, self.customers, window=self,
                             platform=platform)
        self.customer_desk = CustomerDesk(services, self.customers, self.detail, window=self, platform=platform)
        # Today chosen before the wiring: the month and the day's list are read once, below, not
        # again for the calendar's own signals.
        self.calendar.select_day(services.queries.today())
        self._build_actions()
        self._build_menus()
        self._connect_signals()
        self.resize(START_SIZE)
        self.main_splitter.setSizes([0, 830, 520])
        self.customer_column.setSizes([480, 380])
        self._restore_state()
        self.add_to_left_column(self.calendar, stretch=0)
        self.add_to_left_column(self.day_list, stretch=1)
        self.refresh_calendar()
        self.day_list.show_day(services.queries.today())
        # Its content's minimum, kept: as the day's title and count change it must not move the splitter.
        self.left_column.setMinimumWidth(self.left_column.minimumSizeHint().width())
        self._refresh_title()
        self.day_list.focus_calls()  # keys 1–5 work at once; typing goes to search only when asked

    # --- layout ------------------------------------------------------------------------------
    def add_to_left_column(self, panel: QWidget, stretch: int = 1) -> None:
        """Slot a panel (the calendar, then the day list) into the left column and show it."""
        self.left_column.addWidget(panel)
        self.left_column.setStretchFactor(self.left_column.count() - 1, stretch)
        if self.left_column.isHidden():
            self.left_column.show()
        restored = [self._restore_splitter(splitter) for splitter in self._splitters()]
        self._share_width_when_shown = not restored[0]

    def showEvent(self, event) -> None:  # noqa: N802 (Qt API)
        super().showEvent(event)
        if self._share_width_when_shown:
            self._share_width_when_shown = False
            # Shares of the width the window really got (not pixels fixed in advance: at 150 %
            # a 600 px left column squeezed the rest), once it is laid out.
            QTimer.singleShot(0, self._share_width)

    def _share_width(self) -> None:
        total = sum(self.main_splitter.sizes())
        left, script = round(total * 0.34), round(total * 0.28)
        self.main_splitter.setSizes([left, total - left - script, script])

    def _build_actions(self) -> None:
        self.new_customer_action = QAction("&New customer…", self, shortcut=QKeySequence.StandardKey.New)
        self.edit_customer_action = QAction("&Edit customer…", self, shortcut=QKeySequence("Ctrl+E"))
        self.delete_customer_action = QAction("&Delete customer…", self)
        self.find_action = QAction("&Find customer", self, shortcut=QKeySequence.StandardKey.Find)
        self.undo_action = QAction("&Undo", self, shortcut=QKeySequence.StandardKey.Undo, enabled=False)
        self.settings_action = QAction("&Settings…", self, shortcut=QKeySequence("Ctrl+,"),
                                       menuRole=QAction.MenuRole.PreferencesRole)
        self.scripts_action = QAction("Edit call &scripts…", self)
        self.quit_action = QAction("&Quit", self, menuRole=QAction.MenuRole.QuitRole)
        # Windows has no standard Quit keys: Ctrl+Q there too (Cmd+Q on a Mac, where Qt maps Ctrl to Cmd).
        self.quit_action.setShortcuts(QKeySequence.keyBindings(QKeySequence.StandardKey.Quit)
                                      or [QKeySequence("Ctrl+Q")])
        self.print_action = QAction("&Print today's calls…", self, shortcut=QKeySequence.StandardKey.Print)
        self.import_action = QAction("&Import customers or purchases…", self, shortcut=QKeySequence("Ctrl+I"))
        self.export_customers_action = QAction("Customers (CSV)…", self)
        self.export_calls_action = QAction("Call history (CSV)…", self)
        self.export_ics_action = QAction("Planned calls (calendar .ics)…", self)
        self.announce_action = QAction("&Announce a change…", self, shortcut=QKeySequence("Ctrl+Shift+A"))
        self.thanks_action = QAction("T&hank-you note…", self, shortcut=QKeySequence("Ctrl+Shift+T"))
        self.review_action = QAction("Weekly &review…", self, shortcut=QKeySequence("Ctrl+Shift+R"))
        self.news_action = QAction("What's &on (news for the calls)…", self, shortcut=QKeySequence("Ctrl+Shift+O"))
        self.changes_action = QAction("&Changes…", self)
        self.free_minutes_action = QAction("&10 free minutes", self, shortcut=QKeySequence("Ctrl+T"))
        self.today_action = QAction("Go to &today", self, shortcut=QKeySequence("Ctrl+Home"))
        self.about_action = QAction(f"&About {APP_NAME}", self, menuRole=QAction.MenuRole.AboutRole)
        for action in (self.edit_customer_action, self.delete_customer_action):
            action.setEnabled(False)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        file_menu.addAction(self.new_customer_action)
        file_menu.addAction(self.import_action)
        export_menu = file_menu.addMenu("&Export")
        for action in (self.export_customers_action, self.export_calls_action, self.export_ics_action):
            export_menu.addAction(action)
        file_menu.addSeparator()
        file_menu.addAction(self.print_action)
        file_menu.addSeparator()
        file_menu.addAction(self.settings_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)
        edit_menu = self.menuBar().addMenu("&Edit")
        edit_menu.addAction(self.undo_action)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_action)
        calls_menu = self.menuBar().addMenu("C&alls")
        calls_menu.addAction(self.today_action)
        calls_menu.addAction(self.free_minutes_action)
        calls_menu.addSeparator()
        calls_menu.addAction(self.announce_action)
        calls_menu.addSeparator()
        for action in (self.thanks_action, self.review_action, self.news_action):
            calls_menu.addAction(action)
        calls_menu.addAction(self.changes_action)
        customer_menu = self.menuBar().addMenu("&Customer")
        customer_menu.addAction(self.new_customer_action)
        customer_menu.addAction(self.edit_customer_action)
        customer_menu.addAction(self.delete_customer_action)
        scripts_menu = self.menuBar().addMenu("&Scripts")
        scripts_menu.addAction(self.scripts_action)
        if is_mac(self.platform):
            # Qt moves About into the application menu: a Help menu holding only it would stay empty.
            file_menu.addAction(self.about_action)
        else:
            help_menu = self.menuBar().addMenu("&Help")
            help_menu.addAction(self.about_action)

    # --- wiring: the one place ----------------------------------------------------------------
    def _connect_signals(self) -> None:
        # Edit/Delete act on the customer shown: the call in front's, or the one the owner chose,
        # whether or not the customer list has loaded that row.
        self.detail.customer_shown.connect(self._customer_shown)
        self.customers.add_requested.connect(self.customer_desk.add)
        self.customers.import_requested.connect(self.import_data)
        self.customers.edit_requested.connect(self.customer_desk.edit)
        self.customers.delete_requested.connect(self.customer_desk.delete)
        self.detail.edit_requested.connect(self.customer_desk.edit)
        self.script.edit_script_requested.connect(self.edit_scripts)
        self.calendar.day_chosen.connect(self.day_list.show_day)
        self.calendar.month_shown.connect(lambda _first, _last: self.refresh_calendar())
        self.day_list.free_minutes_changed.connect(self.script.set_free_minutes)
        self.day_list.unplanned_call_requested.connect(lambda: self._with_shown(self.log_call_for_no_reason))
        self.detail.log_call_requested.connect(self.log_call_for_no_reason)
        self.customers.log_call_requested.connect(self.log_call_for_no_reason)
        self.detail.quote_requested.connect(self.edit_quote)
        self.script.quote_requested.connect(lambda customer_id: self.edit_quote(customer_id, None))
        self.day_list.fix_requested.connect(self._fix_empty_day)
        self.day_list.plan_again_requested.connect(self.plan_again_requested)
        self.reminder_banner.open_requested.connect(self.open_reminder)
        self.desk.status_message.connect(self.statusBar().showMessage)
        self.desk.problem.connect(lambda text: QMessageBox.warning(self, APP_NAME, text))
        self.customer_desk.status_message.connect(self.statusBar().showMessage)
        self.customer_desk.problem.connect(lambda text: QMessageBox.warning(self, APP_NAME, text))

        # One change set after each action: the call desk first (the day's list decides the call
        # in front, then the script and detail follow it), then the customer list and the window.
        self.services.changed.connect(self.desk.refresh)
        self.services.changed.connect(self.customers.on_changes)
        self.services.changed.connect(self._on_changes)
        self.services.undo_available.connect(self._undo_available)

        self.new_customer_action.triggered.connect(self.customer_desk.add)
        self.edit_customer_action.triggered.connect(lambda: self._with_shown(self.customer_desk.edit))
        self.delete_customer_action.triggered.connect(lambda: self._with_shown(self.customer_desk.delete))
        self.find_action.triggered.connect(self.customers.focus_search)
        self.undo_action.triggered.connect(self.desk.undo)
        self.settings_action.triggered.connect(self.open_settings)
        self.scripts_action.triggered.connect(lambda: self.edit_scripts(self.script.reason()))
        self.quit_action.triggered.connect(self.quit)
        self.print_action.triggered.connect(self.print_day)
        self.import_action.triggered.connect(self.import_data)
        self.export_customers_action.triggered.connect(lambda: self.export_data("customers"))
        self.export_calls_action.triggered.connect(lambda: self.export_data("calls"))
        self.export_ics_action.triggered.connect(lambda: self.export_data("ics"))
        self.announce_action.triggered.connect(self.announce_change)
        self.changes_action.triggered.connect(self.review_changes)
        self.thanks_action.triggered.connect(self.open_thanks)
        self.review_action.triggered.connect(self.open_review)
        self.news_action.triggered.connect(self.open_news)
        self.free_minutes_action.triggered.connect(self.day_list.toggle_free_minutes)
        self.today_action.triggered.connect(self.show_today)
        self.about_action.triggered.connect(self._show_about)

    # --- what the owner asks for -----------------------------------------------------------------
    def _with_shown(self, slot) -> None:
        """Act on the customer the detail panel shows (the day's call or the list's choice)."""
        if self.detail.customer_id is not None:
            slot(self.detail.customer_id)

    def _customer_shown(self, customer_id: int | None) -> None:
        self.edit_customer_action.setEnabled(customer_id is not None)
        self.delete_customer_action.setEnabled(customer_id is not None)

    def open_settings(self, callers: bool = False) -> None:
        from gui.dialogs.settings_dialog import SettingsDialog

        dialog = SettingsDialog(self.services, parent=self)
        dialog.restore_requested.connect(self.restore_requested)
        if callers:
            dialog.tabs.setCurrentIndex(1)
        dialog.exec()

    def _fix_empty_day(self, fix: EmptyFix) -> None:
        {EmptyFix.CALLERS: lambda: self.open_settings(callers=True), EmptyFix.CUSTOMERS: self.import_data,
         EmptyFix.CHANGE: self.announce_change}[fix]()

    def edit_scripts(self, reason: Reason | None = None) -> None:
        from gui.dialogs.script_editor import ScriptEditorDialog

        ScriptEditorDialog(self.services, reason or Reason.CHANGE_HEADS_UP,
                           customer_id=self.customers.current_customer_id(), parent=self).exec()

    # --- the day's calls ----------------------------------------------------------------------
    def refresh_calendar(self) -> None:
        first, last = self.calendar.visible_range()
        self.calendar.set_loads(self.services.queries.calendar_load(first, last))

    def hold_todays_lists(self, banner: str | None, because: str | None = None, *, can_retry: bool = False) -> None:
        """While today's plan is being made on a worker (or could not be made): the day's list
        says so, and no call is logged and no list printed against it. None: the list is ready."""
        self.day_list.hold_for_plan(banner, because, can_retry=can_retry)
        self.print_action.setEnabled(banner is None)
        self.print_action.setStatusTip((because or "") if banner is not None else "")  # said where the menu is hovered

    def show_today(self) -> None:
        self.calendar.select_day(self.services.queries.today())

    def log_call_dialog(self, customer_id: int) -> LogCallDialog:
        from gui.dialogs.log_call_dialog import LogCallDialog

        names = {member.name: member.id for member in self.services.queries.staff()}
        detail = self.detail.shown_detail(customer_id)
        caller = self.day_list.staff_id() or names.get(self.script.caller()) \
            or names.get(detail.assigned_staff if detail else None)
        # The dialog has notes of its own: the notes box belongs to the planned call in front.
        return LogCallDialog(self.services, customer_id, staff_id=caller, parent=self)

    def log_call_for_no_reason(self, customer_id: int) -> None:
        dialog = self.log_call_dialog(customer_id)
        if dialog.exec() and dialog.result_ is not None:
            undo = shortcut_text("Ctrl+Z", self.platform)
            self.statusBar().showMessage(f"{dialog.result_.message}  ({undo} to undo)", 10_000)

    def quote_dialog(self, customer_id: int, quote=None) -> QuoteDialog:
        from gui.dialogs.quote_dialog import QuoteDialog

        return QuoteDialog(self.services, customer_id, quote, parent=self)

    def edit_quote(self, customer_id: int, quote=None) -> None:
        dialog = self.quote_dialog(customer_id, quote)
        if dialog.exec() and dialog.saved is not None:
            follow = ", ".join(date_text(day, "%a %d %b") for day in dialog.saved.follow_ups)
            self.statusBar().showMessage(f"Quote saved{'; follow-up calls on ' + follow if follow else ''}.", 10_000)

    def show_call(self, task_id: int) -> None:
        """Bring a call forward: today's list with that call selected (reminders use this)."""
        self.calendar.select_day(self.services.queries.today())
        self.day_list.select_call(task_id)

    def show_reminder(self, reminder: Reminder) -> None:
        self.reminder_banner.show_reminder(reminder)

    def open_reminder(self, reminder: Reminder) -> None:
        self.bring_to_front()
        if reminder.task_id is not None:
            self.show_call(reminder.task_id)

    def bring_to_front(self) -> None:
        self.showNormal() if self.isMinimized() else self.show()
        self.raise_()
        self.activateWindow()

    def announce_change(self) -> None:
        from gui.dialogs.announce_dialog import AnnounceDialog

        dialog = AnnounceDialog(self.services, parent=self)
        if dialog.exec() and dialog.created_plan is not None:
            plan = dialog.created_plan
            first = plan.window_first or self.services.queries.today()
            self.calendar.select_day(first)
            undo = shortcut_text("Ctrl+Z", self.platform)
            self.statusBar().showMessage(f"Planned {count_of(len(plan.steps), 'step')} for {count_of(len(plan.affected), 'customer')}. "
                                         f"{plan.feasibility.verdict} Edit → Undo ({undo}) takes it back.", 12_000)

    def welcome_if_new(self) -> None:
        """A business with no customers and nobody to call them: the short welcome first."""
        from gui.dialogs.welcome_dialog import WelcomeChoice, WelcomeDialog

        queries = self.services.queries
        if queries.count_customers() or queries.callers():
            return
        dialog = WelcomeDialog(self.services, parent=self)
        dialog.exec()
        if dialog.choice is WelcomeChoice.IMPORT:
            self.import_data()
        elif dialog.choice is WelcomeChoice.DEMO:
            self.demo_requested.emit()

    def review_changes(self) -> None:
        from gui.dialogs.changes_dialog import ChangesDialog

        ChangesDialog(self.services, parent=self).exec()

    def habit_dialog(self, dialog_class, **options):
        """A thank-you, review or news dialog over this window's data; what it changes is broadcast."""
        # The habits (and their dialogs) load when the owner first opens one, not at start.
        from core.habits.services import HabitsServices
        from gui.dialogs.thanks_dialog import ThanksDialog

        dialog = dialog_class(HabitsServices(self.services.queries.database, self.services.queries.clock),
                              parent=self, **options)
        if hasattr(dialog, "changed"):
            dialog.changed.connect(self.services.announce)
        if isinstance(dialog, ThanksDialog):
            dialog.changed.connect(lambda _changes: self.day_list.reload())  # its notes count toward the day
        return dialog

    def open_habit(self, dialog_class, **options) -> None:
        self.habit_dialog(dialog_class, **options).exec()

    def open_thanks(self) -> None:
        from gui.dialogs.thanks_dialog import ThanksDialog  # loaded when first opened (see habit_dialog)

        self.open_habit(ThanksDialog, staff_id=self.day_list.staff_id())

    def open_news(self) -> None:
        from gui.dialogs.news_dialog import NewsDialog  # loaded when first opened (see habit_dialog)

        self.open_habit(NewsDialog)

    def open_review(self) -> None:
        from gui.dialogs.review_window import ReviewWindow  # it prints: Qt's printing loads with it, not at start

        self.open_habit(ReviewWindow)

    def import_data(self) -> None:
        from gui.dialogs.import_wizard import ImportWizard

        wizard = ImportWizard(self.services, parent=self)
        if wizard.exec() and wizard.report is not None:
            self.statusBar().showMessage(f"Imported {Path(wizard.report.plan.source_name).name}.", 10_000)

    def export_data(self, kind: str) -> None:
        names = {"customers": ("customers.csv", "CSV (*.csv)"), "calls": ("call-history.csv", "CSV (*.csv)"),
                 "ics": ("planned-calls.ics", "Calendar (*.ics)")}
        default, pattern = names[kind]
        path, _filter = QFileDialog.getSaveFileName(self, "Export", str(Path.home() / default), pattern)
        if path:
            result = self._act(lambda: self.services.queries.export(kind, Path(path)))
            if result is not None:
                self.statusBar().showMessage(f"Wrote {result.rows} rows to {path}.", 10_000)

    def print_day(self) -> None:
        """Print preview of the chosen day's list for the chosen caller (all callers: a sheet each)."""
        from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog

        from core.reports.day_sheets import sheets_html
        from gui.printing import configure_printer, default_page_size, print_html

        sheets = self.services.queries.day_sheets(self.day_list.day(), self.day_list.staff_id())
        self._printer = configure_printer(QPrinter(QPrinter.PrinterMode.HighResolution),
                                          default_page_size(self.services.queries.settings().phone_region))
        preview = QPrintPreviewDialog(self._printer, self)
        preview.setWindowTitle(f"Print calls for {long_day(self.day_list.day(), with_year=False)}")
        html = sheets_html(sheets)
        preview.paintRequested.connect(lambda printer: print_html(html, printer))
        preview.exec()

    def quit(self) -> None:
        """File → Quit: the window closes for good and the application is asked to end."""
        self.keep_running_in_tray = False
        self.close()
        self.quit_requested.emit()

    def fit_to_screen(self) -> None:
        """Never larger than the screen's free area (a laptop at 150 % has about 1280 × 672)."""
        screen = self.screen()
        if screen is None:
            return
        available = screen.availableGeometry()
        size = fitted_size(self.size(), available)
        if size != self.size():
            self.resize(size)
        frame = self.frameGeometry()
        if not available.contains(frame):
            self.move(max(available.left(), min(frame.left(), available.right() - frame.width())),
                      max(available.top(), min(frame.top(), available.bottom() - frame.height())))

    def _act(self, action):
        """Run an action; an expected problem becomes a message, never a crash."""
        try:
            return action()
        except CallAheadError as error:
            QMessageBox.warning(self, APP_NAME, str(error))
            return None

    def _undo_available(self, description: str) -> None:
        self.undo_action.setEnabled(bool(description))
        self.undo_action.setText(f"&{description}" if description else "&Undo")

    def _on_changes(self, changes: ChangeSet) -> None:
        if changes.settings or changes.customer_list:
            self._refresh_title()
        if changes.tasks or changes.settings or changes.staff:
            self.refresh_calendar()

    def _refresh_title(self) -> None:
        overview = self.services.queries.overview()
        demo = " (demo)" if self._is_demo else ""
        self.setWindowTitle(f"{APP_NAME} — {overview.business_name}{demo}")
        self.status_label.setText(f"{count_of(overview.customers, 'customer')} · {count_of(overview.open_quotes, 'open quote')}"
                                  + (f" · data: {self._data_location}" if self._data_location else ""))

    def _show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"{APP_NAME} {__version__}\nCall your customers before they have a reason to call you.")

    # --- remembering the layout ---------------------------------------------------------------------
    def _splitters(self) -> list[QSplitter]:
        return [self.main_splitter, self.customer_column, self.left_column]

    def _key(self, name: str) -> str:
        return f"mainWindow/v{STATE_VERSION}/{name}"

    def _splitter_key(self, splitter: QSplitter) -> str:
        # Keyed by how many panels the window holds: positions saved for fewer panels do not fit more.
        return self._key(f"{splitter.objectName()}/{splitter.count()}-{self.left_column.count()}")

    def _restore_splitter(self, splitter: QSplitter) -> bool:
        state = self._ui_settings.value(self._splitter_key(splitter))
        if isinstance(state, QByteArray) and not state.isEmpty():
            return splitter.restoreState(state)
        return False

    def _restore_state(self) -> None:
        geometry = self._ui_settings.value(self._key("geometry"))
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        self.fit_to_screen()
        for splitter in self._splitters():
            self._restore_splitter(splitter)

    def save_state(self) -> None:
        self._ui_settings.setValue(self._key("geometry"), self.saveGeometry())
        for splitter in self._splitters():
            self._ui_settings.setValue(self._splitter_key(splitter), splitter.saveState())
        self._ui_settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        self.save_state()
        if self.keep_running_in_tray:
            event.ignore()
            self.hide()
            self.close_to_tray.emit()
            return
        super().closeEvent(event)
