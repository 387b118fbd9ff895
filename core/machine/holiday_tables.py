"""A country's public holidays, year by year, kept in a small file on this computer.

The `holidays` package imports all of its 250 countries to answer for one: 0.25-0.45 s of a
launch, when the calendar's first month asks which days are open. Each year it computed is
kept in `holidays.json` in this computer's config folder, so a later start reads it from there
without importing the package. The file names the package's version and the language the names
were given in: another version (its rules may have been corrected) or language computes afresh.
A file that cannot be read or written is no loss: the package answers as before.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
from pathlib import Path

log = logging.getLogger(__name__)

TABLES_FILENAME = "holidays.json"
# The package picks the names' language from these, in this order (see holidays.country_holidays).
_LANGUAGE_VARIABLES = ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG")


# Where this computer keeps the tables: its config folder, said once by main.py at start. None:
# none kept, the package answers at every start (and in tests that do not ask for a folder).
_folder: Path | None = None


def keep_holiday_tables_in(folder: Path | None) -> None:
    global _folder
    _folder = folder


def tables_folder() -> Path | None:
    return _folder


def _package_version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version  # already loaded by the GUI's stack

    try:
        return version("holidays")
    except PackageNotFoundError:  # a bundle without the package's metadata: nothing to check against
        return None


def _computed_year(country: str, subdivision: str | None, year: int) -> dict[str, str] | None:
    import holidays

    try:
        table = holidays.country_holidays(country, subdiv=subdivision, years=year)
    except (NotImplementedError, KeyError):
        return None  # an unknown country or region: no public holidays rather than failing
    return {day.isoformat(): str(name) for day, name in table.items()}


class HolidayTable:
    """The public holidays of one country (and region), read like the package's own table:
    `day in table`, `table.get(day)`. A year is computed (or read from the file) when a day of it
    is first asked about; like the package, what a year brings (an observed day that falls in the
    year before) counts from then on."""

    def __init__(self, country: str, subdivision: str | None, folder: Path | None):
        self.country = country
        self.subdivision = subdivision
        self._file = folder / TABLES_FILENAME if folder is not None else None
        self._key = f"{country}|{subdivision or ''}"
        self._days: dict[dt.date, str] = {}
        self._years: set[int] = set()
        self._stored: dict | None = None  # the file's tables for this version and language

    def __contains__(self, day: dt.date) -> bool:
        self._ensure_year(day.year)
        return day in self._days

    def get(self, day: dt.date) -> str | None:
        self._ensure_year(day.year)
        return self._days.get(day)

    def _ensure_year(self, year: int) -> None:
        if year in self._years:
            return
        self._years.add(year)
        table = self._stored_tables().get(self._key, {}).get(str(year))
        if table is None:
            table = _computed_year(self.country, self.subdivision, year)
            if table is None:
                return
            self._store(year, table)
        self._days.update((dt.date.fromisoformat(day), name) for day, name in table.items())

    def _signature(self) -> dict:
        return {"version": _package_version(), "language": [os.environ.get(v, "") for v in _LANGUAGE_VARIABLES]}

    def _stored_tables(self) -> dict:
        if self._stored is None:
            self._stored = {}
            if self._file is not None:
                try:
                    stored = json.loads(self._file.read_text(encoding="utf-8"))
                except FileNotFoundError:
                    stored = None
                except (OSError, ValueError) as error:
                    log.warning("Cannot read %s (%s); computing the holidays again", self._file, error)
                    stored = None
                signature = self._signature()
                if (isinstance(stored, dict) and signature["version"] is not None
                        and stored.get("signature") == signature and isinstance(stored.get("tables"), dict)):
                    self._stored = stored["tables"]
        return self._stored

    def _store(self, year: int, table: dict[str, str]) -> None:
        if self._file is None:
            return
        signature = self._signature()
        if signature["version"] is None:
            return
        tables = self._stored_tables()
        tables.setdefault(self._key, {})[str(year)] = table
        # Written whole beside it, then put in place: another start never reads half a file.
        partial = self._file.with_name(f".{TABLES_FILENAME}.{os.getpid()}")
        try:
            self._file.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text(json.dumps({"signature": signature, "tables": tables}), encoding="utf-8")
            os.replace(partial, self._file)
        except OSError as error:
            log.warning("Cannot keep the holidays in %s (%s)", self._file, error)
            partial.unlink(missing_ok=True)
