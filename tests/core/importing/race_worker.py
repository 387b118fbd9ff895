"""A real second process for tests/core/importing/test_import_races.py: the `import` command,
paused between planning and writing until the test says go.

    python tests/core/importing/race_worker.py DATA_DIR CSV_FILE

It prints `planned` on stderr once the rows are read and planned (no write lock held), waits
for a line on stdin, then lets the import write. Everything else is the real command: main.main.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[3]))

import core.importing.customers as customer_import  # noqa: E402
import main  # noqa: E402

_plan = customer_import.plan_outside_the_lock


def _planned_then_wait(*args, **kwargs):
    planned = _plan(*args, **kwargs)
    sys.stderr.write("planned\n")
    sys.stderr.flush()
    sys.stdin.readline()
    return planned


if __name__ == "__main__":
    customer_import.plan_outside_the_lock = _planned_then_wait
    data_dir, csv_file = sys.argv[1:3]
    sys.exit(main.main(["import", csv_file, "--data-dir", data_dir, "--today", "2026-11-24", "--json"]))
