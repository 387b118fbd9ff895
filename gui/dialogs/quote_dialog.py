"""Add or edit a quote sent to a customer: what it is for, the amount, the day it was sent and
who sent it. Its follow-up calls are planned as soon as it is saved. `save()` is what the Save
button does; a problem is shown in the dialog, naming the field, and nothing is saved."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from core.actions import quotes as quote_actions
from core.errors import CallAheadError, InvalidInput
from core.importing.values import parse_money_cents
from core.labels import format_money
from core.customers.quotes import QuoteInput, QuoteRecord
from gui.services import ServiceBridge


def _qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


class QuoteDialog(QDialog):
    def __init__(self, services: ServiceBridge, customer_id: int, quote: QuoteRecord | None = None,
                 parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("quoteDialog")
        self._services = services
        self.customer_id = customer_id
        self.quote = quote
        self.saved: QuoteRecord | None = None
        today = services.queries.today()
        name = services.queries.customer_detail(customer_id).name
        self.setWindowTitle(f"Quote for {name}" if quote is None else f"Edit quote for {name}")
        self.setMinimumWidth(420)

        self.what = QLineEdit(objectName="quoteWhat", placeholderText="New insulated door, installed")
        self.amount = QLineEdit(objectName="quoteAmount", placeholderText="1,850")
        self.sent = QDateEdit(objectName="quoteSent", calendarPopup=True, displayFormat="d MMM yyyy")
        self.sent.setMaximumDate(_qdate(today))
        self.staff = QComboBox(objectName="quoteStaff")
        self.staff.addItem("—", None)
        for member in services.queries.staff():
            if member.active:
                self.staff.addItem(member.name, member.id)
        if quote is None:
            self.sent.setDate(_qdate(today))
        else:
            self.what.setText(quote.what or "")
            self.amount.setText(format_money(quote.amount_cents, "").replace(",", ""))
            self.sent.setDate(_qdate(quote.sent))
            self.staff.setCurrentIndex(max(self.staff.findData(quote.staff_id), 0))
        form = QFormLayout()
        form.addRow("&What it is for:", self.what)
        form.addRow("&Amount:", self.amount)
        form.addRow("&Sent on:", self.sent)
        form.addRow("Sent &by:", self.staff)
        hint = QLabel("Follow-up calls are planned 3 and 7 days after it was sent, then weekly until it is won "
                      "or lost.", wordWrap=True)
        hint.setStyleSheet("color: palette(mid);")
        self.error_label = QLabel(objectName="quoteError", wordWrap=True)
        self.error_label.setStyleSheet("color: #b3261e;")
        self.error_label.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(hint)
        layout.addWidget(self.error_label)
        layout.addWidget(buttons)

    def _input(self) -> QuoteInput:
        try:
            cents = parse_money_cents(self.amount.text(), "amount")
        except InvalidInput:
            raise InvalidInput(f"'{self.amount.text()}' is not an amount (for example 1850 or 1,850.50).",
                               field="amount") from None
        if cents is None:
            raise InvalidInput("Give the quote's amount.", field="amount")
        return QuoteInput(self.what.text(), cents, self.sent.date().toPython(), self.staff.currentData())

    def save(self) -> bool:
        try:
            data = self._input()
            if self.quote is None:
                self.saved = self._services.run(quote_actions.add_quote, self.customer_id, data)
            else:
                self.saved = self._services.run(quote_actions.update_quote, self.quote.quote_id, data)
        except CallAheadError as error:
            self.error_label.setText(str(error))
            self.error_label.show()
            field = getattr(error, "field", None)
            widget = {"what": self.what, "amount": self.amount, "sent": self.sent}.get(field)
            if widget is not None:
                widget.setFocus()
            return False
        self.accept()
        return True
