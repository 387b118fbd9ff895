"""The actions the window asks for: one transaction each, each saying what changed."""

import pytest

from core.clock import FixedClock
from core.customers.editing import CustomerInput, InvalidCustomer
from core.customers.queries import CustomerQuery
from core.storage.enums import Reason
from core.errors import InvalidInput
from core.services import Services
from core.scheduling.staff import StaffEntry


@pytest.fixture
def services(demo_db, today):
    return Services(demo_db, FixedClock.on(today))


def test_adding_a_customer_reports_it_and_the_list(services):
    customer_id, changes = services.add_customer(CustomerInput(first_name="Zoë", last_name="Quinn"))
    assert changes.customers == {customer_id} and changes.customer_list
    assert services.find_customer_ids(CustomerQuery(text="zoe quinn")) == [customer_id]


def test_a_rejected_customer_leaves_nothing_behind(services):
    before = services.count_customers()
    with pytest.raises(InvalidCustomer):
        services.add_customer(CustomerInput(first_name="Bad", phone="call me"))
    assert services.count_customers() == before


def test_delete_is_undoable_once(services):
    name = services.customer_detail(3).name
    services.delete_customer(3)
    assert services.undo_description() == f"Undo delete of {name}"
    changes = services.undo()
    assert changes.customers == {3} and services.customer_detail(3).name == name
    assert services.undo_description() is None and not services.undo()


def test_settings_and_callers_are_saved_together_or_not_at_all(services):
    staff = services.staff()
    with pytest.raises(InvalidInput) as raised:
        services.save_business_settings({"business_name": "Renamed"},
                                         [*staff, StaffEntry(None, staff[0].name.upper(), 5)])
    assert raised.value.field == f"staff[{len(staff) + 1}].name"
    assert services.settings().business_name == "Harbor Door & Supply"

    changes = services.save_business_settings(
        {"business_name": "Renamed", "phone_region": "CA", "holiday_country": "CA", "holiday_subdivision": "ON"},
        [StaffEntry(staff[0].id, staff[0].name, 12, False), StaffEntry(None, "Sam Roy", 4)])
    assert changes.settings and changes.staff and changes.customer_list
    assert services.settings().holiday_subdivision == "ON"
    saved = {s.name: s for s in services.staff()}
    assert saved[staff[0].name].daily_quota == 12 and not saved[staff[0].name].active
    assert saved["Sam Roy"].daily_quota == 4 and saved["Sam Roy"].active


@pytest.mark.parametrize("changes,field", [
    ({"phone_region": "XX"}, "phone_region"),
    ({"holiday_country": "ZZ"}, "holiday_country"),
    ({"holiday_country": "US", "holiday_subdivision": "ON"}, "holiday_subdivision"),
])
def test_unknown_regions_are_refused(services, changes, field):
    with pytest.raises(InvalidInput) as raised:
        services.save_business_settings(changes, [])
    assert raised.value.field == field


def test_prepare_ships_the_scripts_and_the_preview_uses_a_real_customer(services):
    assert services.prepare().scripts
    assert not services.prepare().scripts
    preview = services.preview_script(services.script(Reason.CHANGE_HEADS_UP))
    assert "Harbor Door & Supply" in preview.body and "Price increase" in preview.body
