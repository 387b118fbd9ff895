"""The customer table model follows Qt's rules, also while it fetches more rows."""

import datetime as dt

from PySide6.QtCore import QModelIndex, Qt

from core.actions import customers as customer_actions
from core.customer_queries import CustomerQuery, CustomerSort, QuickFilter
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
    doomed = services.queries.find_customer_ids(CustomerQuery())[12]
    services.run(customer_actions.delete_customer, doomed)
    model.fetchMore(QModelIndex())
    assert model.rowCount() == 19 and doomed not in [model.customer_id(r) for r in range(model.rowCount())]
    qtmodeltester.check(model)
