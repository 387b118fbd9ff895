"""Announce a change: describe it, pick the products, see who it affects and the plan.

Every edit refreshes a preview from the engine (nothing is saved): the ranked customers with
their "why", the heads-up calls per day, and the feasibility verdict with its choices as
buttons (start earlier, raise the share, send notes to the missed). "Announce" saves the
change and its calls in one action.
"""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QSize, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSpinBox,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from core.actions import changes as change_actions
from core.storage.enums import ChangeKind
from core.errors import CallAheadError
from core.scheduling import ChangePlan, ChangeRequest
from gui.choices import chosen
from gui.dates import QT_DATE_FORMAT, short_day
from gui.date_limits import limit_to_accepted_dates
from gui.models.affected_model import AffectedColumn, AffectedModel

KIND_LABELS = {ChangeKind.PRICE_INCREASE: "Price increase", ChangeKind.DISCONTINUED: "Product discontinued",
               ChangeKind.REPLACEMENT: "New product replaces one", ChangeKind.OTHER: "Other notice"}
PREVIEW_DELAY_MS = 250


class ChoiceButton(QPushButton):
    """A push button whose words wrap to the width it is given (a choice can be a sentence)."""

    def __init__(self, text: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setAccessibleName(text)
        self.label = QLabel(text, wordWrap=True, textFormat=Qt.TextFormat.PlainText)
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 5, 10, 5)
        layout.addWidget(self.label)
        policy = QSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)
        policy.setHeightForWidth(True)
        self.setSizePolicy(policy)

    def text(self) -> str:  # the words, as a plain button would give them
        return self.label.text()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt API)
        return self.layout().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(160, self.layout().minimumSize().height())

    def hasHeightForWidth(self) -> bool:  # noqa: N802
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802
        return self.layout().totalHeightForWidth(width)


class AnnounceDialog(QDialog):
    def __init__(self, bridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Announce a change")
        self.setObjectName("AnnounceDialog")
        self._fit_size(1100, 680)
        self._bridge = bridge
        self._plan: ChangePlan | None = None
        self.created_plan: ChangePlan | None = None
        settings = bridge.queries.settings()
        self._symbol = settings.currency_symbol
        self._timer = QTimer(self, singleShot=True, interval=PREVIEW_DELAY_MS, timeout=self.preview_now)
        self._build(settings)
        self.preview_now()

    # --- layout ------------------------------------------------------------------------------
    def _build(self, settings) -> None:
        self.kind_box = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind_box.addItem(label, kind)
        self.title_edit = QLineEdit()
        self.title_edit.setPlaceholderText("e.g. Price increase on springs")
        self.effective_edit = QDateEdit()
        self.effective_edit.setCalendarPopup(True)
        self.effective_edit.setDisplayFormat(QT_DATE_FORMAT)
        today = self._bridge.queries.today()
        self.effective_edit.setMinimumDate(QDate(today.year, today.month, today.day))
        limit_to_accepted_dates(self.effective_edit)
        in_three_weeks = today + dt.timedelta(days=21)
        self.effective_edit.setDate(QDate(in_three_weeks.year, in_three_weeks.month, in_three_weeks.day))
        self.talking_points = QPlainTextEdit()
        self.talking_points.setPlaceholderText("What callers should say: why it changes, what the customer can do…")
        self.talking_points.setMaximumHeight(90)
        self.product_filter = QLineEdit()
        self.product_filter.setPlaceholderText("Filter products…")
        self.product_list = QListWidget()
        self.product_list.setObjectName("productList")
        for product in self._bridge.queries.products():
            item = QListWidgetItem(f"{product.name}  ({product.sku})")
            item.setData(Qt.ItemDataRole.UserRole, product.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, product.sku)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
            self.product_list.addItem(item)
        self.window_start = QSpinBox(minimum=1, maximum=365, value=settings.heads_up_window_start_days, suffix=" days")
        self.window_end = QSpinBox(minimum=0, maximum=60, value=settings.heads_up_window_end_days, suffix=" days")
        self.share = QDoubleSpinBox(minimum=5, maximum=100, decimals=0, singleStep=5, suffix=" %",
                                    value=round(settings.heads_up_capacity_share * 100))
        self.samples = QSpinBox(minimum=0, maximum=100, value=settings.samples_count)
        self.notes_for_missed = QCheckBox("Send a note to those not called in time")

        form = QFormLayout()
        form.addRow("&Kind", self.kind_box)
        form.addRow("&Title", self.title_edit)
        form.addRow("&Effective", self.effective_edit)
        form.addRow("Talking &points", self.talking_points)
        window = QHBoxLayout()
        window.addWidget(QLabel("from"))
        window.addWidget(self.window_start)
        window.addWidget(QLabel("to"))
        window.addWidget(self.window_end)
        window.addWidget(QLabel("before"))
        # A row holding a layout gets no buddy from addRow: without one its "&" would show as text.
        form.addRow(QLabel("Call &window", buddy=self.window_start), window)
        form.addRow("Share of each &day", self.share)
        form.addRow("&Samples to send", self.samples)
        form.addRow("", self.notes_for_missed)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.addLayout(form)
        left_layout.addWidget(QLabel("Affected &products", buddy=self.product_list))
        left_layout.addWidget(self.product_filter)
        left_layout.addWidget(self.product_list, 1)

        self.verdict = QLabel()
        self.verdict.setObjectName("verdict")
        self.verdict.setWordWrap(True)
        self.options_row = QVBoxLayout()  # one choice a line: long choices never widen the dialog
        self.per_day = QLabel()
        self.per_day.setObjectName("perDay")
        self.per_day.setWordWrap(True)
        self.affected_model = AffectedModel(self)
        self.affected_view = QTableView()
        self.affected_view.setObjectName("affectedCustomers")
        self.affected_view.setModel(self.affected_model)
        self.affected_view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.affected_view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.affected_view.verticalHeader().hide()
        self.affected_view.horizontalHeader().setStretchLastSection(True)
        for column in (AffectedColumn.RANK, AffectedColumn.EXPOSURE, AffectedColumn.HEADS_UP, AffectedColumn.CALLER):
            self.affected_view.horizontalHeader().setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.addWidget(self.verdict)
        right_layout.addLayout(self.options_row)
        right_layout.addWidget(self.per_day)
        right_layout.addWidget(self.affected_view, 1)

        splitter = QSplitter()
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 2)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.announce_button = self.buttons.addButton("&Announce and plan the calls",
                                                      QDialogButtonBox.ButtonRole.AcceptRole)
        self.buttons.accepted.connect(self.announce)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.buttons)

        for signal in (self.kind_box.currentIndexChanged, self.title_edit.textChanged,
                       self.effective_edit.dateChanged, self.window_start.valueChanged,
                       self.window_end.valueChanged, self.share.valueChanged, self.samples.valueChanged,
                       self.notes_for_missed.toggled, self.product_list.itemChanged):
            signal.connect(lambda *_: self._timer.start())
        self.product_filter.textChanged.connect(self._filter_products)

    # --- reading the form -------------------------------------------------------------------------
    def set_products(self, skus: list[str]) -> None:
        wanted = set(skus)
        for row in range(self.product_list.count()):
            item = self.product_list.item(row)
            state = Qt.CheckState.Checked if item.data(Qt.ItemDataRole.UserRole + 1) in wanted else Qt.CheckState.Unchecked
            item.setCheckState(state)

    def set_effective(self, day: dt.date) -> None:
        self.effective_edit.setDate(QDate(day.year, day.month, day.day))

    def _product_ids(self) -> tuple[int, ...]:
        return tuple(self.product_list.item(row).data(Qt.ItemDataRole.UserRole)
                     for row in range(self.product_list.count())
                     if self.product_list.item(row).checkState() == Qt.CheckState.Checked)

    def request(self) -> ChangeRequest:
        return ChangeRequest(
            kind=chosen(self.kind_box, ChangeKind), title=self.title_edit.text(),
            effective_on=self.effective_edit.date().toPython(), product_ids=self._product_ids(),
            talking_points=self.talking_points.toPlainText().strip() or None,
            window_start_days=self.window_start.value(), window_end_days=self.window_end.value(),
            capacity_share=self.share.value() / 100, samples_count=self.samples.value(),
            notes_for_missed=self.notes_for_missed.isChecked())

    def _filter_products(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.product_list.count()):
            item = self.product_list.item(row)
            item.setHidden(bool(needle) and needle not in item.text().lower())

    # --- preview ------------------------------------------------------------------------------
    def plan(self) -> ChangePlan | None:
        return self._plan

    def preview_now(self) -> None:
        self._timer.stop()
        request = self.request()
        self._clear_options()
        if not request.product_ids:
            self._plan = None
            self._show_message("Pick the products this change affects to see who it concerns.", ok=None)
            return
        try:
            # The title is not needed to rank customers; a placeholder keeps the preview going while typing.
            preview_request = request if request.title.strip() else ChangeRequest(
                **{**request.__dict__, "title": "Untitled change"})
            self._plan = self._bridge.queries.preview_change(preview_request)
        except CallAheadError as problem:
            self._plan = None
            self._show_message(str(problem), ok=False)
            return
        plan = self._plan
        noted = {step.customer_id for step in plan.steps if step.kind == "note"}
        self.affected_model.set_plan(plan.affected, plan.missed, self._symbol, noted=noted)
        feasibility = plan.feasibility
        noted_missed = [customer for customer in plan.missed if customer in noted]
        if noted_missed and len(noted_missed) == len(plan.missed):
            self._show_message(f"{feasibility.verdict} They get a note instead: "
                               f"{self._customers(len(noted_missed))} told by note, none left out.", ok=True)
        else:
            self._show_message(feasibility.verdict, ok=feasibility.feasible)
        for option in feasibility.options:
            if option.kind == "notes_for_missed" and noted_missed:
                continue  # chosen already
            button = ChoiceButton(option.description)
            button.setObjectName(f"option_{option.kind}")
            button.clicked.connect(lambda _checked=False, o=option: self.apply_option(o))
            self.options_row.addWidget(button)
        days = sorted(plan.heads_up_per_day.items())
        self.per_day.setText("Heads-up calls: " + ", ".join(f"{short_day(day)}: {count}"
                                                           for day, count in days) if days else "")
        self.announce_button.setEnabled(bool(plan.affected) and bool(request.title.strip()))

    @staticmethod
    def _customers(count: int) -> str:
        return f"{count} customer{'s' if count != 1 else ''}"

    def _fit_size(self, width: int, height: int) -> None:
        """Never larger than the screen's free area (1024 × 768 leaves about 1024 × 740)."""
        screen = self.screen() if self.parentWidget() is None else self.parentWidget().screen()
        free = screen.availableGeometry()
        self.resize(min(width, free.width() - 20), min(height, free.height() - 40))

    def apply_option(self, option) -> None:
        if option.kind == "extend_window" and option.window_start_days:
            self.window_start.setValue(option.window_start_days)
        elif option.kind == "raise_capacity" and option.capacity_share:
            self.share.setValue(round(option.capacity_share * 100))
        elif option.kind == "notes_for_missed":
            self.notes_for_missed.setChecked(True)
        self.preview_now()

    def _clear_options(self) -> None:
        while self.options_row.count():
            widget = self.options_row.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()

    def _show_message(self, text: str, ok: bool | None) -> None:
        colour = {True: "#1e6b34", False: "#a0361c", None: "#555555"}[ok]
        self.verdict.setText(f"<span style='color:{colour}'><b>{text}</b></span>")
        if self._plan is None:
            self.affected_model.set_plan([], [], self._symbol)
            self.per_day.clear()
        self.announce_button.setEnabled(False)

    # --- saving -------------------------------------------------------------------------------
    def announce(self) -> None:
        request = self.request()
        if not request.title.strip():
            self._show_message("Give the change a title before announcing it.", ok=False)
            self.title_edit.setFocus()
            return
        try:
            self.created_plan = self._bridge.run(change_actions.announce_change, request)
        except CallAheadError as problem:
            self._show_message(str(problem), ok=False)
            return
        self.accept()
