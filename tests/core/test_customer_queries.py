"""The customer list's search, quick filters, sort orders and row figures, on the demo business."""

import datetime as dt

import pytest
from sqlalchemy import select

from core.customers.queries import CustomerQuery, CustomerSort, QuickFilter, customer_rows, find_customer_ids
from core.storage.enums import Outcome, QuoteStatus, Reason, TaskStatus
from core.storage.models import CallLog, CallTask, ChangeCustomer, Customer, Purchase, Quote


def _names(session, query, today, **kwargs):
    ids = find_customer_ids(session, query, today, **kwargs)
    return [row.name for row in customer_rows(session, ids, today)]


def test_an_accentless_search_finds_accented_names(demo_db, today):
    with demo_db.session() as session:
        names = _names(session, CustomerQuery(text="muller"), today)
    assert names and all("Müller" in name for name in names)


def test_search_by_the_last_digits_of_a_phone(demo_db, today):
    with demo_db.session() as session:
        phone = session.scalar(select(Customer.phone).where(Customer.phone.is_not(None)).limit(1))
        typed = f"{phone[-7:-4]}-{phone[-4:]}"
        ids = find_customer_ids(session, CustomerQuery(text=typed), today)
        phones = session.scalars(select(Customer.phone).where(Customer.id.in_(ids))).all()
    assert phones and all(p.endswith(phone[-7:]) for p in phones)


def test_the_like_fallback_finds_the_same_plain_words(demo_db, today):
    with demo_db.session() as session:
        company = session.scalar(select(Customer.company).where(Customer.company.is_not(None)).limit(1))
        for text in ("smith", company.lower(), "contractor"):
            fts = find_customer_ids(session, CustomerQuery(text=text), today, full_text=True)
            like = find_customer_ids(session, CustomerQuery(text=text), today, full_text=False)
            assert fts and set(like) >= set(fts), text


def test_a_search_that_matches_nothing_is_an_empty_list_not_an_error(demo_db, today):
    with demo_db.session() as session:
        assert find_customer_ids(session, CustomerQuery(text='zzqx "AND OR*'), today) == []


def test_quick_filters_keep_only_matching_customers(demo_db, today):
    with demo_db.session() as session:
        with_tasks = set(session.scalars(select(CallTask.customer_id).where(CallTask.status == TaskStatus.PENDING)))
        due = set(session.scalars(select(CallTask.customer_id).where(CallTask.status == TaskStatus.PENDING,
                                                                      CallTask.due_on <= today)))
        free = session.scalars(select(Customer.id).where(Customer.id.not_in(with_tasks)).limit(2)).all()
        session.add(CallTask(customer_id=free[0], reason=Reason.CALLBACK, due_on=today - dt.timedelta(days=1)))
        session.add(CallTask(customer_id=free[1], reason=Reason.CALLBACK, due_on=today + dt.timedelta(days=3)))
        session.flush()

        def ids(*filters):
            return set(find_customer_ids(session, CustomerQuery(filters=frozenset(filters)), today))

        assert ids(QuickFilter.DUE_NOW) == due | {free[0]}
        dnc = set(session.scalars(select(Customer.id).where(Customer.do_not_call)))
        assert dnc and ids(QuickFilter.DO_NOT_CALL) == dnc
        quoted = set(session.scalars(select(Quote.customer_id).where(Quote.status == QuoteStatus.OPEN)))
        assert quoted and ids(QuickFilter.OPEN_QUOTE) == quoted
        neglected = ids(QuickFilter.NEGLECTED)
        recent = set(session.scalars(select(Purchase.customer_id).where(
            Purchase.purchased_on >= dt.date(2026, 5, 24))))
        assert neglected and not neglected & recent
        affected = ids(QuickFilter.AFFECTED_BY_CHANGE)
        assert affected and ids(QuickFilter.AFFECTED_BY_CHANGE, QuickFilter.OPEN_QUOTE) == affected & quoted


def test_the_owner_can_add_or_leave_out_a_customer_of_a_change(demo_db, today):
    with demo_db.session() as session:
        query = CustomerQuery(filters=frozenset({QuickFilter.AFFECTED_BY_CHANGE}))
        affected = find_customer_ids(session, query, today)
        outsider = session.scalar(select(Customer.id).where(Customer.id.not_in(affected)).limit(1))
        session.add(ChangeCustomer(change_id=1, customer_id=outsider, excluded=False))
        session.add(ChangeCustomer(change_id=1, customer_id=affected[0], excluded=True))
        session.flush()
        now_affected = set(find_customer_ids(session, query, today))
    assert outsider in now_affected and affected[0] not in now_affected


def test_sort_orders(demo_db, today):
    with demo_db.session() as session:
        everyone = customer_rows(session, find_customer_ids(session, CustomerQuery(), today), today)
        by_value = customer_rows(session, find_customer_ids(
            session, CustomerQuery(sort=CustomerSort.VALUE, descending=True), today), today)
        by_purchase = customer_rows(session, find_customer_ids(
            session, CustomerQuery(sort=CustomerSort.LAST_PURCHASE, descending=True), today), today)
        by_contact = customer_rows(session, find_customer_ids(
            session, CustomerQuery(sort=CustomerSort.LAST_CONTACT), today), today)
    assert [r.name.lower() for r in everyone] == sorted(r.name.lower() for r in everyone)
    assert [r.value_cents for r in by_value] == sorted((r.value_cents for r in by_value), reverse=True)
    dated = [r.last_purchase for r in by_purchase if r.last_purchase]
    assert dated == sorted(dated, reverse=True) and by_purchase[0].last_purchase is not None
    # Never reached comes first when looking for whom we have not talked to in longest.
    contacts = [r.last_contact for r in by_contact]
    never = contacts.count(None)
    assert never and contacts[:never] == [None] * never
    assert contacts[never:] == sorted(contacts[never:])


def test_last_contact_counts_only_calls_that_reached_the_customer(demo_db, today):
    with demo_db.session() as session:
        customer_id = session.scalar(select(Customer.id).limit(1))
        before = customer_rows(session, [customer_id], today)[0].last_contact
        session.add(CallLog(customer_id=customer_id, logged_at=dt.datetime(2026, 11, 23, 10), outcome=Outcome.VOICEMAIL))
        session.flush()
        assert customer_rows(session, [customer_id], today)[0].last_contact == before
        session.add(CallLog(customer_id=customer_id, logged_at=dt.datetime(2026, 11, 23, 11), outcome=Outcome.REACHED))
        session.flush()
        assert customer_rows(session, [customer_id], today)[0].last_contact == dt.date(2026, 11, 23)


def test_rows_come_back_in_the_order_asked_and_skip_deleted_ones(demo_db, today):
    with demo_db.session() as session:
        rows = customer_rows(session, [5, 3, 99999, 4], today)
    assert [r.id for r in rows] == [5, 3, 4]
    assert all(r.phone == "" or r.phone.startswith("(") for r in rows), "phones read in the national format"


def test_pending_tasks_count_as_due_only_when_not_done(demo_db, today):
    with demo_db.session() as session:
        with_tasks = select(CallTask.customer_id).where(CallTask.status == TaskStatus.PENDING)
        customer_id = session.scalar(select(Customer.id).where(Customer.id.not_in(with_tasks)).limit(1))
        session.add(CallTask(customer_id=customer_id, reason=Reason.QUOTE, due_on=today, status=TaskStatus.DONE))
        session.flush()
        assert not customer_rows(session, [customer_id], today)[0].due_now


def test_the_in_memory_name_order_gives_the_same_list_as_sql(demo_db, today):
    from core.customers.queries import NameOrder

    order = NameOrder()
    with demo_db.session() as session:
        for text in ("a", "muller", "jo", "503", "commercial", "zzz", "555-1"):
            query = CustomerQuery(text=text)
            assert find_customer_ids(session, query, today, name_order=order) == \
                find_customer_ids(session, query, today), text


def test_a_customer_added_elsewhere_is_found_in_its_place(demo_db, today):
    from core.customers.queries import NameOrder

    order = NameOrder()
    with demo_db.session() as session:
        find_customer_ids(session, CustomerQuery(text="a"), today, name_order=order)
    with demo_db.transaction() as session:
        session.add(Customer(name="Aaron Aardvark"))
    with demo_db.session() as session:
        found = find_customer_ids(session, CustomerQuery(text="a"), today, name_order=order)
        assert found == find_customer_ids(session, CustomerQuery(text="a"), today)
        assert customer_rows(session, found[:1], today)[0].name == "Aaron Aardvark"


def _statements_run(database):
    """Every statement (and its parameters) the database runs, as its cursor events see them."""
    from sqlalchemy import event

    statements: list[tuple[str, object]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append((statement, parameters))

    event.listen(database.engine, "before_cursor_execute", record)
    return statements, lambda: event.remove(database.engine, "before_cursor_execute", record)


@pytest.mark.sqlite_only  # reads SQLite's own query plan
def test_the_list_as_it_opens_reads_only_its_first_page_from_the_name_index(demo_db, today):
    from core.customers.queries import find_first_customer_ids

    with demo_db.session() as session:
        every_id = find_customer_ids(session, CustomerQuery(), today)
        statements, stop = _statements_run(demo_db)
        try:
            found = find_first_customer_ids(session, CustomerQuery(), today, 25)
        finally:
            stop()
        assert found.ids == every_id[:25] and found.total == len(every_id) and not found.complete
        driver = session.connection().connection.driver_connection
        rows_read = 0
        for statement, parameters in statements:
            rows_read += len(driver.execute(statement, parameters).fetchall())
            plan = " ".join(row[-1] for row in driver.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))
            assert "TEMP B-TREE" not in plan, plan  # no sort of every customer
        assert rows_read == 25 + 1  # the first page's ids and the count


def test_a_search_or_filter_is_read_whole_with_its_count(demo_db, today):
    from core.customers.queries import find_first_customer_ids

    with demo_db.session() as session:
        for query in (CustomerQuery(text="a"), CustomerQuery(filters=frozenset({QuickFilter.NEGLECTED})),
                      CustomerQuery(sort=CustomerSort.VALUE, descending=True)):
            every_id = find_customer_ids(session, query, today)
            found = find_first_customer_ids(session, query, today, 10)
            assert found.ids[:10] == every_id[:10] and found.total == len(every_id), query
            assert found.complete == (query.text != "" or bool(query.filters)), query
