"""Settings of this computer, not of the business: kept in a small file on the machine.

Several desks may share one database, so what describes a desk rather than the business —
whether CallAhead starts when this computer's user logs in, how many backups this computer
keeps — lives in the user's config folder, declared once here with type, default and meaning
(as core.settings does for the business):

    Linux    ~/.config/CallAhead/machine.json        ($XDG_CONFIG_HOME)
    macOS    ~/Library/Application Support/CallAhead/machine.json
    Windows  %LOCALAPPDATA%\\CallAhead\\machine.json

The CALLAHEAD_CONFIG_DIR environment variable points it elsewhere (tests, a portable setup).
Every data folder opened on this computer shares the file. It is written whole (a new
owner-only file renamed over the old one), never half.

An older CallAhead kept these settings in the database: the first read on a computer whose
file lacks a setting takes the database's value once (`old_values`), so the owner's choice is
kept, and writes it to the file; the database is not asked again.

The desk id names this computer's CallAhead for per-desk records (reminders shown): a random
id created once, in its own file claimed without ever replacing one, so two CallAheads
starting at once agree on it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from core import APP_NAME
from core.errors import CallAheadError, InvalidInput
from core.storage.owner_files import replace_with_owner_only_file
from core.storage.privacy import create_owner_only_folder
from core.storage.replacing import rename_no_replace

if TYPE_CHECKING:  # SQLAlchemy loads with the database, not with this computer's settings
    from sqlalchemy.orm import Session

log = logging.getLogger(__name__)

CONFIG_DIR_ENV = "CALLAHEAD_CONFIG_DIR"
MACHINE_FILENAME = "machine.json"
DESK_ID_FILENAME = "desk-id"


@dataclass(frozen=True)
class MachineSettings:
    start_at_login: bool = field(default=False, metadata={"doc": "Start CallAhead when this computer's user logs in."})
    backups_to_keep: int = field(default=14, metadata={
        "doc": "How many backups this computer keeps of each kind (daily, before an action, by hand)."})

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


_BOUNDS: dict[str, tuple[int, int]] = {"backups_to_keep": (1, 365)}


def validate_machine_settings(changes: Mapping[str, Any]) -> dict[str, Any]:
    """Every change checked, or InvalidInput naming the first bad field; nothing is written here."""
    unknown = sorted(set(changes) - set(MachineSettings.field_names()))
    if unknown:
        raise InvalidInput(f"Unknown setting(s) of this computer: {', '.join(unknown)}.", field=unknown[0])
    return {name: _validate(name, value) for name, value in changes.items()}


def _validate(name: str, value: Any) -> Any:
    default = getattr(MachineSettings(), name)
    if isinstance(default, bool):
        if not isinstance(value, bool):
            raise InvalidInput(f"Setting '{name}' must be true or false, not {value!r}.", field=name)
        return value
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidInput(f"Setting '{name}' must be a whole number, not {value!r}.", field=name)
    low, high = _BOUNDS[name]
    if not low <= value <= high:
        raise InvalidInput(f"Setting '{name}' must be between {low} and {high}, not {value}.", field=name)
    return value


def default_config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False, roaming=False))


def resolve_config_dir(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(CONFIG_DIR_ENV):
        return Path(environ[CONFIG_DIR_ENV]).expanduser()
    return default_config_dir()


def old_values_in_database(session: Session) -> dict[str, Any]:
    """This computer's settings as an older CallAhead stored them in the database (undecodable ones left out)."""
    from sqlalchemy import select

    from core.storage.models import Setting

    rows = session.execute(select(Setting.key, Setting.value)
                           .where(Setting.key.in_(MachineSettings.field_names()))).all()
    values = {}
    for key, encoded in rows:
        try:
            values[key] = json.loads(encoded)
        except ValueError:
            continue
    return values


@dataclass(frozen=True)
class MachineConfig:
    """The config folder of this computer's CallAhead and what it keeps there."""

    folder: Path

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> MachineConfig:
        return cls(resolve_config_dir(environ))

    @property
    def settings_file(self) -> Path:
        return self.folder / MACHINE_FILENAME

    # --- settings ----------------------------------------------------------------------------
    def _stored(self) -> dict[str, Any]:
        try:
            stored = json.loads(self.settings_file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, ValueError) as error:
            # A file damaged outside the app: its values fall back to defaults rather than stopping the app.
            log.warning("Cannot read %s (%s); using defaults", self.settings_file, error)
            return {}
        return stored if isinstance(stored, dict) else {}

    @staticmethod
    def _valid(stored: Mapping[str, Any]) -> dict[str, Any]:
        values = {}
        for name in MachineSettings.field_names():
            if name in stored:
                try:
                    values[name] = _validate(name, stored[name])
                except InvalidInput:
                    continue  # damaged outside the app: the default
        return values

    def load(self, old_values: Callable[[], Mapping[str, Any]] | None = None) -> MachineSettings:
        """This computer's settings; a setting the file lacks comes once from `old_values` (or its default)."""
        stored = self._stored()
        values = self._valid(stored)
        missing = [name for name in MachineSettings.field_names() if name not in stored]
        if missing:
            old = dict(old_values()) if old_values is not None else {}
            adopted = {}
            for name in missing:
                try:
                    adopted[name] = _validate(name, old[name]) if name in old else getattr(MachineSettings(), name)
                except InvalidInput:
                    adopted[name] = getattr(MachineSettings(), name)
            values.update(adopted)
            try:
                self._write({**stored, **adopted})
            except (OSError, CallAheadError) as error:
                log.warning("Cannot keep this computer's settings in %s: %s", self.settings_file, error)
        return MachineSettings(**values)

    def save(self, **changes: Any) -> MachineSettings:
        """Validate every change, then write them all in one replacement of the file.

        A setting neither changed nor yet in the file stays out of it, so the next `load` can
        still take an older database's value over."""
        validated = validate_machine_settings(changes)
        stored = self._stored()
        self._write({**stored, **validated})
        return MachineSettings(**{**self._valid(stored), **validated})

    def _write(self, values: Mapping[str, Any]) -> None:
        try:
            create_owner_only_folder(self.folder)
        except OSError as error:
            from core.storage.problems import explain_os_error

            raise explain_os_error(error, self.folder, f"create its settings folder {self.folder}") from error
        content = json.dumps(dict(values), indent=2, sort_keys=True) + "\n"
        try:
            replace_with_owner_only_file(self.settings_file,
                                         lambda path: path.write_text(content, encoding="utf-8"))
        except OSError as error:
            from core.storage.problems import explain_os_error

            raise explain_os_error(error, self.settings_file, "save this computer's settings") from error

    # --- the desk id -------------------------------------------------------------------------
    def desk_id(self) -> str:
        """This computer's random desk id, created on first use; every later call returns the same."""
        path = self.folder / DESK_ID_FILENAME
        existing = self._read_desk_id(path)
        if existing:
            return existing
        try:
            create_owner_only_folder(self.folder)
            handle, name = tempfile.mkstemp(prefix=f".{DESK_ID_FILENAME}.", suffix=".part", dir=self.folder)
            try:
                with os.fdopen(handle, "w", encoding="utf-8") as written:
                    written.write(uuid.uuid4().hex + "\n")
                rename_no_replace(Path(name), path)
            except FileExistsError:
                pass  # another CallAhead on this computer claimed it first: its id is the desk's
            finally:
                Path(name).unlink(missing_ok=True)
        except OSError as error:
            from core.storage.problems import explain_os_error

            raise explain_os_error(error, path, "keep this computer's desk id") from error
        return self._read_desk_id(path) or self._damaged_desk_id(path)

    @staticmethod
    def _read_desk_id(path: Path) -> str | None:
        try:
            text = path.read_text(encoding="utf-8").strip()
        except FileNotFoundError:
            return None
        return text if len(text) == 32 and all(c in "0123456789abcdef" for c in text) else None

    def _damaged_desk_id(self, path: Path) -> str:
        raise CallAheadError(f"The desk id file {path} was changed outside CallAhead and cannot be read. "
                             "Delete it and start CallAhead again: a new id is made.")
