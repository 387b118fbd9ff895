"""Merge fields always read naturally: a value, the field's own wording, or nothing at all."""

from hypothesis import given
from hypothesis import strategies as st

from core.scripts.template import check_template, fields_used, render_template

FALLBACKS = {"first_name": "there", "company": "your business", "product": "your order", "caller_name": "",
             "last_purchase": ""}


def test_values_are_filled_in():
    text = render_template("Hi {first_name}, how is {company}?", {"first_name": "Maria", "company": "Pine Street"},
                           FALLBACKS)
    assert text == "Hi Maria, how is Pine Street?"


def test_a_missing_value_reads_as_the_field_wording_or_the_scripts_fallback():
    template = "Hi {first_name}, how is {company}? And {company|the shop}?"
    assert render_template(template, {}, FALLBACKS) == "Hi there, how is your business? And the shop?"


def test_an_optional_passage_is_left_out_when_a_field_inside_has_no_value():
    template = "Hi {first_name}, [[this is {caller_name} ]]calling. [[You bought {product} on {last_purchase}.]] Bye."
    assert render_template(template, {"first_name": "Al", "product": "a door"}, FALLBACKS) == "Hi Al, calling. Bye."
    full = render_template(template, {"first_name": "Al", "caller_name": "Dave", "product": "a door",
                                      "last_purchase": "3 May"}, FALLBACKS)
    assert full == "Hi Al, this is Dave calling. You bought a door on 3 May. Bye."


def test_a_fallback_starting_a_sentence_gets_a_capital():
    assert render_template("Thanks. {company|your team} is great.", {}, FALLBACKS) == "Thanks. Your team is great."


def test_braces_can_be_written_and_mistakes_never_show_raw():
    assert render_template("{{literally}}", {}, FALLBACKS) == "{literally}"
    assert render_template("Hi {frist_name}, {first_name", {}, FALLBACKS) == "Hi, first_name"


def test_mistakes_are_reported_with_their_position():
    problems = check_template("Hi {frist_name}.\n[[You bought {product}.", FALLBACKS)
    errors = [p for p in problems if p.is_error]
    assert [p.position for p in errors] == [3, 17]
    assert "frist_name" in errors[0].message and "never closed" in errors[1].message


def test_a_field_that_would_vanish_earns_a_warning_not_an_error():
    problems = check_template("It's {caller_name} here.", FALLBACKS)
    assert problems and not problems[0].is_error
    assert check_template("It's {caller_name|us} here. [[{caller_name}]]", FALLBACKS) == []


WORDS = st.text(alphabet=st.characters(blacklist_characters="{}[]|", blacklist_categories=("Cs",)), max_size=12)
FIELD_NAMES = st.sampled_from(sorted(FALLBACKS))
ONE_LINE = st.text(alphabet=st.characters(blacklist_characters="{}[]|\n", blacklist_categories=("Cs",)), max_size=12)
FIELD = st.builds(lambda name, fb: "{" + name + ("" if fb is None else "|" + fb) + "}", FIELD_NAMES,
                  st.none() | ONE_LINE)
PIECE = WORDS | FIELD
OPTIONAL = st.lists(PIECE, max_size=4).map(lambda parts: "[[" + "".join(parts) + "]]")
TEMPLATE = st.lists(PIECE | OPTIONAL, max_size=8).map("".join)
VALUES = st.dictionaries(FIELD_NAMES, st.none() | st.just("") | WORDS)


@given(TEMPLATE, VALUES)
def test_a_well_formed_script_never_shows_a_placeholder_whatever_is_missing(template, values):
    assert [p for p in check_template(template, FALLBACKS) if p.is_error] == []
    text = render_template(template, values, FALLBACKS)
    assert "{" not in text and "}" not in text and "[[" not in text and "]]" not in text


@given(TEMPLATE, VALUES)
def test_every_value_given_outside_optional_passages_is_read(template, values):
    if "[[" in template:
        return
    text = render_template(template, values, FALLBACKS)
    for name in fields_used(template):
        value = (values.get(name) or "").strip()
        if value:
            assert " ".join(value.split())[:1] in text


@given(st.text(max_size=60), VALUES)
def test_rendering_any_text_never_raises(template, values):
    render_template(template, values, FALLBACKS)
    check_template(template, FALLBACKS)
