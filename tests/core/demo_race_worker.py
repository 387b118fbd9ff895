"""A `demo` run for tests/core/test_demo_races.py that stops once its demo business is generated,
before it is committed, until a line arrives on stdin (it prints `built` first): the test runs a
second `demo` while this one is in the middle of setting up — no sleeps, no timing.

    python tests/core/demo_race_worker.py demo --customers 40 --data-dir FOLDER
"""

from __future__ import annotations

import sys

import core.demo
import main

_generate = core.demo.generate_demo_business


def _generate_then_wait(*args, **kwargs):
    summary = _generate(*args, **kwargs)
    sys.stdout.write("built\n")
    sys.stdout.flush()
    sys.stdin.readline()
    return summary


if __name__ == "__main__":
    core.demo.generate_demo_business = _generate_then_wait
    sys.exit(main.main(sys.argv[1:]))
