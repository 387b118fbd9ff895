"""The scripts in the seeds' voice: listening calls that never ask for an order."""

import re

import pytest
from sqlalchemy import select

from core.storage.enums import Reason
from core.storage.models import Change, Customer, Product, Purchase, Script
from core.scripts.library import (
    LISTEN_REMINDER,
    default_script,
    ensure_default_scripts,
    load_script,
    render_call_script,
    save_script,
)

# Ways a script could ask for an order. Information ("orders placed before the date keep
# today's price") is allowed, so "order" alone is not on the list.
ORDER_ASKING = re.compile(
    r"order again|place an order|take (your|an) order|like to order|want to order|ready to (order|buy)"
    r"|set (it |them |anything |some )?aside|meaning to pick up|pick (anything|something) up"
    r"|anything you('ll| will)? need|stock up|like to buy|want to buy|before you order|next visit earns"
    r"|can i put you down|shall i (add|book|order)|top up your order", re.IGNORECASE)
SAMPLES_LINE = "we're sending you two — one to try yourself, and one to pass on to someone who might like it"
OLD_QUOTE_BODY = (
    "Hi {first_name}, [[this is {caller_name} ]]calling from {business_name}.\n\n"
    "I'm following up on the quote we sent you[[ on {quote_sent}]] for {quote_description|the work we discussed}"
    "[[, {quote_amount}]].\n\n"
    "Did you get a chance to look it over? Do you have any questions, or is there anything you'd like us to change?")


def _texts(rendered):
    return [rendered.body, *rendered.checklist, rendered.closing]


def test_the_order_asking_scan_catches_the_old_closing_lines():
    for old in ("Is there anything you'll need in the coming weeks that we should set aside for you before then?",
                "so you can try them before you order again.",
                "Is there anything you've been meaning to pick up? Your next visit earns it."):
        assert ORDER_ASKING.search(old), old
    assert not ORDER_ASKING.search("Orders placed before the date keep today's price.")


@pytest.mark.parametrize("reason", list(Reason))
@pytest.mark.parametrize("free_minutes", [False, True])
def test_every_shipped_script_closes_with_courtesy_and_thanks_never_an_order(demo_db, today, reason, free_minutes):
    with demo_db.session() as session:
        ensure_default_scripts(session)
        for customer_id in (1, 2, 3, 4, 5, 6):
            rendered = render_call_script(session, customer_id, reason, today, change_id=1, free_minutes=free_minutes)
            for text in _texts(rendered):
                assert not ORDER_ASKING.search(text), (reason, text)
            assert len(rendered.checklist) == 4, "the courtesy questions close every script"
            assert "thank them sincerely" in rendered.closing
            assert rendered.listen_reminder == LISTEN_REMINDER == "Listen — you're not selling anything."


def test_the_samples_step_says_one_to_try_and_one_to_pass_on(demo_db, today):
    with demo_db.session() as session:
        assert session.get(Change, 1).samples_count == 2
        body = render_call_script(session, 1, Reason.CHANGE_SAMPLES, today, change_id=1).body
    assert SAMPLES_LINE in body
    assert "try them before you order" not in body


def test_ten_free_minutes_opens_with_the_line_it_is_named_after(demo_db, today):
    with demo_db.session() as session:
        product = session.scalar(select(Product.name).join(Purchase, Purchase.product_id == Product.id)
                                 .where(Purchase.customer_id == 1).order_by(Purchase.purchased_on.desc(),
                                                                            Purchase.id.desc()).limit(1))
        customer = session.get(Customer, 1)
        rendered = render_call_script(session, 1, Reason.KEEP_IN_TOUCH, today, caller_name="Dave",
                                      free_minutes=True)
        usual = render_call_script(session, 1, Reason.KEEP_IN_TOUCH, today, caller_name="Dave")
    first = rendered.body.split("\n\n")[0]
    assert first == (f"Hi {customer.first_name}, it's Dave from Harbor Door & Supply. I just got ten free minutes, "
                     f"so I thought I'd call to see how everything is going with {product}.")
    assert rendered.body.split("\n\n")[1:] == usual.body.split("\n\n")[1:], "the rest of the script follows"
    assert "ten free minutes" not in usual.body


def test_check_in_scripts_offer_the_products_care_tip(db, today):
    with db.transaction() as session:
        ensure_default_scripts(session)
        tracks = Product(sku="DR-1", name="Oak Door Kit", care_tip="A spray of lubricant on the tracks twice a year.")
        plain = Product(sku="RM-1", name="Remote")
        ann = Customer(name="Ann Smith", first_name="Ann")
        bob = Customer(name="Bob Jones", first_name="Bob")
        session.add_all([tracks, plain, ann, bob])
        session.flush()
        session.add_all([Purchase(customer_id=ann.id, product_id=tracks.id, purchased_on=today, amount_cents=100),
                         Purchase(customer_id=bob.id, product_id=plain.id, purchased_on=today, amount_cents=100)])
    with db.session() as session:
        for reason in (Reason.POST_PURCHASE, Reason.KEEP_IN_TOUCH):
            body = render_call_script(session, ann.id, reason, today).body
            assert body.endswith("A tip while I have you: A spray of lubricant on the tracks twice a year."), body
            assert "tip" not in render_call_script(session, bob.id, reason, today).body
        assert "tip" not in render_call_script(session, ann.id, Reason.QUOTE, today).body


@pytest.mark.parametrize("company, tags, first_question", [
    ("Pine Street Builders", None, "How's business going?"),
    (None, None, "How have you been?"),
    (None, "contractor", "How's business going?"),
    ("Smith Family Trust", "residential", "How have you been?"),
])
def test_a_household_is_asked_how_they_have_been_a_business_how_business_is(db, today, company, tags, first_question):
    with db.transaction() as session:
        customer = Customer(name="Ann Smith", first_name="Ann", company=company, tags=tags)
        session.add(customer)
    with db.session() as session:
        rendered = render_call_script(session, customer.id, Reason.KEEP_IN_TOUCH, today)
    assert rendered.checklist[0] == first_question
    assert ("How's business going?" in rendered.checklist) == (first_question == "How's business going?")


def test_an_unedited_copy_of_a_retired_script_takes_the_new_text_an_edited_one_stays(db):
    with db.transaction() as session:
        ensure_default_scripts(session)
        session.scalar(select(Script).where(Script.reason == Reason.QUOTE)).body = OLD_QUOTE_BODY
        save_script(session, Reason.REWARDS, "Our card", "Hi {first_name}, your card is nearly full.")
    with db.transaction() as session:
        assert ensure_default_scripts(session) == [Reason.QUOTE]
        assert load_script(session, Reason.QUOTE).body == default_script(Reason.QUOTE).body
        assert load_script(session, Reason.REWARDS).body == "Hi {first_name}, your card is nearly full."
    with db.transaction() as session:
        assert ensure_default_scripts(session) == []

