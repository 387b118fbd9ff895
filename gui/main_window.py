"""The main window: layout, menus and wiring only."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QLabel, QMainWindow, QMessageBox, QVBoxLayout, QWidget

from core import APP_NAME, __version__
from core.context import AppContext
from core.overview import business_overview


class MainWindow(QMainWindow):
    def __init__(self, context: AppContext):
        super().__init__()
        self._context = context
        self.setObjectName("MainWindow")
        self.resize(1200, 800)
        self.overview_label = QLabel()
        self.overview_label.setObjectName("overview")
        self.overview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.overview_label.setWordWrap(True)
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.addWidget(self.overview_label)
        self.setCentralWidget(central)
        self._build_menus()
        self.refresh()

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        quit_action = QAction("&Quit", self, shortcut=QKeySequence.StandardKey.Quit, triggered=self.close)
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        help_menu.addAction(QAction("&About CallAhead", self, triggered=self._show_about))

    def refresh(self) -> None:
        with self._context.database().session() as session:
            overview = business_overview(session, self._context.clock.today())
        demo = " (demo)" if self._context.is_demo else ""
        self.setWindowTitle(f"{APP_NAME} — {overview.business_name}{demo}")
        if overview.customers == 0:
            self.overview_label.setText(
                "<h2>No customers yet</h2><p>Import them from your point-of-sale or add one to get started.</p>")
        else:
            changes = "".join(
                f"<li>{c.title} — from {c.effective_on:%d %b %Y}</li>" for c in overview.upcoming_changes)
            self.overview_label.setText(
                f"<h2>{overview.business_name}</h2>"
                f"<p>{overview.customers:,} customers · {overview.open_quotes} open quotes · "
                f"{len(overview.active_staff)} callers</p>"
                + (f"<p><b>Coming up</b></p><ul>{changes}</ul>" if changes else ""))
        self.statusBar().showMessage(f"Data: {self._context.data_dir}")

    def _show_about(self) -> None:
        QMessageBox.about(self, f"About {APP_NAME}",
                          f"{APP_NAME} {__version__}\nCall your customers before they have a reason to call you.")
