"""The customer list: search-as-you-type, quick filters, a sortable table, and empty states
that say what to do next. It reports the chosen customer and what the owner asks to do with
it (add, edit, delete) as signals; the window decides what happens."""

from __future__ import annotations

import dataclasses
from html import escape

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableView,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from core.customers.queries import CustomerQuery, QuickFilter
from core.services import ChangeSet
from gui.flow_layout import FlowLayout
from gui.models.customer_table import SORTS, Column, CustomerTableModel
from gui.services import ServiceBridge

SEARCH_DELAY_MS = 150  # long enough to skip the keystrokes of a word typed fast, short enough to feel instant

FILTER_BUTTONS: list[tuple[QuickFilter, str, str]] = [
    (QuickFilter.DUE_NOW, "&Due now", "A call or task is due today or overdue."),
    (QuickFilter.NEGLECTED, "Ne&glected", "Bought from you before, but nothing for a while (see Settings → Rules)."),
    (QuickFilter.OPEN_QUOTE, "Open &quote", "A quote was sent and is neither won nor lost."),
    (QuickFilter.AFFECTED_BY_CHANGE, "Affec&ted by a change", "Bought a product of an announced change this year."),
    (QuickFilter.DO_NOT_CALL, "Do not ca&ll", "Asked not to be called."),
]

FILTER_EMPTY_WORDS: dict[QuickFilter, str] = {
    QuickFilter.DUE_NOW: "is due a call now",
    QuickFilter.NEGLECTED: "has gone quiet",
    QuickFilter.OPEN_QUOTE: "has an open quote",
    QuickFilter.AFFECTED_BY_CHANGE: "is affected by a change",
    QuickFilter.DO_NOT_CALL: "asked not to be called",
}


class CustomersPanel(QWidget):
    current_customer_changed = Signal(object)  # int, or None when nothing is chosen
    add_requested = Signal()
    import_requested = Signal()  # the empty list's "Import customers…"
    edit_requested = Signal(int)
    delete_requested = Signal(int)
    log_call_requested = Signal(int)  # a call for no reason to this customer

    def __init__(self, services: ServiceBridge, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("customersPanel")
        self._services = services
        self.model = CustomerTableModel(services.queries, parent=self)

        self.search_box = QLineEdit(placeholderText="Search name, company, phone, e-mail or tag")
        self.search_box.setObjectName("customerSearch")
        self.search_box.setClearButtonEnabled(True)
        self.search_box.setAccessibleName("Search customers")
        self.add_button = QPushButton("Ne&w customer…")
        self.add_button.setObjectName("addCustomer")
        self.log_call_button = QPushButton("Log a ca&ll…", objectName="logCallFromList", enabled=False)
        self.log_call_button.setToolTip("Record a call made for no reason to the chosen customer")
        self.filter_buttons: dict[QuickFilter, QToolButton] = {}
        self.count_label = QLabel()
        self.count_label.setObjectName("customerCount")
        self.count_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.table = QTableView()
        self.table.setObjectName("customerTable")
        self.table.setAccessibleName("Customers")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setShowGrid(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        self.table.setSortingEnabled(True)
        header = self.table.horizontalHeader()
        header.setSortIndicator(Column.NAME, Qt.SortOrder.AscendingOrder)
        header.setHighlightSections(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(Column.COMPANY, QHeaderView.ResizeMode.Stretch)  # takes what is left
        header.setStretchLastSection(False)
        header.setMinimumSectionSize(60)
        # Widths from the font, not pixels: at 150 % or with a bigger font a value like $4,190
        # must still show whole (a column sized for the default font read "$4,19").
        metrics = self.table.fontMetrics()
        for column, sample in ((Column.NAME, "Alexandra Kowalczyk"), (Column.PHONE, "+44 20 7946 0958"),
                               (Column.LAST_CONTACT, "30 Sep 2025"), (Column.LAST_PURCHASE, "30 Sep 2025"),
                               (Column.VALUE, f"{self._services.queries.settings().currency_symbol}999,999"),
                               (Column.STATUS, "Do not call")):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            width = max(metrics.horizontalAdvance(sample), metrics.horizontalAdvance(title) + 16) + 18
            self.table.setColumnWidth(column, width)

        self.empty_message = QLabel(wordWrap=True, alignment=Qt.AlignmentFlag.AlignCenter)
        self.empty_message.setObjectName("customersEmpty")
        self.empty_message.setTextFormat(Qt.TextFormat.RichText)
        self.empty_action = QPushButton()
        self.empty_action.setObjectName("emptyAction")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.table)
        self.stack.addWidget(self._empty_page())

        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._layout()
        self._wire()
        self.model.set_query(CustomerQuery())
        self._after_refresh()

    def _empty_page(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        layout.addStretch(1)
        layout.addWidget(self.empty_message)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.empty_action)
        row.addStretch(1)
        layout.addLayout(row)
        layout.addStretch(2)
        return page

    def _layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.search_box, 1)
        top.addWidget(self.count_label)
        top.addWidget(self.log_call_button)
        top.addWidget(self.add_button)
        filters = FlowLayout(spacing=4)  # the buttons wrap on a narrow window, never cut their words
        for quick_filter, label, tip in FILTER_BUTTONS:
            button = QToolButton(text=label, checkable=True, toolTip=tip)
            button.setObjectName(f"filter_{quick_filter.value}")
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            self.filter_buttons[quick_filter] = button
            button.setAccessibleName(label.replace("&", ""))
            filters.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addLayout(filters)
        layout.addWidget(self.stack, 1)

    def _wire(self) -> None:
        self.search_box.textChanged.connect(self._search_timer.start)
        self._search_timer.timeout.connect(self.apply_search)
        self.search_box.installEventFilter(self)
        self.table.viewport().installEventFilter(self)  # its height decides how many rows a search loads
        for button in self.filter_buttons.values():
            button.toggled.connect(self.apply_search)
        self.add_button.clicked.connect(self.add_requested)
        self.log_call_button.clicked.connect(self._log_call_current)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.log_call_action = QAction("Log a call…", self.table)
        self.log_call_action.triggered.connect(self._log_call_current)
        self.table.addAction(self.log_call_action)
        self.empty_action.clicked.connect(self._empty_action_clicked)
        self.table.selectionModel().currentRowChanged.connect(self._current_row_changed)
        self.model.modelReset.connect(self._after_refresh)
        self.table.horizontalHeader().sortIndicatorChanged.connect(self._sort_indicator_changed)
        self.table.doubleClicked.connect(self._edit_current)
        for key, slot in ((Qt.Key.Key_Return, self._edit_current), (Qt.Key.Key_Enter, self._edit_current),
                          (QKeySequence.StandardKey.Delete, self._delete_current)):
            shortcut = QShortcut(QKeySequence(key), self.table, context=Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(slot)

    # --- searching ---------------------------------------------------------------------------
    def query(self) -> CustomerQuery:
        filters = frozenset(f for f, button in self.filter_buttons.items() if button.isChecked())
        return dataclasses.replace(self.model.query, text=self.search_box.text(), filters=filters)

    def apply_search(self) -> None:
        """Run the search now (the search box calls this a moment after the last keystroke)."""
        self._search_timer.stop()
        remembered = self.current_customer_id()
        self.model.set_query(self.query())
        self._reselect(remembered)

    def clear_search(self) -> None:
        for button in self.filter_buttons.values():
            button.blockSignals(True)
            button.setChecked(False)
            button.blockSignals(False)
        self.search_box.clear()
        self.apply_search()

    def focus_search(self) -> None:
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            row_height = max(1, self.table.verticalHeader().defaultSectionSize())
            self.model.show_rows_at_once(self.table.viewport().height() // row_height + 2)
        # Down or Enter in the search box moves into the results; Escape clears the search
        # (before any window-wide Escape shortcut: a search being typed comes first).
        if (watched is self.search_box and event.type() == QEvent.Type.ShortcutOverride
                and event.key() == Qt.Key.Key_Escape and self.search_box.text()):
            event.accept()
            return True
        if watched is self.search_box and event.type() == QEvent.Type.KeyPress:
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.apply_search()
                if self.model.rowCount():
                    self.table.setFocus(Qt.FocusReason.OtherFocusReason)
                    if self.current_customer_id() is None:
                        self.table.selectRow(0)
                return True
            if event.key() == Qt.Key.Key_Escape and self.search_box.text():
                self.search_box.clear()
                self.apply_search()
                return True
        return super().eventFilter(watched, event)

    # --- selection -------------------------------------------------------------------------
    def current_customer_id(self) -> int | None:
        index = self.table.selectionModel().currentIndex()
        if not index.isValid() or not self.table.selectionModel().isRowSelected(index.row(), QModelIndex()):
            return None
        return self.model.customer_id(index.row())

    def select_customer(self, customer_id: int, fetch: bool = True) -> bool:
        row = self.model.row_of(customer_id, fetch=fetch)
        if row is None:
            return False
        self.table.selectRow(row)
        self.table.scrollTo(self.model.index(row, 0))
        return True

    def row_of_customer(self, customer_id: int, fetch: bool = True) -> int | None:
        return self.model.row_of(customer_id, fetch=fetch)

    def select_row_near(self, row: int) -> None:
        """Choose the customer now at `row`, or the last one (after the one there was deleted)."""
        neighbour = self.model.customer_id(min(row, self.model.rowCount() - 1))
        if neighbour is not None:
            self.select_customer(neighbour)

    def forget_selection(self) -> None:
        """No customer chosen in the list (another panel chose one), so any click chooses again."""
        self.table.selectionModel().clearCurrentIndex()
        self.table.clearSelection()

    def _reselect(self, customer_id: int | None) -> None:
        """After the list was rebuilt, keep the same customer chosen if it is still shown."""
        if customer_id is None or not self.select_customer(customer_id, fetch=False):
            self.current_customer_changed.emit(None)

    def _sort_indicator_changed(self, column: int, _order: Qt.SortOrder) -> None:
        if column not in SORTS:  # phone and status do not sort: put the arrow back where the order is
            QTimer.singleShot(0, self._after_refresh)

    def _current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        self.log_call_button.setEnabled(current.isValid())
        self.current_customer_changed.emit(self.model.customer_id(current.row()) if current.isValid() else None)

    def _log_call_current(self) -> None:
        customer_id = self.current_customer_id()
        if customer_id is not None:
            self.log_call_requested.emit(customer_id)

    def _edit_current(self, *_args) -> None:
        customer_id = self.current_customer_id()
        if customer_id is not None:
            self.edit_requested.emit(customer_id)

    def _delete_current(self) -> None:
        customer_id = self.current_customer_id()
        if customer_id is not None:
            self.delete_requested.emit(customer_id)

    # --- keeping up with changes -----------------------------------------------------------------
    def on_changes(self, changes: ChangeSet) -> None:
        if changes.settings:
            self.model.currency_symbol = self._services.queries.settings().currency_symbol
        if changes.customer_list or changes.tasks or changes.settings:
            remembered = self.current_customer_id()
            self.model.reload()
            self._reselect(remembered)
        elif changes.customers:
            self.model.refresh_customers(changes.customers)

    def _after_refresh(self) -> None:
        total = self.model.total
        self.count_label.setText(f"{total:,} customer{'s' if total != 1 else ''}")
        header = self.table.horizontalHeader()
        column, order = self.model.sort_column()
        if header.sortIndicatorSection() != column or header.sortIndicatorOrder() != order:
            header.blockSignals(True)
            header.setSortIndicator(column, order)
            header.blockSignals(False)
        if total:
            self.stack.setCurrentIndex(0)
            return
        query = self.model.query
        if not query.text.strip() and not query.filters and self._services.queries.count_customers() == 0:
            self.empty_message.setText(
                "<h3>No customers yet</h3><p>Import them from your point-of-sale, your accounts or a spreadsheet "
                "(or add one with New customer).</p>")
            self.empty_action.setText("&Import customers…")
            self.empty_action.setProperty("action", "import")
        elif not query.text.strip():
            wanted = " and ".join(FILTER_EMPTY_WORDS[f] for f in query.filters)
            self.empty_message.setText(f"<h3>No customer {wanted}</h3><p>Nothing to do here for now.</p>")
            self.empty_action.setText("Show all custome&rs")
            self.empty_action.setProperty("action", "clear")
        else:
            what = f"matches “{escape(query.text.strip())}”" if query.text.strip() else "fits these filters"
            self.empty_message.setText(f"<h3>No customer {what}</h3>"
                                       "<p>Check the spelling, or search by phone, e-mail or company.</p>")
            self.empty_action.setText("Clear sea&rch and filters")
            self.empty_action.setProperty("action", "clear")
        self.stack.setCurrentIndex(1)
        self.current_customer_changed.emit(None)

    def _empty_action_clicked(self) -> None:
        if self.empty_action.property("action") == "import":
            self.import_requested.emit()
        else:
            self.clear_search()
