"""What a running CallAhead needs to know: where its data is, where this computer keeps its own
settings (core.machine.settings), and what day it is.

Built once by main.py from the command line and environment, then handed to the window or
to a command. Opening the database is deferred until something asks for it.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from core.clock import Clock, DayShiftedClock, SystemClock
from core.storage.integrity import QuickCheckAhead, unchanged_since_clean_close
from core.machine.settings import MachineConfig
from core.reports.paper import default_paper_size
from core.storage.paths import DATABASE_URL_ENV, database_path, demo_data_dir, resolve_data_dir, sqlite_url


if TYPE_CHECKING:  # SQLAlchemy loads when the database opens: a window start checks the file first
    from core.storage.database import Database


@dataclass
class AppContext:
    data_dir: Path
    database_url: str
    clock: Clock
    is_demo: bool = False
    # This computer's settings and desk id: shared by every data folder opened here.
    machine: MachineConfig = field(default_factory=MachineConfig.from_environment)
    # Lays printable HTML out into a PDF: (html, path, page size) -> pages. Qt does the layout,
    # so main.py supplies it from gui/ and core never imports Qt.
    pdf_writer: Callable[[str, Path, str], int] | None = field(default=None, repr=False)
    # The paper a sheet is written on unless the owner chooses: (phone region) -> "A4" | "Letter".
    # On Windows and macOS it is the default printer's, which only Qt knows: main.py supplies it.
    paper_size: Callable[[str], str] = field(default=default_paper_size, repr=False)
    # What this process is doing and how long it waits for another's write (core.storage.database.Database).
    activity: str | None = None
    busy_timeout_ms: int | None = None
    _database: Database | None = field(default=None, repr=False)
    _checked_ahead: QuickCheckAhead | None = field(default=None, repr=False)

    @classmethod
    def build(
        cls,
        data_dir: str | None = None,
        today: dt.date | None = None,
        demo: bool = False,
        database_url: str | None = None,
        environ=None,
        check_ahead: bool = False,
    ) -> "AppContext":
        """`check_ahead`: start the opening's integrity check of the SQLite file at once, on a
        thread (see check_database_ahead) — before even the URL is written, since that loads SQLAlchemy."""
        environ = os.environ if environ is None else environ
        folder = resolve_data_dir(data_dir, environ)
        if demo:
            folder = demo_data_dir(folder)
        url = database_url or (None if demo else environ.get(DATABASE_URL_ENV))
        file = database_path(folder)
        checked_ahead = (QuickCheckAhead(file) if check_ahead and url is None and file.exists()
                         and not unchanged_since_clean_close(file) else None)
        clock: Clock = DayShiftedClock(today) if today else SystemClock()
        return cls(data_dir=folder, database_url=url or sqlite_url(file), clock=clock, is_demo=demo,
                   machine=MachineConfig.from_environment(environ), _checked_ahead=checked_ahead)

    @property
    def database_file(self) -> Path | None:
        return self.database().path if self._database else (
            database_path(self.data_dir) if self.database_url.startswith("sqlite:") else None
        )

    def check_database_ahead(self) -> None:
        """Start the opening's integrity check now, on a thread, while the caller loads the window."""
        path = self.database_file
        if self._database is None and path is not None and path.exists():
            self._checked_ahead = QuickCheckAhead(path)

    def database(self) -> Database:
        if self._database is None:
            from core.storage.database import open_database

            checked_ahead, self._checked_ahead = self._checked_ahead, None  # its verdict serves one opening
            self._database = open_database(self.database_url, now=self.clock.now(), checked_ahead=checked_ahead)
            if self.activity is not None:
                self._database.activity = self.activity
            if self.busy_timeout_ms is not None:
                self._database.busy_timeout_ms = self.busy_timeout_ms
        return self._database

    def close(self) -> None:
        if self._database is not None:
            self._database.dispose()
            self._database = None
