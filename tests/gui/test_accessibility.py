"""The window without a mouse and with a screen reader: every control has a name, and Tab
follows the layout."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

NEEDS_A_NAME = (QComboBox, QLineEdit, QPlainTextEdit, QTextEdit, QAbstractItemView, QAbstractSpinBox)


def _named(widget: QWidget, buddied: set[int]) -> bool:
    if widget.accessibleName().strip():
        return True
    if isinstance(widget, QAbstractButton):
        return bool(widget.text().replace("&", "").strip())
    return id(widget) in buddied


def test_every_control_of_the_window_has_a_name(qtbot, window):
    buddied = {id(label.buddy()) for label in window.findChildren(QLabel) if label.buddy() is not None}
    nameless = []
    for widget in window.findChildren(QWidget):
        if not widget.isVisibleTo(window) or widget.focusPolicy() == Qt.FocusPolicy.NoFocus:
            continue
        if not isinstance(widget, NEEDS_A_NAME + (QAbstractButton,)):
            continue
        if isinstance(widget, QLineEdit) and isinstance(widget.parent(), (QComboBox, QAbstractSpinBox)):
            continue  # the editor inside a named box
        if not _named(widget, buddied):
            nameless.append(f"{type(widget).__name__} {widget.objectName()!r}")
    assert nameless == [], "\n".join(nameless)


def test_tab_goes_from_the_search_to_the_quick_filters_then_the_list(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    panel = window.customers
    panel.focus_search()
    order = []
    widget = panel.search_box
    for _ in range(8):
        widget = widget.nextInFocusChain()
        while widget.focusPolicy() & Qt.FocusPolicy.TabFocus != Qt.FocusPolicy.TabFocus or not widget.isVisibleTo(window):
            widget = widget.nextInFocusChain()
        order.append(widget)
    filters = list(panel.filter_buttons.values())
    assert order.index(filters[0]) < order.index(panel.table)
    assert order[order.index(filters[0]):order.index(filters[0]) + len(filters)] == filters
