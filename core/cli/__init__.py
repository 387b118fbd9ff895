"""Command-line commands, one module each, for owners who script and for tests.

Each module exposes `register(subparsers, common)` which adds its sub-parser (with
`common` as a parent so shared options work after the command name) and sets
`handler=run`, where `run(args, context) -> int` prints results and returns the exit code.
main.py names them (its COMMANDS) and imports only the one a command line asks for.
A command reaches the data only through core.cli.acting: `run_action` for a write, `read` for a
core query; none opens a session or imports the models (tests/test_command_line_layering.py).

May use: core.actions and the query functions of core.customers, core.scheduling, core.reports,
core.scripts, core.habits and core.importing (through acting.read), core.storage's file-level
helpers (backups, the instance lock, owner-only files), core.context, core.demo and the basics.
"""
