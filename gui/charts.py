"""Small bar charts drawn with QPainter: calls per day against the quota, the hit ratio by week.

One painting function serves the window (BarChart, whose bars can be clicked) and paper (a
chart rendered to an image for a printed page). A printed page names its charts by their data
(`chart:days?values=…&goals=…&labels=…`, built by core.habits.weekly_review.chart_url); `chart_resources`
draws every chart a page names so the text document can lay it out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import unquote

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import QColor, QFont, QImage, QMouseEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

MET = QColor("#2e7d32")  # at or above the goal
SHORT = QColor("#f0a020")  # below the goal
PLAIN = QColor("#3f6fb5")  # no goal (the hit ratio)
GOAL = QColor("#b71c1c")
CLOSED = QColor("#9e9e9e")
_CHART_SOURCE = re.compile(r"""src=['"](chart:[^'"]+)['"]""")


@dataclass(frozen=True)
class ChartData:
    kind: str  # "days" (counts against goals) or "ratio" (shares 0..1)
    values: tuple[float | None, ...]
    labels: tuple[str, ...]
    goals: tuple[int, ...] = ()

    @property
    def is_ratio(self) -> bool:
        return self.kind == "ratio"


def parse_chart_url(url: str) -> ChartData:
    """The data of a `chart:` address (core.habits.weekly_review.chart_url)."""
    kind, _, query = url.removeprefix("chart:").partition("?")
    fields = dict(part.partition("=")[::2] for part in query.split(";") if part)

    def items(name: str) -> list[str]:
        text = fields.get(name, "")
        return text.split(",") if text else []

    values = tuple(float(v) if v else None for v in items("values"))
    goals = tuple(int(g) for g in items("goals"))
    labels = tuple(unquote(label) for label in items("labels"))
    return ChartData(kind, values, labels, goals)


def _bar_text(chart: ChartData, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{round(value * 100)}%" if chart.is_ratio else str(int(value))


def bar_rects(chart: ChartData, area: QRectF) -> list[QRectF]:
    """Each bar's slot (full height), left to right: where a click lands."""
    count = max(len(chart.values), 1)
    slot = area.width() / count
    return [QRectF(area.left() + i * slot, area.top(), slot, area.height()) for i in range(len(chart.values))]


def paint_chart(painter: QPainter, area: QRectF, chart: ChartData, font: QFont | None = None) -> None:
    """Bars with their number on top and their label below; a goal as a red line across its bar."""
    painter.save()
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    font = QFont(font or painter.font())
    font.setPixelSize(max(9, int(area.height() / 9)))
    painter.setFont(font)
    text_height = painter.fontMetrics().height()
    plot = area.adjusted(2, text_height + 2, -2, -(text_height + 4))
    top = 1.0 if chart.is_ratio else max([v or 0 for v in chart.values] + list(chart.goals) + [1])
    painter.setPen(QPen(QColor("#bdbdbd"), 1))
    painter.drawLine(QPointF(plot.left(), plot.bottom()), QPointF(plot.right(), plot.bottom()))
    for index, slot in enumerate(bar_rects(chart, QRectF(plot.left(), plot.top(), plot.width(), plot.height()))):
        value = chart.values[index]
        goal = chart.goals[index] if index < len(chart.goals) else None
        bar_width = slot.width() * 0.6
        left = slot.center().x() - bar_width / 2
        height = (value or 0) / top * plot.height()
        if chart.is_ratio or goal is None:
            color = PLAIN
        elif goal == 0:
            color = CLOSED
        else:
            color = MET if (value or 0) >= goal else SHORT
        if height > 0:
            painter.fillRect(QRectF(left, plot.bottom() - height, bar_width, height), color)
        painter.setPen(QColor("#212121"))
        painter.drawText(QRectF(slot.left(), plot.bottom() - height - text_height - 1, slot.width(), text_height),
                         Qt.AlignmentFlag.AlignCenter, _bar_text(chart, value))
        if goal:
            y = plot.bottom() - goal / top * plot.height()
            painter.setPen(QPen(GOAL, 2, Qt.PenStyle.DashLine))
            painter.drawLine(QPointF(slot.left() + 2, y), QPointF(slot.right() - 2, y))
        label = chart.labels[index] if index < len(chart.labels) else ""
        painter.setPen(CLOSED if goal == 0 else QColor("#424242"))
        painter.drawText(QRectF(slot.left(), plot.bottom() + 2, slot.width(), text_height),
                         Qt.AlignmentFlag.AlignCenter, label)
    painter.restore()


def chart_image(chart: ChartData, size: QSize, scale: int = 1) -> QImage:
    """The chart laid out at `size` and drawn `scale` times finer (lines and text keep their weight)."""
    image = QImage(size * scale, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(Qt.GlobalColor.white)
    painter = QPainter(image)
    try:
        painter.scale(scale, scale)
        paint_chart(painter, QRectF(0, 0, size.width(), size.height()), chart)
    finally:
        painter.end()
    return image


def chart_resources(html: str, scale: int = 4) -> dict[str, QImage]:
    """Every `chart:` image a page names, drawn at its size × `scale` (crisp on paper)."""
    images = {}
    for match in _CHART_SOURCE.finditer(html):
        source = match.group(1)
        if source in images:
            continue
        tag = html[match.start():html.find(">", match.end())]
        width = re.search(r"width=['\"](\d+)", tag)
        height = re.search(r"height=['\"](\d+)", tag)
        size = QSize(int(width.group(1)) if width else 340, int(height.group(1)) if height else 110)
        images[source] = chart_image(parse_chart_url(source), size, scale)
    return images


def add_chart_resources(document, html: str) -> None:
    """Give a QTextDocument the images of the charts its HTML names (before setHtml)."""
    from PySide6.QtGui import QTextDocument

    for source, image in chart_resources(html).items():
        document.addResource(QTextDocument.ResourceType.ImageResource, QUrl(source), image)


class BarChart(QWidget):
    """A chart in the window; clicking a bar says which (e.g. to list that day's calls)."""

    bar_clicked = Signal(int)

    def __init__(self, chart: ChartData, parent: QWidget | None = None, *, accessible_name: str = ""):
        super().__init__(parent)
        self.chart = chart
        self.setMinimumSize(QSize(220, 110))
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setAccessibleName(accessible_name)

    def sizeHint(self) -> QSize:
        return QSize(320, 120)

    def set_chart(self, chart: ChartData) -> None:
        self.chart = chart
        self.update()

    def bar_center(self, index: int) -> QPointF:
        """Where bar `index` is on screen (tests click there)."""
        return bar_rects(self.chart, QRectF(self.rect()))[index].center()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.fillRect(self.rect(), Qt.GlobalColor.white)
        paint_chart(painter, QRectF(self.rect()), self.chart, self.font())
        painter.end()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            for index, slot in enumerate(bar_rects(self.chart, QRectF(self.rect()))):
                if slot.contains(event.position()):
                    self.bar_clicked.emit(index)
                    return
        super().mouseReleaseEvent(event)
