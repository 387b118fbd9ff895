"""CallAhead's entry point: parse the command line, build the context, start the window or a command."""

from __future__ import annotations

import argparse
import gc
import importlib
import sys
from collections.abc import Iterable

from core import __version__
from core.machine.applog import configure_logging, log_uncaught_errors
from core.cli.arguments import iso_date
from core.cli.output import prepare_streams, say
from core.machine.console_command import console_command
from core.context import AppContext
from core.errors import CallAheadError
from core.machine.holiday_tables import keep_holiday_tables_in

# What each command is doing, for another CallAhead kept waiting by it ("busy with an import").
ACTIVITIES = {"import": "an import", "restore": "a restore", "backup": "a backup", "demo": "creating the demo business",
              "announce": "announcing a change", "change": "changing an announced change", "log": "logging a call",
              "agenda": "planning the day's calls", "export": "an export"}

# Each command and the core.cli module that registers it, in the order --help lists them. A
# module is imported only when its command runs (or the help lists them all): a window start
# loads none of them, nor what they use.
COMMANDS = {"demo": "demo_command", "agenda": "agenda_command", "plan": "plan_command",
            "announce": "announce_command", "log": "log_command", "change": "change_command",
            "import": "import_command", "export": "export_command", "backup": "backup_command",
            "restore": "backup_command", "find": "find_command", "quote": "quote_command",
            "stamp": "stamp_command", "thanks": "thanks_command", "review": "review_command",
            "news": "news_command", "script": "script_command"}


def common_options() -> argparse.ArgumentParser:
    # SUPPRESS lets the same options appear before or after the command's name without
    # the sub-parser's default overwriting a value given before it.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                        help="folder holding the database (default: the user data folder, or $CALLAHEAD_DATA_DIR)")
    common.add_argument("--today", metavar="D", type=iso_date, default=argparse.SUPPRESS,
                        help="act as if today were D (YYYY-MM-DD)")
    common.add_argument("--database-url", metavar="URL", default=argparse.SUPPRESS,
                        help="a SQLAlchemy database URL instead of the SQLite file (or $CALLAHEAD_DATABASE_URL)")
    return common


def build_parser(commands: Iterable[str] | None = None) -> argparse.ArgumentParser:
    """The command line's parser; with `commands`, only those commands are registered (None: all)."""
    common = common_options()
    parser = argparse.ArgumentParser(
        prog=console_command(), parents=[common],
        description="CallAhead: call your customers before they have a reason to call you. "
                    "With no command, opens the window.",
    )
    parser.add_argument("--demo", action="store_true",
                        help="open the window on a demo business kept in its own folder")
    parser.add_argument("--smoke-test", action="store_true",
                        help="start the full app, show the window and exit 0 once the event loop has run")
    parser.add_argument("--minimized", action="store_true",
                        help="start in the tray without showing the window (used when starting at login)")
    parser.add_argument("--version", action="version", version=f"CallAhead {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    modules = dict.fromkeys(COMMANDS[name] for name in (COMMANDS if commands is None else commands))
    for module in modules:  # backup_command registers backup and restore: once
        importlib.import_module(f"core.cli.{module}").register(subparsers, common)
    return parser


class _CommandFinder(argparse.ArgumentParser):
    def error(self, message: str):  # never a message of its own: the real parser says what is wrong
        raise LookupError(message)


def commands_needed(argv: list[str]) -> list[str] | None:
    """The commands the parser must know for `argv`: none for a window start, the one named, or
    (None) every one, for --help, --version, an unknown word or anything the parser will refuse,
    so its answers are the same as with every command registered."""
    finder = _CommandFinder(add_help=False)
    for option in ("--data-dir", "--today", "--database-url"):
        finder.add_argument(option)
    for flag in ("--demo", "--smoke-test", "--minimized"):
        finder.add_argument(flag, action="store_true")
    finder.add_argument("words", nargs=argparse.REMAINDER)
    try:
        found, unknown = finder.parse_known_args(argv)
    except LookupError:
        return None
    if unknown:
        return None
    if not found.words:
        return []
    return [found.words[0]] if found.words[0] in COMMANDS else None


def write_pdf(html: str, path, page_size: str) -> int:
    from gui.printing import write_pdf as qt_write_pdf  # Qt loads only when a PDF is asked for

    return qt_write_pdf(html, path, page_size)


def paper_size(phone_region: str) -> str:
    from gui.printing import default_page_size  # the default printer's paper, asked through Qt

    return default_page_size(phone_region)


def main(argv: list[str] | None = None) -> int:
    prepare_streams()
    argv = sys.argv[1:] if argv is None else argv
    args = build_parser(commands_needed(argv)).parse_args(argv)
    if not args.command:
        # A window start makes a great many objects that live as long as the app (SQLAlchemy's,
        # Qt's, CallAhead's own); looking for garbage among them while they load only costs time.
        # Collection resumes, with them set aside for good, once the window is on screen (gui.app).
        gc.disable()
    configure_logging()
    log_uncaught_errors()
    context = AppContext.build(
        data_dir=getattr(args, "data_dir", None),
        today=getattr(args, "today", None),
        demo=args.demo,
        database_url=getattr(args, "database_url", None),
        # For a window, SQLite's check of the file starts now, on the second core, so that it runs
        # beside the loading of everything the window needs (SQLAlchemy, Qt, the app).
        check_ahead=not args.command,
    )
    # The public holidays a start computes are kept on this computer: the next start reads them
    # instead of importing the `holidays` package's 250 countries.
    keep_holiday_tables_in(context.machine.folder)
    context.pdf_writer = write_pdf
    context.paper_size = paper_size
    if args.command:
        context.activity = f"{ACTIVITIES.get(args.command, 'the ' + args.command + ' command')} from the command line"
    else:
        context.activity = "a change made in the CallAhead window"
        from core.storage.database import WINDOW_BUSY_TIMEOUT_MS

        context.busy_timeout_ms = WINDOW_BUSY_TIMEOUT_MS
    try:
        if args.command:
            try:
                return args.handler(args, context)
            except CallAheadError as error:
                say(f"callahead: {error}")
                return 2
        from gui.app import run_gui  # Qt loads only when a window is wanted

        return run_gui(context, smoke_test=args.smoke_test, minimized=args.minimized)
    finally:
        context.close()


if __name__ == "__main__":
    try:
        sys.exit(main())
    except BrokenPipeError:
        # Output piped into `head` and the like: the reader left, which is not an error.
        sys.stderr.close()
        sys.exit(0)
