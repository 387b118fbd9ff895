"""The month calendar: how many calls each day holds, closed days, and changes coming up.

Each open day shows its planned calls as a number on a tint that deepens with the load
(red when more is due than the team can call); closed days are greyed with a hatch; days
inside a change's heads-up window carry an orange bar, and the change's own day an orange
frame. Choosing a day emits `day_chosen`; showing another month asks for its loads.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QRect, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QAbstractItemView, QCalendarWidget, QLabel, QVBoxLayout, QWidget

from core.dates import date_text
from core.scheduling import DayLoad

CLOSED = QColor("#e6e6e6")
BUSY_LOW = QColor("#e3f0fb")
BUSY_HIGH = QColor("#5b9bd5")
OVERLOADED = QColor("#f4b6b0")
CHANGE = QColor("#f0a030")


def to_date(qdate: QDate) -> dt.date:
    return dt.date(qdate.year(), qdate.month(), qdate.day())


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def _blend(low: QColor, high: QColor, share: float) -> QColor:
    share = max(0.0, min(1.0, share))
    return QColor(round(low.red() + (high.red() - low.red()) * share),
                  round(low.green() + (high.green() - low.green()) * share),
                  round(low.blue() + (high.blue() - low.blue()) * share))


class LoadCalendar(QCalendarWidget):
    """A QCalendarWidget that paints each day's load from a dict of DayLoad."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._loads: dict[dt.date, DayLoad] = {}
        self.setGridVisible(False)
        self.setVerticalHeaderFormat(QCalendarWidget.VerticalHeaderFormat.NoVerticalHeader)
        self.setFirstDayOfWeek(Qt.DayOfWeek.Monday)

    def set_loads(self, loads: dict[dt.date, DayLoad]) -> None:
        self._loads = dict(loads)
        self.updateCells()

    def load(self, day: dt.date) -> DayLoad | None:
        return self._loads.get(day)

    def paintCell(self, painter: QPainter, rect: QRect, qdate: QDate) -> None:  # noqa: N802 (Qt API)
        day = to_date(qdate)
        load = self._loads.get(day)
        in_month = qdate.month() == self.monthShown()
        painter.save()
        cell = rect.adjusted(1, 1, -1, -1)
        if load is not None and load.closed:
            painter.fillRect(cell, CLOSED)
            painter.fillRect(cell, QBrush(QColor("#d0d0d0"), Qt.BrushStyle.BDiagPattern))
        elif load is not None and load.capacity and load.due:
            share = load.due / load.capacity
            painter.fillRect(cell, OVERLOADED if share > 1 else _blend(BUSY_LOW, BUSY_HIGH, share))
        if load is not None and load.changes_ahead:
            painter.fillRect(QRect(cell.left(), cell.bottom() - 3, cell.width(), 4), CHANGE)
        if load is not None and load.changes_today:
            painter.setPen(QPen(CHANGE, 2))
            painter.drawRect(cell.adjusted(1, 1, -1, -1))
        if qdate == self.selectedDate():
            painter.setPen(QPen(self.palette().highlight().color(), 2))
            painter.drawRect(cell.adjusted(0, 0, -1, -1))
        font = QFont(painter.font())
        font.setBold(qdate == QDate.currentDate())
        painter.setFont(font)
        painter.setPen(self.palette().text().color() if in_month else QColor("#9a9a9a"))
        painter.drawText(cell.adjusted(3, 1, -3, -1), Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop,
                         str(qdate.day()))
        if load is not None and not load.closed and load.planned:
            small = QFont(font)
            small.setBold(True)
            small.setPointSizeF(max(6.0, font.pointSizeF() * 0.85))
            painter.setFont(small)
            painter.setPen(QColor("#1d3f66") if load.due <= load.capacity else QColor("#8a1c12"))
            label = str(load.due) if load.due > load.planned else str(load.planned)
            painter.drawText(cell.adjusted(3, 1, -4, -2), Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignBottom,
                             label)
        painter.restore()


class CalendarPanel(QWidget):
    day_chosen = Signal(object)  # datetime.date
    month_shown = Signal(object, object)  # first and last day shown (datetime.date)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.calendar = LoadCalendar()
        self.calendar.setObjectName("calendar")
        self.calendar.setAccessibleName("Calendar of planned calls")
        for view in self.calendar.findChildren(QAbstractItemView):  # the grid the keyboard moves in
            view.setAccessibleName("Calendar of planned calls")
        self.legend = QLabel(
            "<span style='color:#5b9bd5'>■</span> calls planned  "
            "<span style='color:#d04030'>■</span> over the team's quota (timed callbacks)  "
            "<span style='color:#f0a030'>▬</span> before a change  "
            "<span style='color:#aaaaaa'>■</span> closed")
        self.legend.setObjectName("calendarLegend")
        self.legend.setWordWrap(True)
        self.day_summary = QLabel()
        self.day_summary.setObjectName("daySummary")
        self.day_summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.calendar)
        layout.addWidget(self.legend)
        layout.addWidget(self.day_summary)
        self.calendar.selectionChanged.connect(self._selection_changed)
        self.calendar.currentPageChanged.connect(lambda _y, _m: self.month_shown.emit(*self.visible_range()))

    def selected_day(self) -> dt.date:
        return to_date(self.calendar.selectedDate())

    def select_day(self, day: dt.date) -> None:
        self.calendar.setSelectedDate(to_qdate(day))

    def visible_range(self) -> tuple[dt.date, dt.date]:
        """The six weeks the month page shows, from the Monday before the 1st."""
        first = dt.date(self.calendar.yearShown(), self.calendar.monthShown(), 1)
        start = first - dt.timedelta(days=first.weekday())
        return start, start + dt.timedelta(days=41)

    def set_loads(self, loads: dict[dt.date, DayLoad]) -> None:
        self.calendar.set_loads(loads)
        self._describe(self.selected_day())

    def _selection_changed(self) -> None:
        day = self.selected_day()
        self._describe(day)
        self.day_chosen.emit(day)

    def _describe(self, day: dt.date) -> None:
        load = self.calendar.load(day)
        if load is None:
            self.day_summary.clear()
            return
        parts = [f"<b>{date_text(day, '%A %d %B')}</b>"]
        if load.closed:
            parts.append(load.closed_reason or "Closed")
        else:
            parts.append(f"{load.planned} of {load.capacity} calls planned")
        monday = day - dt.timedelta(days=day.weekday())
        week = [self.calendar.load(monday + dt.timedelta(days=n)) for n in range(7)]
        did_not_fit = sum(w.waiting for w in week if w is not None)
        if did_not_fit:
            parts.append(f"{did_not_fit} wanted call{'s' if did_not_fit != 1 else ''} this week did not fit")
        parts += [f"before: {title}" for title in dict.fromkeys(load.changes_ahead)]
        parts += [f"takes effect: {title}" for title in dict.fromkeys(load.changes_today)]
        self.day_summary.setText(" · ".join(parts))
