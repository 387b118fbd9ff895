"""An error nothing caught inside the window's event loop (a slot, a timer) reaches the log file,
by where it happened and never by its message, and the window carries on."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

WINDOW_WITH_A_FAILING_TIMER = textwrap.dedent("""
    import sys
    from PySide6.QtCore import QTimer
    import gui.app
    import main

    def fail_in_a_slot():
        raise LookupError("Ann Smith, ann.smith@example.org")

    started = gui.app.Desk.start

    def start(self, *args, **kwargs):
        QTimer.singleShot(0, fail_in_a_slot)
        return started(self, *args, **kwargs)

    gui.app.Desk.start = start
    sys.exit(main.main(sys.argv[1:]))
""")


def test_an_error_in_a_slot_is_logged_without_its_message_and_the_window_goes_on(tmp_path):
    logs = tmp_path / "logs"
    result = subprocess.run([sys.executable, "-c", WINDOW_WITH_A_FAILING_TIMER, "--demo", "--smoke-test",
                             "--data-dir", str(tmp_path / "data")], cwd=ROOT, capture_output=True, text=True,
                            env=dict(os.environ, PYTHONPATH=str(ROOT), CALLAHEAD_LOG_DIR=str(logs),
                                     QT_QPA_PLATFORM="offscreen"))
    assert result.returncode == 0, result.stderr
    log = (logs / "callahead.log").read_text(encoding="utf-8")
    assert "Uncaught error:\nLookupError\n" in log and "in fail_in_a_slot" in log
    assert "Ann" not in log and "example.org" not in log
