"""The public holidays kept on this computer answer exactly as the `holidays` package does."""

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import holidays
import pytest

from core.scheduling import business_days
from core.scheduling.business_days import BusinessCalendar
from core.machine.holiday_tables import TABLES_FILENAME, HolidayTable, keep_holiday_tables_in

ROOT = Path(__file__).resolve().parents[2]
PLACES = [("US", None), ("US", "CA"), ("GB", "SCT"), ("DE", "BY"), ("CA", "QC"), ("AU", "NSW"), ("PL", None),
          ("ZZ", None)]


def _every_day(first: dt.date, last: dt.date):
    day = first
    while day <= last:
        yield day
        day += dt.timedelta(days=1)


@pytest.fixture
def tables_folder(tmp_path):
    business_days._public_holidays.cache_clear()
    keep_holiday_tables_in(tmp_path)
    yield tmp_path
    keep_holiday_tables_in(None)
    business_days._public_holidays.cache_clear()


@pytest.mark.parametrize(("country", "subdivision"), PLACES)
def test_kept_tables_give_the_same_open_days_and_names_as_the_package(tables_folder, country, subdivision):
    try:
        package = holidays.country_holidays(country, subdiv=subdivision)
    except NotImplementedError:
        package = {}  # an unknown country: no public holidays
    days = list(_every_day(dt.date(2025, 12, 1), dt.date(2028, 1, 31)))
    computed = HolidayTable(country, subdivision, tables_folder)  # computes and keeps each year
    from_file = HolidayTable(country, subdivision, tables_folder)  # reads what the first one kept
    for table in (computed, from_file):
        assert [(day in table, table.get(day)) for day in days] == [(day in package, package.get(day)) for day in days]
    calendar = BusinessCalendar(country=country, subdivision=subdivision)
    assert [calendar.is_open(day) for day in days] == [day.weekday() < 5 and day not in package for day in days]


def test_a_start_with_the_tables_kept_does_not_import_every_country(tables_folder):
    BusinessCalendar(country="US", subdivision="CA").is_open(dt.date(2026, 12, 25))  # keeps 2026
    assert (tables_folder / TABLES_FILENAME).exists()
    check = ("import sys, datetime as dt; from pathlib import Path\n"
             "from core.scheduling.business_days import BusinessCalendar\n"
             "from core.machine.holiday_tables import keep_holiday_tables_in\n"
             f"keep_holiday_tables_in(Path({str(tables_folder)!r}))\n"
             "calendar = BusinessCalendar(country='US', subdivision='CA')\n"
             "print(calendar.is_open(dt.date(2026, 12, 25)), calendar.is_open(dt.date(2026, 12, 28)),"
             " 'holidays.countries' in sys.modules)\n")
    answer = subprocess.run([sys.executable, "-c", check], cwd=ROOT, capture_output=True, text=True, check=True)
    assert answer.stdout.split() == ["False", "True", "False"]


def test_tables_kept_by_another_version_of_the_package_are_computed_again(tables_folder):
    christmas = dt.date(2026, 12, 25)
    BusinessCalendar(country="US").is_open(christmas)
    kept = json.loads((tables_folder / TABLES_FILENAME).read_text())
    kept["signature"]["version"] = "0.0.1"
    kept["tables"]["US|"]["2026"] = {"2026-12-23": "Made up"}
    (tables_folder / TABLES_FILENAME).write_text(json.dumps(kept))
    business_days._public_holidays.cache_clear()
    calendar = BusinessCalendar(country="US")
    assert not calendar.is_open(christmas) and calendar.is_open(dt.date(2026, 12, 23))


def test_a_damaged_file_is_no_loss(tables_folder):
    (tables_folder / TABLES_FILENAME).write_text("{not json")
    assert not BusinessCalendar(country="US").is_open(dt.date(2026, 12, 25))
    assert json.loads((tables_folder / TABLES_FILENAME).read_text())["tables"]["US|"]["2026"]
