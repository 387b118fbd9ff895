"""Finding customers: search as you type, quick filters, sorting, empty states, the keyboard."""

from PySide6.QtCore import Qt

from core.customers.queries import CustomerQuery, QuickFilter
from gui.models.customer_table import SORT_KEY_ROLE, Column
from gui.panels.customers import CustomersPanel


def _shown_names(panel):
    model = panel.model
    return [model.index(row, Column.NAME).data() for row in range(model.rowCount())]


def test_typing_an_accentless_name_narrows_the_list_to_the_accented_customers(qtbot, window):
    panel = window.customers
    assert panel.model.total == 120
    qtbot.mouseClick(panel.search_box, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(panel.search_box, "muller")
    qtbot.waitUntil(lambda: panel.model.total < 120)
    names = _shown_names(panel)
    assert names and all("Müller" in name for name in names)
    assert panel.count_label.text() == f"{len(names)} customer{'s' if len(names) != 1 else ''}"


def test_a_search_fills_the_view_and_scrolling_brings_the_rest(qtbot, services):
    panel = CustomersPanel(services)
    qtbot.addWidget(panel)
    panel.resize(700, 420)
    panel.show()
    qtbot.waitExposed(panel)
    table = panel.table
    seen = table.viewport().height() // table.verticalHeader().defaultSectionSize()
    qtbot.keyClicks(panel.search_box, "a")
    qtbot.waitUntil(lambda: panel.model.total < 120)
    panel.search_box.clear()
    qtbot.waitUntil(lambda: panel.model.total == 120)
    assert seen <= panel.model.rowCount() <= seen + 3, "a keystroke reads the rows in view, not every match"
    assert panel.model.index(seen - 1, Column.NAME).data(), "the view is filled"
    for _ in range(panel.model.total):
        if panel.model.rowCount() == panel.model.total:
            break
        table.scrollToBottom()
        qtbot.wait(1)
    assert panel.model.rowCount() == panel.model.total, "scrolling down brings every match"


def test_a_phone_number_typed_as_spoken_finds_the_customer(qtbot, window):
    panel = window.customers
    phone = panel.model.index(0, Column.PHONE).data()  # "(503) 202-2281"
    name = panel.model.index(0, Column.NAME).data()
    digits = "".join(ch for ch in phone if ch.isdigit())
    qtbot.keyClicks(panel.search_box, f"{digits[3:6]}-{digits[6:]}")
    qtbot.waitUntil(lambda: panel.model.total < 120)
    assert name in _shown_names(panel)


def test_quick_filters_combine_and_untoggle(qtbot, window, services):
    panel = window.customers
    quoted = set(services.queries.find_customer_ids(CustomerQuery(filters=frozenset({QuickFilter.OPEN_QUOTE}))))
    qtbot.mouseClick(panel.filter_buttons[QuickFilter.OPEN_QUOTE], Qt.MouseButton.LeftButton)
    assert panel.model.total == len(quoted) > 0
    assert all("Quote" in panel.model.index(row, Column.STATUS).data() for row in range(panel.model.rowCount()))
    qtbot.mouseClick(panel.filter_buttons[QuickFilter.AFFECTED_BY_CHANGE], Qt.MouseButton.LeftButton)
    both = set(services.queries.find_customer_ids(CustomerQuery(filters=frozenset(
        {QuickFilter.OPEN_QUOTE, QuickFilter.AFFECTED_BY_CHANGE}))))
    assert panel.model.total == len(both) and both <= quoted
    qtbot.mouseClick(panel.filter_buttons[QuickFilter.OPEN_QUOTE], Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.filter_buttons[QuickFilter.AFFECTED_BY_CHANGE], Qt.MouseButton.LeftButton)
    assert panel.model.total == 120


def test_do_not_call_customers_are_marked(qtbot, window):
    panel = window.customers
    qtbot.mouseClick(panel.filter_buttons[QuickFilter.DO_NOT_CALL], Qt.MouseButton.LeftButton)
    assert panel.model.total > 0
    assert all("Do not call" in panel.model.index(row, Column.STATUS).data() for row in range(panel.model.rowCount()))


def test_a_search_with_no_match_says_so_and_offers_to_clear(qtbot, window):
    panel = window.customers
    qtbot.keyClicks(panel.search_box, "zzqx")
    qtbot.waitUntil(lambda: panel.stack.currentIndex() == 1)
    assert "No customer matches “zzqx”" in panel.empty_message.text()
    qtbot.mouseClick(panel.empty_action, Qt.MouseButton.LeftButton)
    assert panel.model.total == 120 and panel.search_box.text() == "" and panel.stack.currentIndex() == 0


def test_clicking_a_header_sorts_the_whole_list(qtbot, window):
    panel = window.customers
    header = panel.table.horizontalHeader()
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + _section_centre(header, Column.VALUE))
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton,
                     pos=header.rect().topLeft() + _section_centre(header, Column.VALUE))
    values = [panel.model.index(row, Column.VALUE).data(SORT_KEY_ROLE) for row in range(panel.model.rowCount())]
    assert values == sorted(values, reverse=True) and values[0] > 0
    assert header.sortIndicatorSection() == Column.VALUE


def _section_centre(header, column):
    from PySide6.QtCore import QPoint

    return QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, header.height() // 2)


def test_the_keyboard_reaches_everything(qtbot, window):
    panel = window.customers
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert panel.search_box.hasFocus()
    qtbot.keyClicks(panel.search_box, "muller")
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Down)
    assert panel.table.hasFocus()
    chosen = panel.current_customer_id()
    assert chosen is not None and window.detail.customer_id == chosen
    assert "Müller" in window.detail.name_label.text()
    qtbot.keyClick(panel.table, Qt.Key.Key_Down)
    qtbot.keyClick(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(panel.search_box, Qt.Key.Key_Escape)
    assert panel.search_box.text() == "" and panel.model.total == 120


def test_money_and_dates_are_never_cut_even_with_a_bigger_font(qtbot, demo_context, ui_settings):
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    from gui.app import build_main_window

    app = QApplication.instance()
    normal = app.font()
    bigger = QFont(normal)
    bigger.setPointSizeF(normal.pointSizeF() * 1.5)  # what 150 % scaling does to text, in the same pixels
    app.setFont(bigger)
    try:
        window = build_main_window(demo_context, ui_settings)
        qtbot.addWidget(window)
        window.show()
        table, model = window.customers.table, window.customers.model
        metrics = table.fontMetrics()
        for column in (Column.VALUE, Column.LAST_CONTACT, Column.LAST_PURCHASE, Column.PHONE):
            widest = max(metrics.horizontalAdvance(str(model.index(row, column).data() or ""))
                         for row in range(min(model.rowCount(), 40)))
            assert widest + 8 <= table.columnWidth(column), f"column {column.name} cuts its text"
    finally:
        app.setFont(normal)
