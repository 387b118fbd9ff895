"""Command-line commands, one module each, for owners who script and for tests.

Each module exposes `register(subparsers, common)` which adds its sub-parser (with
`common` as a parent so shared options work after the command name) and sets
`handler=run`, where `run(args, context) -> int` prints results and returns the exit code.
A command reaches the data only through core.cli.acting: `run_action` for a write, `read` for a
core query; none opens a session or imports the models (tests/test_command_line_layering.py).
"""

from core.cli import agenda_command, announce_command, change_command, demo_command, log_command
from core.cli import backup_command, export_command, find_command, import_command, plan_command, quote_command
from core.cli import news_command, review_command, script_command, stamp_command, thanks_command

COMMAND_MODULES = [demo_command, agenda_command, plan_command, announce_command, log_command, change_command,
                   import_command, export_command, backup_command, find_command, quote_command, stamp_command,
                   thanks_command, review_command, news_command, script_command]
