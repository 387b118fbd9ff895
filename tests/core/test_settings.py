import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import InvalidInput
from core.settings import Settings, load_settings, save_settings


def test_a_new_business_starts_with_the_documented_defaults(db):
    with db.session() as session:
        settings = load_settings(session)
    assert settings == Settings()
    assert settings.heads_up_window_start_days == 21 and settings.heads_up_capacity_share == 0.6


def test_saved_settings_are_read_back(db):
    with db.transaction() as session:
        save_settings(session, business_name="Harbor Door", business_weekdays=[0, 1, 2, 3, 4, 5], samples_count=3)
    with db.session() as session:
        settings = load_settings(session)
    assert settings.business_name == "Harbor Door"
    assert settings.business_weekdays == (0, 1, 2, 3, 4, 5)
    assert settings.samples_count == 3


@pytest.mark.parametrize("changes,field", [
    ({"samples_count": -1}, "samples_count"),
    ({"heads_up_capacity_share": 1.5}, "heads_up_capacity_share"),
    ({"business_weekdays": []}, "business_weekdays"),
    ({"day_starts_at": "25:00"}, "day_starts_at"),
    ({"max_attempts": "three"}, "max_attempts"),
    ({"colour": "blue"}, "colour"),
])
def test_a_bad_value_is_named_and_nothing_is_saved(db, changes, field):
    with pytest.raises(InvalidInput) as raised, db.transaction() as session:
        save_settings(session, business_name="Should not be saved", **changes)
    assert raised.value.field == field
    with db.session() as session:
        assert load_settings(session).business_name == Settings().business_name


@given(st.integers(min_value=-1000, max_value=1000))
def test_retry_spacing_is_accepted_exactly_within_its_range(days):
    settings_ok = 1 <= days <= 30
    try:
        Settings.__dataclass_fields__  # settings validation does not need a database for a pure value check
        from core.settings import _validate

        _validate("retry_business_days", days)
        assert settings_ok
    except InvalidInput:
        assert not settings_ok
