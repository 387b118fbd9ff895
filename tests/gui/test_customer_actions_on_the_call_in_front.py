"""Edit customer… and Delete customer… act on the customer in front of the owner — the call's
customer — even when the customer list has not loaded that customer's row yet (it loads lazily)."""

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from core.customers.detail import CustomerNotFound
from gui.dialogs.customer_dialog import CustomerDialog
from gui.models.day_list_model import DayColumn


def _click_a_call_whose_customer_is_not_loaded(qtbot, window):
    day_model, customers = window.day_list.model, window.customers.model
    row = next(r for r in range(day_model.rowCount())
               if customers.row_of(day_model.call(r).customer_id, fetch=False) is None)
    table = window.day_list.table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton,
                     pos=table.visualRect(day_model.index(row, DayColumn.CUSTOMER)).center())
    call = window.day_list.selected_call()
    assert customers.row_of(call.customer_id, fetch=False) is None, "the list has not loaded this customer"
    assert window.customers.current_customer_id() is None
    return call


def _when_modal(qtbot, act):
    """Do `act(widget)` with the next modal window once it is up (a real dialog, driven for real)."""
    def attempt():
        modal = QApplication.activeModalWidget()
        if modal is None:
            QTimer.singleShot(10, attempt)
            return
        act(modal)
    QTimer.singleShot(0, attempt)


def test_edit_customer_opens_the_call_in_front_s_customer_though_the_list_has_not_loaded_it(qtbot, window):
    call = _click_a_call_whose_customer_is_not_loaded(qtbot, window)
    assert window.edit_customer_action.isEnabled() and window.delete_customer_action.isEnabled()
    opened = []

    def close_the_form(dialog):
        opened.append((type(dialog), dialog.customer_id, dialog.windowTitle()))
        QTest.keyClick(dialog, Qt.Key.Key_Escape)

    _when_modal(qtbot, close_the_form)
    QTest.keyClick(window.day_list.table, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)

    assert opened == [(CustomerDialog, call.customer_id, "Edit customer")]


@pytest.mark.qt_log_ignore("This plugin does not support grabbing the keyboard")  # an open menu, offscreen
def test_delete_customer_deletes_the_call_in_front_s_customer_though_the_list_has_not_loaded_it(qtbot, window):
    call = _click_a_call_whose_customer_is_not_loaded(qtbot, window)
    asked = []

    def answer_yes(box):
        asked.append(box.text())
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)

    _when_modal(qtbot, answer_yes)
    customer_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Customer")
    window.menuBar().setActiveAction(customer_menu.menuAction())
    qtbot.waitUntil(customer_menu.isVisible)
    qtbot.mouseClick(customer_menu, Qt.MouseButton.LeftButton,
                     pos=customer_menu.actionGeometry(window.delete_customer_action).center())

    qtbot.waitUntil(lambda: bool(asked))
    assert call.customer in asked[0]
    with pytest.raises(CustomerNotFound):
        window.services.queries.customer_detail(call.customer_id)
