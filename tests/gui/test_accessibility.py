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


def _tab_chain(window, start):
    chain, widget = [], start
    for _ in range(400):
        widget = widget.nextInFocusChain()
        if widget is start:
            break
        if widget.focusPolicy() & Qt.FocusPolicy.TabFocus == Qt.FocusPolicy.TabFocus and widget.isVisibleTo(window):
            chain.append(widget)
    return chain


def test_tab_follows_the_layout_left_to_right_and_the_questions_sit_in_the_script(qtbot, window):
    chain = _tab_chain(window, window.calendar)
    landmarks = [window.day_list.table, window.day_list.outcome_buttons[next(iter(window.day_list.outcome_buttons))],
                 window.customers.search_box, window.customers.table, window.script.reason_box,
                 window.script.body_view, window.script.checklist[0], window.script.notes_box]
    positions = [chain.index(widget) for widget in landmarks]
    assert positions == sorted(positions)
    assert chain.index(window.script.checklist[-1]) < chain.index(window.script.notes_box)
