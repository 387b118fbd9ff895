"""A command for tests/core/test_creation_races.py that starts only when told: it loads everything
its command needs, prints `ready`, waits for a line on stdin, then runs the command line it was
given. The test releases every worker at once, so each one reaches a data folder with no database
at the same moment — no sleeps, no timing.

    python tests/core/creation_race_worker.py import FILE --data-dir FOLDER
"""

from __future__ import annotations

import importlib
import sys

import main
import core.storage.database  # noqa: F401 - loaded before the start, like everything below
from alembic import command  # noqa: F401 - the migration runs as soon as the worker is released

if __name__ == "__main__":
    for name in main.commands_needed(sys.argv[1:]) or []:
        importlib.import_module(f"core.cli.{main.COMMANDS[name]}")
    sys.stdout.write("ready\n")
    sys.stdout.flush()
    sys.stdin.readline()
    sys.exit(main.main(sys.argv[1:]))
