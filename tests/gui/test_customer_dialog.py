"""Adding, editing, deleting and undeleting customers from the window."""

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox

from gui.dialogs.customer_dialog import CustomerDialog
from gui.models.customer_table import Column


def _fill(qtbot, dialog, **values):
    for name, text in values.items():
        widget = dialog.fields[name]
        widget.clear()
        qtbot.keyClicks(widget, text)


def test_a_bad_phone_is_shown_under_the_field_and_nothing_is_saved(qtbot, window, services):
    before = services.queries.count_customers()
    dialog = window.customer_desk.dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog, first_name="Noemie", last_name="Faure", phone="555-12", email="noemie@")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible(), "the dialog stays open to fix the problem"
    assert "'555-12'" in dialog.error_for("phone") and dialog.errors["phone"].isVisible()
    assert "e-mail" in dialog.error_for("email")
    assert dialog.error_for("first_name") == ""
    assert services.queries.count_customers() == before
    assert window.customers.model.total == before


def test_a_new_customer_is_saved_clean_and_appears_in_the_list(qtbot, window, services):
    dialog = window.customer_desk.dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog, first_name="Noemie", last_name="Faure", phone="503.555.0142", email=" Noemie@Example.com")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.customer_id is not None
    assert window.customers.model.total == 121
    detail = services.queries.customer_detail(dialog.customer_id)
    assert detail.main_phone.e164 == "+15035550142" and detail.email == "noemie@example.com"
    qtbot.keyClicks(window.customers.search_box, "noemie faure")
    qtbot.waitUntil(lambda: window.customers.model.total == 1)


def test_editing_a_customer_updates_the_list_and_the_detail(qtbot, window, services):
    window.customers.select_customer(window.customers.model.customer_id(0))
    customer_id = window.customers.current_customer_id()
    dialog = window.customer_desk.dialog(customer_id)
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog, company="Zephyr Doors")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    row = window.customers.model.row_of(customer_id)
    assert window.customers.model.index(row, Column.COMPANY).data() == "Zephyr Doors"
    assert window.detail.company_label.text() == "Zephyr Doors"


def test_delete_asks_then_undo_brings_the_customer_and_history_back(qtbot, window, services, monkeypatch):
    asked = []
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: asked.append(args[2]) or QMessageBox.StandardButton.Yes)
    panel = window.customers
    panel.select_customer(panel.model.customer_id(2))
    customer_id = panel.current_customer_id()
    before = services.queries.customer_detail(customer_id)
    panel.table.setFocus()
    qtbot.keyClick(panel.table, Qt.Key.Key_Delete)
    assert asked and before.name in asked[0]
    assert panel.model.total == 119 and panel.model.row_of(customer_id) is None
    assert window.undo_action.isEnabled() and before.name in window.undo_action.text()

    qtbot.keyClick(window, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert panel.model.total == 120 and panel.current_customer_id() == customer_id
    assert services.queries.customer_detail(customer_id) == before
    assert window.detail.name_label.text() == before.name
    assert not window.undo_action.isEnabled()


def test_saying_no_deletes_nothing(qtbot, window, services, monkeypatch):
    monkeypatch.setattr(QMessageBox, "question", lambda *args, **kwargs: QMessageBox.StandardButton.No)
    window.customers.select_customer(window.customers.model.customer_id(0))
    window.delete_customer_action.trigger()
    assert services.queries.count_customers() == 120


def test_the_phone_opens_the_systems_dialer(qtbot, window, monkeypatch):
    opened = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url) or True)
    window.customers.select_customer(window.customers.model.customer_id(0))
    detail = window.detail.detail
    qtbot.mouseClick(window.detail.phone_button, Qt.MouseButton.LeftButton)
    assert opened == [QUrl(f"tel:{detail.main_phone.e164}")]
    assert window.detail.phone_button.text() == detail.main_phone.display


def _a_listed_customer(window, services):
    customer_id = window.customers.model.customer_id(3)
    return customer_id, services.queries.customer_detail(customer_id)


def _new_customer_with_the_phone_of(qtbot, window, existing):
    """The add dialog, saved once with another customer's phone: it stops at the warning."""
    dialog = window.customer_desk.dialog()
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(qtbot, dialog, first_name="Noemie", last_name="Faure", phone=existing.main_phone.e164)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    return dialog


def test_typing_another_customers_phone_offers_to_open_them_instead(qtbot, window, services):
    existing_id, existing = _a_listed_customer(window, services)
    before = services.queries.count_customers()
    dialog = _new_customer_with_the_phone_of(qtbot, window, existing)
    assert dialog.isVisible() and dialog.duplicate_box.isVisible()
    assert existing.name in dialog.duplicate_message.text() and "already has the phone" in dialog.duplicate_message.text()
    assert dialog.open_existing_button.text().replace("&", "") == f"Open {existing.name}"
    assert services.queries.count_customers() == before, "nothing saved yet"
    qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.open_instead == existing_id and dialog.customer_id is None
    assert services.queries.count_customers() == before


def test_the_owner_can_still_save_a_second_customer_with_the_same_phone(qtbot, window, services):
    _, existing = _a_listed_customer(window, services)
    before = services.queries.count_customers()
    dialog = _new_customer_with_the_phone_of(qtbot, window, existing)
    qtbot.mouseClick(dialog.save_anyway_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and dialog.customer_id is not None
    assert services.queries.count_customers() == before + 1
    assert window.customers.model.total == before + 1


def test_choosing_to_open_the_existing_customer_shows_them_in_the_window(qtbot, window, services, monkeypatch):
    existing_id, existing = _a_listed_customer(window, services)
    window.customers.select_customer(window.customers.model.customer_id(0))

    def owner_at_the_dialog(dialog):  # in place of the modal loop, the owner's clicks
        _fill(qtbot, dialog, first_name="Noemie", phone=existing.main_phone.e164)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
        return dialog.result()

    monkeypatch.setattr(CustomerDialog, "exec", owner_at_the_dialog)
    window.new_customer_action.trigger()
    assert window.customers.current_customer_id() == existing_id
    qtbot.waitUntil(lambda: window.detail.name_label.text() == existing.name)
