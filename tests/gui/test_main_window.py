"""The window's layout: remembered between runs, ready for the day's panels, empty states."""

import pytest
from PySide6.QtWidgets import QLabel

from core.context import AppContext
from gui.app import build_main_window


def test_splitter_positions_and_size_are_remembered(qtbot, demo_context, ui_settings):
    first = build_main_window(demo_context, ui_settings)
    qtbot.addWidget(first)
    first.show()
    first.resize(1500, 900)  # within the test screen (1920 × 1200), so nothing shrinks it
    first.main_splitter.setSizes([480, 560, 420])
    first.customer_column.setSizes([200, 300])
    wanted_main, wanted_column = first.main_splitter.sizes(), first.customer_column.sizes()
    first.close()

    second = build_main_window(demo_context, ui_settings)
    qtbot.addWidget(second)
    second.show()
    assert second.size() == first.size()
    assert second.main_splitter.sizes() == wanted_main
    assert second.customer_column.sizes() == wanted_column


def test_the_left_column_holds_the_calendar_above_the_days_calls(qtbot, window):
    assert not window.left_column.isHidden() and window.main_splitter.sizes()[0] > 0
    assert window.left_column.widget(0) is window.calendar
    assert window.left_column.widget(1) is window.day_list
    another = QLabel("another panel")
    window.add_to_left_column(another)
    assert window.left_column.widget(2) is another


def test_nothing_chosen_means_helpful_empty_panels(qtbot, tmp_path, ui_settings):
    context = AppContext.build(data_dir=str(tmp_path))
    window = build_main_window(context, ui_settings)
    qtbot.addWidget(window)
    assert "Choose a customer" in window.detail.empty_label.text()
    assert "Choose a customer" in window.script.empty_label.text()
    assert not window.edit_customer_action.isEnabled()
    context.close()


def test_the_window_opens_within_a_small_screens_free_area(qtbot, demo_context, ui_settings, monkeypatch):
    """A 1080p laptop at 150 %: 1280 × 720 logical pixels, 672 of them above the task bar."""
    from PySide6.QtCore import QRect
    from PySide6.QtGui import QScreen

    monkeypatch.setattr(QScreen, "availableGeometry", lambda self: QRect(0, 0, 1280, 672))
    window = build_main_window(demo_context, ui_settings)
    qtbot.addWidget(window)
    window.show()
    assert window.width() <= 1280 and window.height() <= 672
    assert window.minimumSizeHint().height() <= 672, "nothing forces it taller than the screen"
    window.resize(1500, 1000)  # remembered from a bigger screen
    window.close()
    again = build_main_window(demo_context, ui_settings)
    qtbot.addWidget(again)
    again.show()
    assert again.width() <= 1280 and again.height() <= 672


def test_the_window_fits_1024_by_768_without_cutting_a_panel(qtbot, window):
    """A row of filter buttons or a long courtesy question used to force the window 1164 px wide."""
    window.resize(1024, 740)
    assert window.minimumSizeHint().width() <= 1024 and window.minimumSizeHint().height() <= 740
    qtbot.waitUntil(lambda: window.width() <= 1024)
    for button in window.customers.filter_buttons.values():
        assert button.width() >= button.sizeHint().width(), f"'{button.text()}' is shown whole"


@pytest.mark.parametrize("width", [1024, 1280])
def test_panels_stay_put_while_calls_are_logged(qtbot, window, width):
    """Each call brings other text (longer names, more flags): the columns must not shift."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.resize(width, 740)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    QApplication_processEvents()
    before = (window.main_splitter.sizes(), window.customer_column.sizes(), window.left_column.sizes())
    for _ in range(10):
        QTest.keyClick(window.day_list.table, Qt.Key.Key_3)  # no answer: the next call comes forward
        QApplication_processEvents()
        assert (window.main_splitter.sizes(), window.customer_column.sizes(), window.left_column.sizes()) == before


def QApplication_processEvents():  # noqa: N802
    from PySide6.QtWidgets import QApplication

    QApplication.processEvents()
