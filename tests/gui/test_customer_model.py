"""The customer table model follows Qt's rules, also while it fetches more rows."""

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt

from core.actions import customers as customer_actions
from core.customers.queries import CustomerQuery, CustomerSort, QuickFilter
from gui.models.customer_table import CUSTOMER_ID_ROLE, SORT_KEY_ROLE, Column, CustomerTableModel


def test_the_model_passes_qt_model_tester_before_and_after_fetching_more(qtmodeltester, services):
    model = CustomerTableModel(services.queries, page_size=25)
    model.set_query(CustomerQuery())
    assert model.rowCount() == 25 and model.total == 120 and model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)  # the tester itself fetches more, and checks each insert
    before = model.rowCount()
    model.fetchMore(QModelIndex())
    assert model.rowCount() == before + 25
    qtmodeltester.check(model)
    while model.canFetchMore(QModelIndex()):
        model.fetchMore(QModelIndex())
    assert model.rowCount() == 120
    qtmodeltester.check(model)
    model.set_query(CustomerQuery(text="a", filters=frozenset({QuickFilter.NEGLECTED}), sort=CustomerSort.VALUE))
    qtmodeltester.check(model)
    model.set_query(CustomerQuery(text="no such customer at all"))
    assert model.rowCount() == 0 and not model.canFetchMore(QModelIndex())
    qtmodeltester.check(model)


def test_rows_carry_raw_sort_keys_and_ids(services):
    model = CustomerTableModel(services.queries)
    model.set_query(CustomerQuery(sort=CustomerSort.LAST_PURCHASE, descending=True))
    first = model.index(0, Column.LAST_PURCHASE)
    assert isinstance(first.data(SORT_KEY_ROLE), int)
    assert dt.date.fromordinal(first.data(SORT_KEY_ROLE)) <= services.queries.today()
    assert model.index(0, Column.NAME).data(CUSTOMER_ID_ROLE) == model.customer_id(0)
    assert model.headerData(Column.VALUE, Qt.Orientation.Horizontal) == "Value (12 mo)"


def test_a_customer_far_down_the_list_is_fetched_when_asked_for(services):
    model = CustomerTableModel(services.queries, page_size=10)
    model.set_query(CustomerQuery())
    last = services.queries.find_customer_ids(CustomerQuery())[-1]
    assert model.row_of(last) is None
    assert model.row_of(last, fetch=True) == 119 and model.rowCount() == 120


def test_a_customer_deleted_while_the_list_is_open_is_skipped_on_fetching(services, qtmodeltester):
    model = CustomerTableModel(services.queries, page_size=10)
    model.set_query(CustomerQuery())
    model.fetchMore(QModelIndex())  # the ids after the first page are read here, once
    doomed = services.queries.find_customer_ids(CustomerQuery())[22]
    services.run(customer_actions.delete_customer, doomed)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 29 and doomed not in [model.customer_id(r) for r in range(model.rowCount())]
    assert model.total == 119
    qtmodeltester.check(model)


def test_a_customer_deleted_before_the_rest_of_the_list_is_read_is_left_out(services, qtmodeltester):
    model = CustomerTableModel(services.queries, page_size=10)
    model.set_query(CustomerQuery())
    doomed = services.queries.find_customer_ids(CustomerQuery())[12]
    services.run(customer_actions.delete_customer, doomed)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 20 and doomed not in [model.customer_id(r) for r in range(model.rowCount())]
    assert model.total == 119
    qtmodeltester.check(model)



class _CountingSource:
    """The services' queries, counting how often the list reads every matching id."""

    def __init__(self, queries):
        self._queries = queries
        self.full_reads = 0

    def __getattr__(self, name):
        return getattr(self._queries, name)

    def find_customer_ids(self, query):
        self.full_reads += 1
        return self._queries.find_customer_ids(query)


def test_the_whole_list_opens_without_reading_every_id_until_scrolled(services):
    source = _CountingSource(services.queries)
    model = CustomerTableModel(source, page_size=25)
    model.set_query(CustomerQuery())
    assert (model.rowCount(), model.total, source.full_reads) == (25, 120, 0)
    assert model.canFetchMore(QModelIndex())
    model.fetchMore(QModelIndex())
    assert (model.rowCount(), source.full_reads) == (50, 1)
    assert [model.customer_id(r) for r in range(50)] == services.queries.find_customer_ids(CustomerQuery())[:50]
    model.set_query(CustomerQuery(text="a"))  # a search is read whole at once: its count needs every match
    assert source.full_reads == 1 and model.total == len(services.queries.find_customer_ids(CustomerQuery(text="a")))


def test_asking_for_a_customer_among_the_loaded_rows_only_reads_no_other_ids(services):
    source = _CountingSource(services.queries)
    model = CustomerTableModel(source, page_size=10)
    model.set_query(CustomerQuery())
    far_down = services.queries.find_customer_ids(CustomerQuery())[50]
    assert model.row_of(far_down) is None and source.full_reads == 0
    assert model.row_of(far_down, fetch=True) == 50 and source.full_reads == 1
