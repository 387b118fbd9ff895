"""The README's promises that a machine can check."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _setup_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Set up on a fresh machine", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```sh\n(.*?)\n```", section, flags=re.S)


def test_readme_has_exactly_two_setup_commands_one_to_run_one_to_test():
    run, test = _setup_commands()
    assert "main.py --demo" in run
    assert "pytest" in test and "QT_QPA_PLATFORM=offscreen" in test


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "<!-- test-command" in ci and "test-command" in (ROOT / "README.md").read_text(encoding="utf-8")
