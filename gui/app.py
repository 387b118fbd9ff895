"""The Qt application: opens the data (with a dialog if it cannot), builds the one adapter from
core's services to Qt signals (gui/services.py) and shows the main window over it."""

from __future__ import annotations

import sys

from PySide6.QtCore import QSettings, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from core import APP_NAME, __version__
from core.context import AppContext
from core.demo import ensure_demo_business
from core.errors import CallAheadError
from core.resources import resource_path
from core.services import Services
from gui.main_window import MainWindow
from gui.services import ServiceBridge


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv or sys.argv[:1])
    app.setApplicationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setOrganizationName(APP_NAME)
    icon = resource_path("icons", "callahead.svg")
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    return app


def open_business(context: AppContext) -> str | None:
    """Open (and for --demo, create) the business; return a message for the owner if it fails."""
    try:
        context.database()
        if context.is_demo:
            ensure_demo_business(context)
    except CallAheadError as error:
        return str(error)
    return None


def build_main_window(context: AppContext, ui_settings: QSettings | None = None) -> MainWindow:
    """The window over an opened business, with the one bridge from core's services to Qt signals."""
    services = ServiceBridge(Services(context.database(), context.clock))
    services.prepare()
    window = MainWindow(services, ui_settings, data_location=str(context.data_dir), is_demo=context.is_demo)
    services.setParent(window)
    return window


def run_gui(context: AppContext, smoke_test: bool = False) -> int:
    app = application()
    problem = open_business(context)
    if problem:
        print(f"callahead: {problem}", file=sys.stderr)
        if not smoke_test:
            QMessageBox.critical(None, f"{APP_NAME} cannot open its data", problem)
        return 1
    window = build_main_window(context)
    window.show()
    if smoke_test:
        # Quit from inside the loop: proves the loop ran and the window was shown.
        QTimer.singleShot(0, app.quit)
    return app.exec()
