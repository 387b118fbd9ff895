"""The customer list as a Qt table model that stays smooth at 100,000 customers.

It holds only the ordered ids of the customers matching the current search, filters and sort
(core.customers.queries does that in one query; for the whole list as it opens, only the first
page's ids and the count, the other ids once the view scrolls past them) and asks for the
figures of a page of rows the first time the view scrolls to them (canFetchMore/fetchMore).
Sorting by a header asks core for a new order; raw sort keys are available under SORT_KEY_ROLE.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Sequence
from enum import IntEnum
from typing import Any, Protocol

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QGuiApplication

from core.customers.queries import CustomerQuery, CustomerRow, CustomerSort, FoundCustomers
from core.labels import format_day, format_money

SORT_KEY_ROLE = Qt.ItemDataRole.UserRole
CUSTOMER_ID_ROLE = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200  # rows fetched each time the view scrolls to the end of what is loaded
FIRST_PAGE_SIZE = 60  # enough to fill a tall window, until the view says how many rows it shows


class CustomerSource(Protocol):
    def today(self) -> dt.date: ...

    def find_customer_ids(self, query: CustomerQuery) -> list[int]: ...

    def find_first_customer_ids(self, query: CustomerQuery, count: int) -> FoundCustomers: ...

    def customer_rows(self, ids: Sequence[int]) -> list[CustomerRow]: ...


class Column(IntEnum):
    NAME = 0
    COMPANY = 1
    PHONE = 2
    LAST_CONTACT = 3
    LAST_PURCHASE = 4
    VALUE = 5
    STATUS = 6


HEADERS = {
    Column.NAME: "Name",
    Column.COMPANY: "Company",
    Column.PHONE: "Phone",
    Column.LAST_CONTACT: "Last talked",
    Column.LAST_PURCHASE: "Last purchase",
    Column.VALUE: "Value (12 mo)",
    Column.STATUS: "Status",
}
HEADER_TIPS = {
    Column.LAST_CONTACT: "The last call in which someone actually reached the customer.",
    Column.LAST_PURCHASE: "Their newest purchase.",
    Column.VALUE: "What they spent in the last 12 months.",
    Column.STATUS: "Due: a call is due today or overdue. Quote: an open quote. Do not call: they asked not to be.",
}
SORTS: dict[Column, CustomerSort] = {
    Column.NAME: CustomerSort.NAME,
    Column.COMPANY: CustomerSort.COMPANY,
    Column.LAST_CONTACT: CustomerSort.LAST_CONTACT,
    Column.LAST_PURCHASE: CustomerSort.LAST_PURCHASE,
    Column.VALUE: CustomerSort.VALUE,
}
_DIMMED = QBrush(QColor("#8a8f98"))


def status_text(row: CustomerRow) -> str:
    parts = []
    if row.do_not_call:
        parts.append("Do not call")
    if row.due_now:
        parts.append("Due")
    if row.open_quote:
        parts.append("Quote")
    return " · ".join(parts)


def _sort_key(row: CustomerRow, column: Column) -> Any:
    return {
        Column.NAME: row.name.casefold(),
        Column.COMPANY: (row.company or "").casefold(),
        Column.PHONE: row.phone_e164 or "",
        Column.LAST_CONTACT: row.last_contact.toordinal() if row.last_contact else 0,
        Column.LAST_PURCHASE: row.last_purchase.toordinal() if row.last_purchase else 0,
        Column.VALUE: row.value_cents,
        Column.STATUS: (row.due_now, row.open_quote, row.do_not_call).__repr__(),
    }[column]


class CustomerTableModel(QAbstractTableModel):
    def __init__(self, source: CustomerSource, page_size: int = PAGE_SIZE, parent=None):
        super().__init__(parent)
        self._source = source
        self._page_size = page_size
        self._first_page_size = min(FIRST_PAGE_SIZE, page_size)
        self._query = CustomerQuery()
        self._queried = False  # no search has run yet (the view may set its sort order first)
        self._ids: list[int] = []  # in order; only the first of them until _all_ids_read
        self._all_ids_read = True
        self._total = 0  # how many match, while not all ids are read
        self._loaded = 0
        self._rows: dict[int, CustomerRow] = {}
        self._inserting = False
        self.currency_symbol = "$"
        self._bold = QFont()
        self._bold.setBold(True)

    # --- what the list shows -------------------------------------------------------------
    @property
    def query(self) -> CustomerQuery:
        return self._query

    @property
    def total(self) -> int:
        """How many customers match, loaded or not."""
        return len(self._ids) if self._all_ids_read else self._total

    def show_rows_at_once(self, count: int) -> None:
        """How many rows a new search loads at once: what the view shows, so a keystroke pays only
        for the rows seen (scrolling loads the rest)."""
        self._first_page_size = max(1, min(count, self._page_size))

    def set_query(self, query: CustomerQuery) -> None:
        """Run a new search/filter/sort; the first page is loaded at once, the rest on scrolling."""
        self._queried = True
        self._reset(query, self._first_page_size)

    def reload(self) -> None:
        """Run the same query again (after customers changed), keeping as many rows loaded."""
        self._reset(self._query, max(self._loaded, self._first_page_size))

    def _reset(self, query: CustomerQuery, rows_wanted: int) -> None:
        # Sorting 100,000 customers by their figures takes about half a second: say so.
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            found = self._source.find_first_customer_ids(query, rows_wanted)
        finally:
            QGuiApplication.restoreOverrideCursor()
        self.beginResetModel()
        self._query = query
        self._ids = list(found.ids)
        self._all_ids_read = found.complete
        self._total = found.total
        self._rows.clear()
        self._loaded = 0
        self._load_rows(min(rows_wanted, len(self._ids)))
        self.endResetModel()

    def _load_rows(self, count: int) -> None:
        wanted = self._ids[self._loaded:self._loaded + count]
        for row in self._source.customer_rows(wanted):
            self._rows[row.id] = row
        # A customer deleted between the two queries has no row: keep the list consistent.
        missing = [i for i in wanted if i not in self._rows]
        if missing:
            gone = set(missing)
            self._ids[self._loaded:self._loaded + count] = [i for i in wanted if i not in gone]
            count -= len(missing)
            self._total -= len(missing)
        self._loaded += count

    def _read_all_ids(self) -> None:
        """The ids after the first page, in the query's order (read when the view needs them)."""
        if self._all_ids_read:
            return
        ids = self._source.find_customer_ids(self._query)
        shown = self._ids[:self._loaded]
        # Customers another program added or deleted since the first page: the shown rows stay.
        seen = set(shown)
        self._ids = shown + [i for i in ids if i not in seen]
        self._all_ids_read = True

    def refresh_customers(self, customer_ids: Iterable[int]) -> None:
        """Re-read the figures of these customers where they are shown, without reordering."""
        shown = [i for i in customer_ids if i in self._rows]
        if not shown:
            return
        for row in self._source.customer_rows(shown):
            self._rows[row.id] = row
        for customer_id in shown:
            position = self.row_of(customer_id)
            if position is not None:
                self.dataChanged.emit(self.index(position, 0), self.index(position, len(Column) - 1))

    def customer_id(self, row: int) -> int | None:
        return self._ids[row] if 0 <= row < self._loaded else None

    def row_of(self, customer_id: int, fetch: bool = False) -> int | None:
        """The row showing this customer; with `fetch`, loads pages until it is shown."""
        if fetch and customer_id not in self._ids:
            self._read_all_ids()  # without `fetch` only the loaded rows count: all among the ids read
        try:
            position = self._ids.index(customer_id)
        except ValueError:
            return None
        while fetch and position >= self._loaded and self.canFetchMore(QModelIndex()):
            self.fetchMore(QModelIndex())
        return position if position < self._loaded else None

    # --- Qt's model interface ------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else self._loaded

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:
        return 0 if parent.isValid() else len(Column)

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:
        return not parent.isValid() and not self._inserting and self._loaded < self.total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:
        # A slot connected to rowsInserted may ask for more while rows are being inserted:
        # a nested insert there would corrupt the view's bookkeeping, so it waits its turn.
        if parent.isValid() or self._inserting:
            return
        if self._loaded + self._page_size > len(self._ids):
            self._read_all_ids()
        count = min(self._page_size, len(self._ids) - self._loaded)
        if count <= 0:
            return
        # Load first, then announce exactly the rows that arrived (some may have been deleted).
        before = self._loaded
        ids_before = list(self._ids[before:before + count])
        rows = {row.id: row for row in self._source.customer_rows(ids_before)}
        arrived = [i for i in ids_before if i in rows]
        if not arrived:
            self._ids[before:before + count] = []
            return
        self._inserting = True
        try:
            self.beginInsertRows(QModelIndex(), before, before + len(arrived) - 1)
            self._rows.update(rows)
            self._ids[before:before + count] = arrived
            self._loaded += len(arrived)
            self.endInsertRows()
        finally:
            self._inserting = False

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < len(Column):
            return None
        column = Column(section)
        if role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[column]
        if role == Qt.ItemDataRole.ToolTipRole:
            return HEADER_TIPS.get(column)
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < self._loaded or not 0 <= index.column() < len(Column):
            return None
        row = self._rows[self._ids[index.row()]]
        column = Column(index.column())
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == SORT_KEY_ROLE:
            return _sort_key(row, column)
        if role == CUSTOMER_ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ToolTipRole:
            if row.do_not_call:
                return f"{row.name} asked not to be called."
            if column == Column.NAME and row.email:
                return row.email
            return None
        if role == Qt.ItemDataRole.ForegroundRole and row.do_not_call:
            return _DIMMED
        if role == Qt.ItemDataRole.FontRole and column == Column.STATUS and row.due_now:
            return self._bold
        if role == Qt.ItemDataRole.TextAlignmentRole and column == Column.VALUE:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def _display(self, row: CustomerRow, column: Column) -> str:
        today = self._source.today()
        if column == Column.NAME:
            return row.name
        if column == Column.COMPANY:
            return row.company or ""
        if column == Column.PHONE:
            return row.phone
        if column == Column.LAST_CONTACT:
            return format_day(row.last_contact, today) if row.last_contact else "never"
        if column == Column.LAST_PURCHASE:
            return format_day(row.last_purchase, today)
        if column == Column.VALUE:
            return format_money(row.value_cents, self.currency_symbol, whole=True) if row.value_cents else "—"
        return status_text(row)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        sort = SORTS.get(Column(column)) if 0 <= column < len(Column) else None
        if sort is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        wanted = dataclasses.replace(self._query, sort=sort, descending=descending)
        if not self._queried:
            self._query = wanted  # the view sets its order while it is built: run the query once, later
            return
        if (sort, descending) != (self._query.sort, self._query.descending) or not self._ids:
            self.set_query(wanted)

    def sort_column(self) -> tuple[Column, Qt.SortOrder]:
        column = next(c for c, s in SORTS.items() if s == self._query.sort)
        return column, Qt.SortOrder.DescendingOrder if self._query.descending else Qt.SortOrder.AscendingOrder
