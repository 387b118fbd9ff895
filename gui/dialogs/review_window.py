"""Calls → Weekly review: the team's week at a glance, for the weekly sit-down.

Per caller: a bar per day against their quota (click a bar for that day's calls), the
figures of the week as buttons (click one for what it counts), and a line on how the week
felt, kept with the week. Then the quote hit ratio over eight weeks (click a week for its
decided quotes) and the announced changes. Print… and Save as PDF… lay out the same page,
charts included.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtPrintSupport import QPrinter, QPrintPreviewDialog
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from core.dates import date_text
from core.errors import CallAheadError
from core.habits.services import HabitsServices
from core.habits.weekly_review import (
    CallerReview,
    ReviewFigure,
    ReviewLine,
    WeeklyReview,
    day_chart_url,
    hit_chart_url,
    percent,
    review_html,
    week_of,
)
from gui.charts import BarChart, parse_chart_url
from gui.printing import configure_printer, default_page_size, print_html, write_pdf

LINE_COLUMNS = ("When", "Caller", "Who", "What", "Notes")


class FigureButton(QPushButton):
    """A number that opens what it counts."""

    def __init__(self, label: str, figure: ReviewFigure, staff_id: int | None):
        super().__init__()
        self.label, self.figure, self.staff_id = label, figure, staff_id
        self.setFlat(True)
        self.setAutoDefault(False)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setObjectName(f"figure-{figure.value}-{staff_id}")
        self.setToolTip(f"Show what '{label}' counts")

    def set_value(self, value: str) -> None:
        self.setText(f"{self.label}\n{value}")


class CallerCard(QGroupBox):
    """One caller's week."""

    figure_clicked = Signal(object, object, object)  # figure, staff id, day (None: the week)
    reflection_edited = Signal(int, str)  # staff id, text

    def __init__(self, caller: CallerReview):
        super().__init__(caller.name)
        self.setObjectName(f"caller-{caller.staff_id}")
        self.caller = caller
        self.chart = BarChart(parse_chart_url(day_chart_url(caller)),
                              accessible_name=f"{caller.name}: calls per day against the quota")
        self.chart.bar_clicked.connect(
            lambda index: self.figure_clicked.emit(ReviewFigure.CALLS, caller.staff_id, caller.days[index].date))
        self.buttons: dict[ReviewFigure, FigureButton] = {}
        grid = QGridLayout()
        grid.setSpacing(2)
        figures = [
            (ReviewFigure.CALLS, "Calls", f"{caller.calls} of {caller.week_goal}"),
            (ReviewFigure.REACHED, "Reached", f"{caller.reached} ({percent(caller.reached_rate)})"),
            (ReviewFigure.ORDERS, "Orders", str(caller.orders)),
            (ReviewFigure.QUOTES_REQUESTED, "Quotes asked", str(caller.quotes_requested)),
            (ReviewFigure.REFERRALS, "Referrals", str(caller.referrals)),
            (ReviewFigure.COMPLAINTS, "Complaints", str(caller.complaints)),
            (ReviewFigure.THANK_YOU_NOTES, "Thank-you notes", str(caller.thank_you_notes)),
            (ReviewFigure.RESPONSES, "Responses", str(caller.responses)),
            (ReviewFigure.QUOTES_DECIDED, "Quote hit ratio",
             f"{percent(caller.quote_hit_ratio)} ({caller.quotes_won} of {caller.quotes_decided})"
             if caller.quotes_decided else "—"),
        ]
        for index, (figure, label, value) in enumerate(figures):
            button = FigureButton(label, figure, caller.staff_id)
            button.set_value(value)
            button.clicked.connect(lambda _checked=False, f=figure: self.figure_clicked.emit(f, caller.staff_id, None))
            self.buttons[figure] = button
            grid.addWidget(button, index // 5, index % 5)
        self.reflection_edit = QLineEdit(caller.reflection or "", objectName=f"reflection-{caller.staff_id}")
        self.reflection_edit.setPlaceholderText("How did the week feel? (a line for the team's conversation)")
        self.reflection_edit.editingFinished.connect(
            lambda: self.reflection_edited.emit(caller.staff_id, self.reflection_edit.text()))
        at_quota = QLabel(f"{caller.days_at_quota} day(s) at quota · red line: the quota · grey: closed")
        at_quota.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.chart)
        layout.addWidget(at_quota)
        layout.addLayout(grid)
        layout.addWidget(self.reflection_edit)


class ReviewWindow(QDialog):
    def __init__(self, habits: HabitsServices, day: dt.date | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("ReviewWindow")
        self.setWindowTitle("Weekly review")
        self.resize(1180, 860)
        self._habits = habits
        self._day = day or habits.today()
        self.review: WeeklyReview | None = None
        self.cards: dict[int, CallerCard] = {}
        self._printer: QPrinter | None = None
        self._build()
        self.show_week(self._day)

    # --- layout ------------------------------------------------------------------------------
    def _build(self) -> None:
        self.previous_button = QPushButton("◀ Previous week", objectName="reviewPrevious")
        self.next_button = QPushButton("Next week ▶", objectName="reviewNext")
        self.this_week_button = QPushButton("This week", objectName="reviewThisWeek")
        self.week_label = QLabel(objectName="reviewWeek")
        self.print_button = QPushButton("&Print…", objectName="reviewPrint")
        self.pdf_button = QPushButton("Save as P&DF…", objectName="reviewPdf")
        self.previous_button.clicked.connect(lambda: self.show_week(self._day - dt.timedelta(days=7)))
        self.next_button.clicked.connect(lambda: self.show_week(self._day + dt.timedelta(days=7)))
        self.this_week_button.clicked.connect(lambda: self.show_week(self._habits.today()))
        self.print_button.clicked.connect(self.print_review)
        self.pdf_button.clicked.connect(self.save_pdf)
        for button in (self.previous_button, self.next_button, self.this_week_button, self.print_button,
                       self.pdf_button):
            button.setAutoDefault(False)  # Enter in a caller's line saves the line, never turns the week
        top = QHBoxLayout()
        for widget in (self.previous_button, self.week_label, self.next_button, self.this_week_button):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.print_button)
        top.addWidget(self.pdf_button)

        self.cards_area = QWidget()
        self.cards_grid = QGridLayout(self.cards_area)
        self.hit_chart = BarChart(parse_chart_url(hit_chart_url(())), accessible_name="Quote hit ratio by week")
        self.hit_chart.bar_clicked.connect(self._hit_week_clicked)
        self.hit_label = QLabel(objectName="reviewHitRatio")
        hit_box = QGroupBox("Quote hit ratio, last 8 weeks (won ÷ decided, everyone) — click a week for its quotes")
        hit_layout = QVBoxLayout(hit_box)
        hit_layout.addWidget(self.hit_label)
        hit_layout.addWidget(self.hit_chart)
        self.changes_table = QTableWidget(0, 6, objectName="reviewChanges")
        self.changes_table.setHorizontalHeaderLabels(
            ("Announced change", "Customers", "Told in time", "Kept buying", "Bought less", "Stopped"))
        self.changes_table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.changes_table.verticalHeader().hide()
        self.changes_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.changes_table.setMaximumHeight(120)
        self.changes_table.setToolTip("Click a change for its heads-up calls")
        self.changes_table.cellClicked.connect(self._change_clicked)
        content = QWidget()
        content_layout = QVBoxLayout(content)
        content_layout.addWidget(self.cards_area)
        content_layout.addWidget(hit_box)
        content_layout.addWidget(self.changes_table)
        content_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)

        self.lines_title = QLabel("Click a number or a bar to see what it counts.", objectName="reviewLinesTitle")
        self.lines_table = QTableWidget(0, len(LINE_COLUMNS), objectName="reviewLines")
        self.lines_table.setHorizontalHeaderLabels(LINE_COLUMNS)
        self.lines_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        self.lines_table.verticalHeader().hide()
        self.lines_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.lines_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        lines = QWidget()
        lines_layout = QVBoxLayout(lines)
        lines_layout.setContentsMargins(0, 0, 0, 0)
        lines_layout.addWidget(self.lines_title)
        lines_layout.addWidget(self.lines_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(scroll)
        splitter.addWidget(lines)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter)

    # --- showing a week --------------------------------------------------------------------------
    def show_week(self, day: dt.date) -> None:
        self._day = day
        review = self.review = self._habits.weekly_review(day)
        start, end = review.week_start, review.week_end
        self.week_label.setText(
            f"<b>Week of {start.day} {date_text(start, '%b')} to {end.day} {date_text(end, '%b %Y')}</b>")
        self.next_button.setEnabled(week_of(self._habits.today())[0] > start)
        for card in self.cards.values():
            self.cards_grid.removeWidget(card)
            card.deleteLater()
        self.cards = {}
        for index, caller in enumerate(review.callers):
            card = CallerCard(caller)
            card.figure_clicked.connect(self.show_lines)
            card.reflection_edited.connect(self.save_reflection)
            self.cards[caller.staff_id] = card
            self.cards_grid.addWidget(card, index // 2, index % 2)
        overall = review.hit_trend[-1] if review.hit_trend else None
        self.hit_label.setText(f"This week, everyone: {percent(review.quote_hit_ratio)}"
                               + (f" ({overall.won} won of {overall.decided} decided)" if overall and overall.decided
                                  else ""))
        self.hit_chart.set_chart(parse_chart_url(hit_chart_url(review.hit_trend)))
        self.changes_table.setRowCount(len(review.changes))
        for row, change in enumerate(review.changes):
            for column, value in enumerate((change.title, change.affected, change.told_in_time, change.kept,
                                            change.reduced, change.lost)):
                self.changes_table.setItem(row, column, QTableWidgetItem(str(value)))
        self.lines_table.setRowCount(0)
        self.lines_title.setText("Click a number or a bar to see what it counts.")

    def show_lines(self, figure: ReviewFigure, staff_id: int | None, day: dt.date | None = None,
                   week_day: dt.date | None = None) -> None:
        """List what a figure counts (one caller's or everyone's; one day's or the week's)."""
        lines = self._habits.review_lines(week_day or self._day, figure, staff_id, day)
        who = next((c.name for c in self.review.callers if c.staff_id == staff_id), "Everyone") \
            if self.review else ""
        when = f" on {date_text(day, '%A %d %b')}" if day else ""
        self.lines_title.setText(f"<b>{who} — {figure.value.replace('_', ' ')}{when}</b>: {len(lines)}")
        self._fill_lines(lines)

    def _fill_lines(self, lines: list[ReviewLine]) -> None:
        self.lines_table.setRowCount(len(lines))
        for row, line in enumerate(lines):
            when = date_text(line.when, "%a %d %b") + (f" {line.when:%H:%M}" if line.when.time() != dt.time.min else "")
            for column, text in enumerate((when, line.staff or "", line.who, line.what, line.notes or "")):
                self.lines_table.setItem(row, column, QTableWidgetItem(text))
        self.lines_table.resizeColumnsToContents()
        self.lines_table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)

    def _hit_week_clicked(self, index: int) -> None:
        if self.review and self.review.hit_trend:
            week = self.review.hit_trend[index]
            self.show_lines(ReviewFigure.QUOTES_DECIDED, None, week_day=week.week_start)
            self.lines_title.setText(f"<b>Quotes decided in the week of {week.week_start.day} "
                                     f"{date_text(week.week_start, '%b')}</b>: {week.won} won of {week.decided}")

    def _change_clicked(self, row: int, _column: int) -> None:
        if self.review and 0 <= row < len(self.review.changes):
            change = self.review.changes[row]
            lines = self._habits.change_call_lines(change.change_id)
            self._fill_lines(lines)
            self.lines_title.setText(f"<b>{html.escape(change.title)} — heads-up calls</b>: {len(lines)} logged, "
                                     f"{change.told_in_time} told in time")

    def save_reflection(self, staff_id: int, text: str) -> None:
        try:
            self._habits.save_reflection(self._day, staff_id, text)
        except CallAheadError as error:
            self.lines_title.setText(f"<span style='color:#b71c1c'>{html.escape(str(error))}</span>")

    # --- paper -------------------------------------------------------------------------------------
    def page_html(self) -> str:
        self.review = self._habits.weekly_review(self._day)  # reflections typed just now included
        return review_html(self.review, self._habits.business_name())

    def write_pdf(self, path: Path) -> int:
        return write_pdf(self.page_html(), path, default_page_size(self._habits.phone_region()))

    def save_pdf(self) -> None:
        start = self.review.week_start if self.review else self._day
        path, _filter = QFileDialog.getSaveFileName(self, "Save the review as PDF",
                                                    str(Path.home() / f"weekly-review-{start.isoformat()}.pdf"),
                                                    "PDF (*.pdf)")
        if path:
            pages = self.write_pdf(Path(path))
            self.lines_title.setText(f"Wrote {path} ({pages} page{'s' if pages != 1 else ''}).")

    def print_review(self) -> None:
        html = self.page_html()
        self._printer = configure_printer(QPrinter(QPrinter.PrinterMode.HighResolution),
                                          default_page_size(self._habits.phone_region()))
        preview = QPrintPreviewDialog(self._printer, self)
        preview.setWindowTitle("Print the weekly review")
        preview.paintRequested.connect(lambda printer: print_html(html, printer))
        preview.exec()
