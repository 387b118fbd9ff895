"""An error nothing caught reaches the log file — where it happened, never the personal data its
message may carry — and the owner's console still shows the traceback as before."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

from core.machine.applog import describe_uncaught

ROOT = Path(__file__).resolve().parents[2]
PERSONAL = "Ann Smith, ann.smith@example.org, 4 Elm Street"

CRASHING_COMMAND = textwrap.dedent(f"""
    import sys, threading
    import main
    from core.cli import log_command

    def run(args, context):
        if args.notes == "in a thread":
            worker = threading.Thread(target=fail, name="worker")
            worker.start()
            worker.join()
            return 0
        fail()

    def fail():
        raise RuntimeError({PERSONAL!r})

    log_command.run = run
    sys.exit(main.main(sys.argv[1:]))
""")


def _crash(tmp_path, *arguments) -> tuple[subprocess.CompletedProcess, str]:
    logs = tmp_path / "logs"
    result = subprocess.run([sys.executable, "-c", CRASHING_COMMAND, "log", "1", "--outcome", "reached",
                             "--data-dir", str(tmp_path / "data"), *arguments], cwd=ROOT, capture_output=True,
                            text=True, env=dict(os.environ, PYTHONPATH=str(ROOT), CALLAHEAD_LOG_DIR=str(logs)))
    return result, (logs / "callahead.log").read_text(encoding="utf-8")


def test_an_uncaught_error_is_logged_with_where_it_happened_and_without_its_message(tmp_path):
    result, log = _crash(tmp_path)
    assert result.returncode != 0
    assert "RuntimeError" in result.stderr, "the console still shows the traceback"
    assert "CRITICAL callahead.uncaught: Uncaught error:" in log
    assert "RuntimeError\n" in log and "in fail" in log and "main.py:" in log
    assert "Ann" not in log and "example.org" not in log and "Elm" not in log


def test_an_uncaught_error_in_a_thread_is_logged_too(tmp_path):
    result, log = _crash(tmp_path, "--notes", "in a thread")
    assert result.returncode == 0
    assert "Uncaught error in thread worker:" in log and "in fail" in log
    assert "Ann" not in log


def test_the_description_follows_the_chain_and_keeps_the_owners_folders_out():
    def fail_inside(handler_path: str):
        try:
            raise KeyError("ann.smith@example.org")
        except KeyError as error:
            raise ValueError(handler_path) from error

    try:
        fail_inside("/home/ann/secret")
    except ValueError as error:
        described = describe_uncaught(error)
    assert described.splitlines()[0] == "ValueError"
    assert "KeyError" in described and "while handling or caused by:" in described
    assert "tests/core/test_uncaught_errors.py" not in described  # only from a package folder up
    assert "test_uncaught_errors.py:" in described and "/home/" not in described and "example.org" not in described
