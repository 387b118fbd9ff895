"""The business's settings and callers (saved together), this computer's own settings, and the
call scripts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import phonenumbers

from core.actions.results import ActionResult, ChangeSet
from core.actions.runner import UnitOfWork, owner_action
from core.storage.enums import Reason
from core.errors import InvalidInput
from core.machine.settings import MachineConfig, MachineSettings, old_values_in_database, validate_machine_settings
from core.scripts.library import reset_script as put_default_script_back
from core.scripts.library import save_script as store_script
from core.settings import load_settings, save_settings
from core.scheduling.staff import StaffEntry, save_staff


@owner_action()
def save_business_settings(unit: UnitOfWork, changes: Mapping[str, Any], staff: Sequence[StaffEntry],
                           machine: MachineConfig) -> ActionResult[None]:
    """Settings and callers together: a bad value anywhere saves nothing. The standing rules and
    the whole plan are made again at once (quotas, callers, open days and windows reshape every
    day; new callers see their calls today).

    This computer's settings among `changes` go to the machine's file, checked before anything is
    written and written last: a database that fails to commit puts the file's old values back."""
    on_machine = {name: value for name, value in changes.items() if name in MachineSettings.field_names()}
    changes = {name: value for name, value in changes.items() if name not in on_machine}
    on_machine = validate_machine_settings(on_machine)
    _check_regions(changes)
    before = load_settings(unit.session)
    save_settings(unit.session, **changes)
    save_staff(unit.session, staff)
    unit.replan(everything=True)
    if on_machine:
        machine_before = machine.load(lambda: old_values_in_database(unit.session))
        machine.save(**on_machine)
        unit.on_rollback(lambda: machine.save(**{name: getattr(machine_before, name) for name in on_machine}))
    phone_region_changed = "phone_region" in changes and changes["phone_region"] != before.phone_region
    return ActionResult(None, ChangeSet(settings=True, staff=True, scripts=True, tasks=True,
                                        customer_list=phone_region_changed), message="Settings saved.")


@owner_action()
def save_script(unit: UnitOfWork, reason: Reason, title: str, body: str) -> ActionResult[None]:
    store_script(unit.session, reason, title, body)
    return ActionResult(None, ChangeSet(scripts=True), message="Script saved.")


@owner_action()
def reset_script(unit: UnitOfWork, reason: Reason) -> ActionResult[None]:
    put_default_script_back(unit.session, reason)
    return ActionResult(None, ChangeSet(scripts=True), message="The default script is back.")


def _check_regions(changes: Mapping[str, Any]) -> None:
    region = changes.get("phone_region")
    if region is not None and str(region).upper() not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInput(f"'{region}' is not a country code phone numbers know (US, CA, GB...).", field="phone_region")
    if "holiday_country" in changes and changes["holiday_country"]:
        from core.scheduling.holiday_countries import holiday_country  # every country's holidays: loaded only when asked
        country = holiday_country(changes["holiday_country"])
        if country is None:
            raise InvalidInput(f"No public holidays are known for '{changes['holiday_country']}'.",
                               field="holiday_country")
        subdivision = changes.get("holiday_subdivision")
        if subdivision and subdivision not in country.subdivisions:
            raise InvalidInput(f"'{subdivision}' is not a state or province of {country.name}.",
                               field="holiday_subdivision")
