"""This computer's settings (start at login, backups to keep) and its desk id live in a file on
the machine, shared by every data folder opened there, never in the shared database."""

import datetime as dt
import json
import os
import stat
import sys

import pytest
from sqlalchemy import event, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from core.storage.backup_files import BackupReason, backups_folder
from core.storage.backups import back_up
from core.clock import FixedClock
from core.context import AppContext
from core.errors import CallAheadError, InvalidInput
from core.machine.settings import CONFIG_DIR_ENV, MACHINE_FILENAME, MachineConfig, MachineSettings
from core.storage.models import Setting
from core.services import Services
from tests.conftest import TODAY


@pytest.fixture
def config_dir(tmp_path, monkeypatch):
    folder = tmp_path / "this computer" / "CallAhead"
    monkeypatch.setenv(CONFIG_DIR_ENV, str(folder))
    return folder


def _services(data_dir, config_dir):
    context = AppContext.build(data_dir=str(data_dir), today=TODAY)
    assert context.machine.folder == config_dir
    return Services(context.database(), FixedClock.on(TODAY), machine=context.machine), context


def _stored_keys(database) -> set[str]:
    with database.session() as session:
        return set(session.scalars(select(Setting.key)))


def _store_as_an_older_callahead_did(database, **values):
    with database.transaction() as session:
        for key, value in values.items():
            row = session.get(Setting, key)
            if row is None:
                session.add(Setting(key=key, value=json.dumps(value)))
            else:
                row.value = json.dumps(value)


def test_the_settings_survive_a_restart_in_the_config_folder_and_stay_out_of_the_database(demo_data_dir, config_dir):
    services, context = _services(demo_data_dir, config_dir)
    services.save_business_settings({"business_name": "Harbor Doors", "start_at_login": True, "backups_to_keep": 5},
                                    services.staff())
    assert not {"start_at_login", "backups_to_keep"} & _stored_keys(services.database), "not in the shared database"
    context.close()

    restarted, again = _services(demo_data_dir, config_dir)
    assert restarted.machine_settings() == MachineSettings(start_at_login=True, backups_to_keep=5)
    assert restarted.settings().business_name == "Harbor Doors"
    saved = config_dir / MACHINE_FILENAME
    assert json.loads(saved.read_text(encoding="utf-8"))["backups_to_keep"] == 5
    if os.name == "posix":
        assert stat.S_IMODE(saved.stat().st_mode) == 0o600 and stat.S_IMODE(config_dir.stat().st_mode) == 0o700
    assert not list(config_dir.glob("*.part")), "no half-written file is left beside it"
    again.close()


@pytest.mark.sqlite_only  # file backups of the SQLite file (a server has its own backup tools)
def test_two_data_folders_on_one_computer_share_its_settings(tmp_path, config_dir):
    first_folder, second_folder = tmp_path / "shop", tmp_path / "workshop"
    first, first_context = _services(first_folder, config_dir)
    second, second_context = _services(second_folder, config_dir)
    first.save_business_settings({"backups_to_keep": 3, "start_at_login": True}, [])
    assert second.machine_settings() == MachineSettings(start_at_login=True, backups_to_keep=3)

    # The second folder's backups rotate by the count set while the first was open.
    for day in range(5):
        back_up(second.database, BackupReason.DAILY, dt_at(day))
    assert len(list(backups_folder(second_folder).glob("*-daily.sqlite3"))) == 3
    first_context.close()
    second_context.close()


def dt_at(day):
    return dt.datetime(2026, 11, 24, 8, 30) + dt.timedelta(days=day)


def test_an_older_databases_values_are_taken_over_once(demo_data_dir, config_dir):
    services, context = _services(demo_data_dir, config_dir)
    _store_as_an_older_callahead_did(services.database, start_at_login=True, backups_to_keep=6)

    assert services.machine_settings() == MachineSettings(start_at_login=True, backups_to_keep=6)
    assert json.loads((config_dir / MACHINE_FILENAME).read_text(encoding="utf-8")) == {
        "start_at_login": True, "backups_to_keep": 6}

    _store_as_an_older_callahead_did(services.database, start_at_login=False, backups_to_keep=9)
    assert services.machine_settings() == MachineSettings(start_at_login=True, backups_to_keep=6), \
        "read from the database once; the machine's file holds them from then on"
    context.close()


@pytest.mark.sqlite_only  # file backups of the SQLite file (a server has its own backup tools)
def test_the_backup_rotation_takes_an_older_databases_count_over(demo_db, demo_data_dir, config_dir):
    _store_as_an_older_callahead_did(demo_db, backups_to_keep=2)
    for day in range(4):
        back_up(demo_db, BackupReason.DAILY, dt_at(day))
    assert len(list(backups_folder(demo_data_dir).glob("*-daily.sqlite3"))) == 2
    assert MachineConfig(config_dir).load() == MachineSettings(backups_to_keep=2)


@pytest.mark.parametrize("changes, field, words", [
    ({"backups_to_keep": 0}, "backups_to_keep", "between 1 and 365"),
    ({"backups_to_keep": "many"}, "backups_to_keep", "whole number"),
    ({"start_at_login": "yes"}, "start_at_login", "true or false"),
])
def test_a_bad_value_is_refused_naming_its_field_and_nothing_is_saved(demo_data_dir, config_dir, changes, field, words):
    services, context = _services(demo_data_dir, config_dir)
    before = services.machine_settings()
    with pytest.raises(InvalidInput) as refused:
        services.save_business_settings({"business_name": "Renamed", **changes}, services.staff())
    assert refused.value.field == field and field in str(refused.value) and words in str(refused.value)
    services.forget_cached()
    assert services.settings().business_name == "Harbor Door & Supply", "the business settings were not saved either"
    assert services.machine_settings() == before
    context.close()


def test_a_bad_business_value_leaves_the_computers_settings_alone(demo_data_dir, config_dir):
    services, context = _services(demo_data_dir, config_dir)
    with pytest.raises(InvalidInput) as refused:
        services.save_business_settings({"backups_to_keep": 4, "max_attempts": 0}, services.staff())
    assert refused.value.field == "max_attempts"
    assert services.machine_settings().backups_to_keep == MachineSettings().backups_to_keep
    context.close()


def test_a_config_folder_that_cannot_be_written_saves_nothing(demo_data_dir, tmp_path, monkeypatch):
    blocked = tmp_path / "a file, not a folder"
    blocked.write_text("")
    monkeypatch.setenv(CONFIG_DIR_ENV, str(blocked / "CallAhead"))
    services, context = _services(demo_data_dir, blocked / "CallAhead")
    with pytest.raises(CallAheadError):
        services.save_business_settings({"business_name": "Renamed", "backups_to_keep": 4}, services.staff())
    services.forget_cached()
    assert services.settings().business_name == "Harbor Door & Supply", "the database was rolled back"
    context.close()


def test_the_desk_id_is_made_once_per_computer(tmp_path, config_dir):
    desk = MachineConfig(config_dir).desk_id()
    assert len(desk) == 32 and MachineConfig(config_dir).desk_id() == desk
    assert MachineConfig(tmp_path / "another computer").desk_id() != desk
    # Every data folder opened on this computer is the same desk.
    assert AppContext.build(data_dir=str(tmp_path / "shop")).machine.desk_id() == desk
    assert AppContext.build(data_dir=str(tmp_path / "workshop")).machine.desk_id() == desk


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="XDG folders are Linux's")
def test_without_an_override_the_file_is_in_the_users_config_folder(tmp_path, monkeypatch):
    monkeypatch.delenv(CONFIG_DIR_ENV, raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    assert MachineConfig.from_environment().folder == tmp_path / "xdg" / "CallAhead"


def test_a_database_without_a_file_opens_with_the_defaults(db, config_dir):
    services = Services(db, FixedClock.on(TODAY), machine=MachineConfig(config_dir))
    assert services.machine_settings() == MachineSettings()


def test_a_desk_id_claimed_by_another_callahead_meanwhile_is_kept(config_dir, monkeypatch):
    import core.machine.settings as machine_settings

    others = "0b" * 16
    real_uuid4 = machine_settings.uuid.uuid4

    def another_callahead_claims_it_first():
        config_dir.mkdir(parents=True, exist_ok=True)
        (config_dir / "desk-id").write_text(others + "\n", encoding="utf-8")
        return real_uuid4()

    monkeypatch.setattr(machine_settings.uuid, "uuid4", another_callahead_claims_it_first)
    assert MachineConfig(config_dir).desk_id() == others
    assert not list(config_dir.glob(".desk-id.*")), "no claim left behind"


def test_saving_one_setting_still_takes_the_others_over_from_an_older_database(demo_data_dir, config_dir):
    services, context = _services(demo_data_dir, config_dir)
    _store_as_an_older_callahead_did(services.database, start_at_login=True)
    MachineConfig(config_dir).save(backups_to_keep=4)
    assert services.machine_settings() == MachineSettings(start_at_login=True, backups_to_keep=4)
    context.close()


def test_a_database_that_refuses_the_save_puts_this_computers_settings_back(demo_data_dir, config_dir):
    services, context = _services(demo_data_dir, config_dir)
    services.machine.save(backups_to_keep=8)

    def refuse(session):
        raise OperationalError("COMMIT", {}, Exception("disk I/O error"))

    event.listen(Session, "before_commit", refuse)
    try:
        with pytest.raises((OperationalError, CallAheadError)):
            services.save_business_settings({"business_name": "Renamed", "backups_to_keep": 2}, services.staff())
    finally:
        event.remove(Session, "before_commit", refuse)
    assert MachineConfig(config_dir).load().backups_to_keep == 8
    services.forget_cached()
    assert services.settings().business_name == "Harbor Door & Supply"
    context.close()
