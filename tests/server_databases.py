"""Fresh PostgreSQL databases for the tests, copied from templates made once per session.

CREATE DATABASE … TEMPLATE copies a migrated (or demo-filled) database in a fraction of the time
migrating one takes, so each test starts from a database of its own, as each SQLite test has
its own file. A test's databases are dropped when it ends, the templates when the session ends.
"""

from __future__ import annotations

import os
from collections.abc import Callable

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from core.storage.database import open_database

TEST_SERVER_URL_ENV = "CALLAHEAD_TEST_DATABASE_URL"


class ServerDatabases:
    def __init__(self, url: str, fill_demo: Callable) -> None:
        self._url = make_url(url)
        self._prefix = f"cat_{os.getpid()}"
        self._admin = create_engine(self._url, isolation_level="AUTOCOMMIT", pool_size=1)
        self._templates: dict[str, str] = {}
        self._made: list[str] = []
        self._count = 0
        self._fill_demo = fill_demo

    def url_of(self, name: str) -> str:
        return self._url.set(database=name).render_as_string(hide_password=False)

    def _create(self, name: str, template: str | None = None) -> None:
        copy = f" TEMPLATE {template}" if template else ""
        with self._admin.connect() as connection:
            connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
            connection.execute(text(f"CREATE DATABASE {name}{copy}"))
        self._made.append(name)

    def _template(self, kind: str) -> str | None:
        if kind == "blank":
            return None  # the server's own template1: no tables at all
        if kind not in self._templates:
            name = f"{self._prefix}_tpl_{kind}"
            self._create(name)
            database = open_database(self.url_of(name))
            if kind == "demo":
                self._fill_demo(database)
            database.dispose()
            self._templates[kind] = name
        return self._templates[kind]

    def fresh(self, kind: str = "empty") -> str:
        """A new database holding a copy of the template `kind` ("empty", "demo" or "blank"); its URL."""
        template = self._template(kind)
        self._count += 1
        name = f"{self._prefix}_{self._count}"
        self._create(name, template)
        return self.url_of(name)

    def drop_all_but_templates(self) -> None:
        """Drop the databases made since the last call (a test's), closing their connections."""
        kept = set(self._templates.values())
        with self._admin.connect() as connection:
            for name in [made for made in self._made if made not in kept]:
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        self._made = [made for made in self._made if made in kept]

    def close(self) -> None:
        with self._admin.connect() as connection:
            for name in reversed(self._made):
                connection.execute(text(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
        self._admin.dispose()


def data_folder_of(database) -> str:
    """A --data-dir for a command on the test's database: the SQLite file's folder, or (on a server,
    reached through CALLAHEAD_DATABASE_URL) the test's temporary data folder."""
    return str(database.path.parent if database.path is not None else os.environ["CALLAHEAD_DATA_DIR"])
