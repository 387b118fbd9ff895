"""Shipped scripts for every reason, the owner's edits, and scripts filled in for a customer."""

import re

import pytest
from sqlalchemy import select

from core.storage.enums import Reason
from core.errors import InvalidInput
from core.storage.models import Customer, Script
from core.scripts.library import (
    COURTESY_QUESTIONS,
    FALLBACKS,
    HOUSEHOLD_QUESTION,
    MERGE_FIELDS,
    default_script,
    ensure_default_scripts,
    load_script,
    render_call_script,
    render_sample_script,
    save_script,
    script_problems,
    script_values,
    suggest_script,
)

PLACEHOLDER = re.compile(r"[{}]|\[\[|\]\]")


@pytest.mark.parametrize("reason", list(Reason))
def test_a_sensible_script_ships_for_every_reason(reason):
    script = default_script(reason)
    assert script.title and len(script.body) > 80
    assert [p for p in script_problems(script.body)] == [], "shipped scripts have no mistakes and no warnings"


def test_default_scripts_are_seeded_once_and_edits_are_kept(db):
    with db.transaction() as session:
        assert set(ensure_default_scripts(session)) == set(Reason)
        save_script(session, Reason.QUOTE, "My quote call", "Hi {first_name}, about that quote.")
    with db.transaction() as session:
        assert ensure_default_scripts(session) == []
        assert load_script(session, Reason.QUOTE).title == "My quote call"
        assert session.scalar(select(Script.title).where(Script.reason == Reason.NEGLECTED)) == "Courtesy call"


def test_a_script_with_a_mistake_is_refused_naming_the_line(db):
    with pytest.raises(InvalidInput) as raised, db.transaction() as session:
        save_script(session, Reason.QUOTE, "Quote", "Hello.\nHi {frist_name}.")
    assert raised.value.field == "body" and "Line 2" in str(raised.value)
    with db.session() as session:
        assert load_script(session, Reason.QUOTE).body == default_script(Reason.QUOTE).body


@pytest.mark.parametrize("reason", list(Reason))
def test_every_script_reads_without_placeholders_for_every_demo_customer_kind(demo_db, today, reason):
    with demo_db.session() as session:
        bare = Customer(name="Pine Street Builders", company="Pine Street Builders")
        session.add(bare)
        session.flush()
        for customer_id in (1, 2, 3, bare.id):
            rendered = render_call_script(session, customer_id, reason, today, change_id=1)
            for text in [rendered.body, *rendered.checklist]:
                assert not PLACEHOLDER.search(text), text
                assert "  " not in text and " ," not in text and " ." not in text


def test_the_heads_up_script_names_the_customer_the_change_and_its_product(demo_db, today):
    with demo_db.session() as session:
        values = script_values(session, 1, Reason.CHANGE_HEADS_UP, today, change_id=1, caller_name="Dave")
        rendered = render_call_script(session, 1, Reason.CHANGE_HEADS_UP, today, change_id=1, caller_name="Dave")
    assert values["first_name"] and values["change_title"] and values["change_date"]
    body = rendered.body
    assert f"Hi {values['first_name']}, this is Dave calling from Harbor Door & Supply." in body
    assert values["change_title"] in body and values["change_date"] in body
    assert "• Orders placed before the date keep today's price." in body
    assert rendered.checklist[0] in (COURTESY_QUESTIONS[0], HOUSEHOLD_QUESTION)
    assert rendered.checklist[1] == f"How are things going with {values['product']}?"
    assert "thank" in rendered.closing.lower()


def test_a_company_without_a_contact_person_is_greeted_naturally(db, today):
    with db.transaction() as session:
        session.add(Customer(id=1, name="Pine Street Builders", company="Pine Street Builders"))
    with db.session() as session:
        body = render_call_script(session, 1, Reason.KEEP_IN_TOUCH, today).body
    assert body.startswith("Hi there, calling from My Business.")
    assert "with your order" not in body and "How are things at Pine Street Builders?" in body


def test_the_suggested_script_follows_the_customers_situation(demo_db, today):
    from core.customers.queries import CustomerQuery, QuickFilter, find_customer_ids

    with demo_db.session() as session:
        affected = find_customer_ids(session, CustomerQuery(filters=frozenset({QuickFilter.AFFECTED_BY_CHANGE})), today)
        choices = [suggest_script(session, customer_id, today) for customer_id in affected[:20]]
    assert all(c.change_id == 1 or c.task_id for c in choices)
    assert any(c.reason is Reason.CHANGE_HEADS_UP for c in choices)


def test_the_preview_without_customers_uses_sample_values():
    rendered = render_sample_script(default_script(Reason.QUOTE))
    assert "Maria" in rendered.body and "New insulated door" in rendered.body


def test_every_merge_field_has_a_sample_and_a_description():
    assert set(FALLBACKS) == set(MERGE_FIELDS)
    assert all(f.sample and f.description for f in MERGE_FIELDS.values())
