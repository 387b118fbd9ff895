import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from core.scheduling.business_days import BusinessCalendar

THANKSGIVING = dt.date(2026, 11, 26)


def test_weekends_and_national_holidays_are_closed():
    calendar = BusinessCalendar(country="US")
    assert not calendar.is_open(THANKSGIVING)
    assert calendar.holiday_name(THANKSGIVING) == "Thanksgiving Day"
    assert not calendar.is_open(dt.date(2026, 11, 28))  # Saturday
    assert calendar.is_open(dt.date(2026, 11, 25))


def test_a_deadline_on_a_closed_day_moves_to_the_previous_business_day():
    calendar = BusinessCalendar(country="US")
    assert calendar.open_on_or_before(dt.date(2026, 11, 29)) == dt.date(2026, 11, 27)
    assert calendar.open_on_or_before(THANKSGIVING) == dt.date(2026, 11, 25)


def test_retry_in_two_business_days_skips_the_holiday_and_weekend():
    calendar = BusinessCalendar(country="US")
    assert calendar.add_open_days(dt.date(2026, 11, 25), 2) == dt.date(2026, 11, 30)


def test_owner_closed_dates_and_a_six_day_week():
    calendar = BusinessCalendar(open_weekdays=range(6), closed_dates=[dt.date(2026, 11, 25)])
    assert calendar.is_open(dt.date(2026, 11, 28))
    assert not calendar.is_open(dt.date(2026, 11, 25))


def test_an_unknown_country_means_no_public_holidays_rather_than_a_crash():
    assert BusinessCalendar(country="ZZ").is_open(dt.date(2026, 12, 25))


@given(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 1, 1)), st.integers(1, 30))
def test_adding_open_days_lands_on_an_open_day_after_the_start(start, count):
    calendar = BusinessCalendar(country="US")
    landed = calendar.add_open_days(start, count)
    assert landed > start and calendar.is_open(landed)
    assert sum(1 for _ in calendar.open_days(start + dt.timedelta(days=1), landed)) == count
