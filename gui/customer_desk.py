"""Adding, editing and deleting a customer from the window: the dialogs, the question before a
delete, and choosing the customer afterwards. The panels only say what the owner asked for
(signals); this module decides what happens, so the main window stays layout and wiring."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QMessageBox, QWidget

from core.errors import CallAheadError
from gui.panels.customer_detail import CustomerDetailPanel
from gui.panels.customers import CustomersPanel
from gui.platform_words import shortcut_text
from gui.services import ServiceBridge

if TYPE_CHECKING:
    from gui.dialogs.customer_dialog import CustomerDialog


class CustomerDesk(QObject):
    status_message = Signal(str, int)  # text, milliseconds
    problem = Signal(str)  # an owner-facing refusal

    def __init__(self, bridge: ServiceBridge, customers: CustomersPanel, detail: CustomerDetailPanel, *,
                 window: QWidget, platform: str):
        super().__init__(window)
        self.bridge, self.customers, self.detail = bridge, customers, detail
        self._window = window
        self._platform = platform

    def dialog(self, customer_id: int | None = None) -> CustomerDialog:
        """The form for a new customer (no id) or for editing one."""
        from gui.dialogs.customer_dialog import CustomerDialog  # the form and its checks load when first opened

        return CustomerDialog(self.bridge, customer_id, parent=self._window)

    def add(self) -> None:
        self._after(self.dialog())

    def edit(self, customer_id: int) -> None:
        self._after(self.dialog(customer_id))

    def _after(self, dialog: CustomerDialog) -> None:
        saved = dialog.exec()
        shown = dialog.open_instead if dialog.open_instead is not None else (dialog.customer_id if saved else None)
        if shown is not None and not self.customers.select_customer(shown):
            self.customers.clear_search()
            self.customers.select_customer(shown)

    def delete(self, customer_id: int) -> None:
        from core.actions import customers as customer_actions  # loaded with the first delete, not at start

        name = self.detail.shown_name(customer_id) or "this customer"
        undo = shortcut_text("Ctrl+Z", self._platform)
        answer = QMessageBox.question(
            self._window, "Delete customer",
            f"Delete {name} with their purchases, quotes and call history?\n\nYou can undo this with Edit → Undo ({undo}).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, QMessageBox.StandardButton.No)
        if answer != QMessageBox.StandardButton.Yes:
            return
        # The list moves to a neighbour only when it showed this customer (the call in front's
        # customer may be on rows it has not loaded: no need to load them to delete).
        row = self.customers.row_of_customer(customer_id, fetch=False)
        try:
            self.bridge.run(customer_actions.delete_customer, customer_id)
        except CallAheadError as error:
            self.problem.emit(str(error))
            return
        if row is not None:
            self.customers.select_row_near(row)
        self.status_message.emit(f"Deleted {name}. Edit → Undo ({undo}) brings them back.", 10_000)
