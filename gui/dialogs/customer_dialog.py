"""Add or edit a customer. Every problem is shown under its own field, in words, and nothing
is saved until all of them are fixed. `save()` is what the Save button does (tests call it).

A phone or e-mail another customer already has is not saved at once: the dialog names that
customer and offers to open them instead (`open_instead`) or to save anyway."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from core.actions import customers as customer_actions
from core.customers.editing import FIELD_LABELS, CustomerInput, InvalidCustomer, PossibleDuplicate
from core.errors import CallAheadError, InvalidInput
from gui.services import ServiceBridge

_TEXT_FIELDS = ["first_name", "last_name", "company", "phone", "email", "address", "city", "region",
                "postal_code", "country", "tags"]
_INVALID_STYLE = "border: 1px solid #b3261e; border-radius: 2px;"


class CustomerDialog(QDialog):
    def __init__(self, services: ServiceBridge, customer_id: int | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("customerDialog")
        self._services = services
        self.customer_id = customer_id
        self.open_instead: int | None = None  # the customer the owner chose to open rather than save a duplicate
        self._same_as: int | None = None
        self.setWindowTitle("New customer" if customer_id is None else "Edit customer")
        self.setMinimumWidth(520)
        self.fields: dict[str, QWidget] = {}
        self.errors: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        hints = {"phone": "(503) 555-0142", "email": "name@example.com", "tags": "residential, vip",
                 "country": "US", "region": "OR"}
        for name in _TEXT_FIELDS:
            edit = QLineEdit(objectName=name, placeholderText=hints.get(name, ""))
            self._add_row(form, name, edit)
        self.do_not_call = QCheckBox("They asked not to be called", objectName="do_not_call")
        form.addRow("", self.do_not_call)
        keep = QSpinBox(objectName="keep_in_touch_days", minimum=0, maximum=3650, suffix=" days")
        keep.setSpecialValueText("not set")
        self._add_row(form, "keep_in_touch_days", keep)
        caller = QComboBox(objectName="assigned_staff_id")
        caller.addItem("anyone", None)
        for member in services.queries.staff():
            if member.active or member.id is not None:
                caller.addItem(member.name + ("" if member.active else " (inactive)"), member.id)
        self._add_row(form, "assigned_staff_id", caller)
        notes = QPlainTextEdit(objectName="notes")
        notes.setTabChangesFocus(True)
        notes.setFixedHeight(70)
        self._add_row(form, "notes", notes)

        self.general_error = QLabel(objectName="generalError", wordWrap=True)
        self.general_error.setStyleSheet("color: #b3261e;")
        self.general_error.hide()
        self.duplicate_box = self._duplicate_box()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel)
        self.save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
        buttons.accepted.connect(self._save_clicked)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(self.duplicate_box)
        layout.addWidget(buttons)
        if customer_id is not None:
            self._load(services.queries.customer_for_editing(customer_id))

    def _duplicate_box(self) -> QWidget:
        box = QWidget(objectName="duplicateWarning")
        column = QVBoxLayout(box)
        column.setContentsMargins(0, 0, 0, 0)
        self.duplicate_message = QLabel(objectName="duplicateMessage", wordWrap=True)
        self.duplicate_message.setStyleSheet("color: #8a4b00;")
        self.open_existing_button = QPushButton(objectName="openExisting")
        self.open_existing_button.clicked.connect(self._open_existing)
        self.save_anyway_button = QPushButton("Save as a &separate customer", objectName="saveAnyway")
        self.save_anyway_button.clicked.connect(self._save_anyway)
        choices = QHBoxLayout()
        choices.addWidget(self.open_existing_button)
        choices.addWidget(self.save_anyway_button)
        choices.addStretch(1)
        column.addWidget(self.duplicate_message)
        column.addLayout(choices)
        box.hide()
        return box

    def _show_duplicate(self, error: PossibleDuplicate) -> None:
        first = error.matches[0]
        self._same_as = first.customer_id
        self.duplicate_message.setText(str(error))
        self.open_existing_button.setText(f"&Open {first.name}")
        self.duplicate_box.show()
        self.open_existing_button.setFocus(Qt.FocusReason.OtherFocusReason)
        self.resize(self.width(), self.sizeHint().height())

    def _open_existing(self) -> None:
        self.open_instead = self._same_as
        self.reject()

    def _save_anyway(self) -> None:
        if self.save(allow_duplicate=True):
            self.accept()

    def _add_row(self, form: QFormLayout, name: str, widget: QWidget) -> None:
        label = QLabel(f"{FIELD_LABELS[name]}:")
        label.setBuddy(widget)
        error = QLabel(objectName=f"{name}_error", wordWrap=True)
        error.setStyleSheet("color: #b3261e;")
        error.hide()
        holder = QWidget()
        column = QVBoxLayout(holder)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(widget)
        column.addWidget(error)
        form.addRow(label, holder)
        self.fields[name] = widget
        self.errors[name] = error

    def _load(self, data: CustomerInput) -> None:
        for name in _TEXT_FIELDS:
            self.fields[name].setText(getattr(data, name) or "")
        self.fields["notes"].setPlainText(data.notes or "")
        self.do_not_call.setChecked(data.do_not_call)
        self.fields["keep_in_touch_days"].setValue(data.keep_in_touch_days or 0)
        caller = self.fields["assigned_staff_id"]
        caller.setCurrentIndex(max(caller.findData(data.assigned_staff_id), 0))

    def customer_input(self) -> CustomerInput:
        text = {name: self.fields[name].text() for name in _TEXT_FIELDS}
        return CustomerInput(**text, notes=self.fields["notes"].toPlainText(),
                             do_not_call=self.do_not_call.isChecked(),
                             keep_in_touch_days=self.fields["keep_in_touch_days"].value() or None,
                             assigned_staff_id=self.fields["assigned_staff_id"].currentData())

    def error_for(self, field: str) -> str:
        label = self.errors.get(field)
        return label.text() if label is not None and not label.isHidden() else ""

    def show_problems(self, problems: dict[str, str]) -> None:
        for name, label in self.errors.items():
            message = problems.get(name, "")
            label.setText(message)
            label.setVisible(bool(message))
            self.fields[name].setStyleSheet(_INVALID_STYLE if message else "")
        first = next((name for name in self.fields if name in problems), None)
        if first:
            self.fields[first].setFocus(Qt.FocusReason.OtherFocusReason)
        # Make room for the messages (or give it back) so no message is cut off.
        self.layout().activate()
        self.resize(self.width(), self.sizeHint().height())

    def save(self, allow_duplicate: bool = False) -> bool:
        """Save the customer; on a problem, show it inline and keep the dialog open."""
        self.general_error.hide()
        self.duplicate_box.hide()
        try:
            if self.customer_id is None:
                self.customer_id = self._services.run(customer_actions.add_customer, self.customer_input(),
                                                      allow_duplicate=allow_duplicate)
            else:
                self._services.run(customer_actions.update_customer, self.customer_id, self.customer_input(),
                                               allow_duplicate=allow_duplicate)
        except InvalidCustomer as error:
            self.show_problems(error.problems)
            return False
        except PossibleDuplicate as error:
            self.show_problems({})
            self._show_duplicate(error)
            return False
        except (InvalidInput, CallAheadError) as error:
            self.show_problems({})
            self.general_error.setText(str(error))
            self.general_error.show()
            self.resize(self.width(), self.sizeHint().height())
            return False
        self.show_problems({})
        return True

    def _save_clicked(self) -> None:
        if self.save():
            self.accept()
