"""CallAhead's log file: what the app did, by record id — never who the customers are.

`configure_logging()` sends every logger's records of INFO and above to a rotating file
(`callahead.log`, 1 MB, five older files kept) in the user log folder, or in
$CALLAHEAD_LOG_DIR, or the folder given. The folder is the owner's alone (0700) and so is
every log file (0600), rotated ones included.

The rule for code that logs: name records by id (`customer 42`, `task 1807`), never by a
name, phone number or e-mail address. As a safety net the formatter also blanks anything
shaped like an e-mail address or a phone number before it reaches the file. A log that
cannot be written never stops the app.
"""

from __future__ import annotations

import logging
import os
import re
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from core import APP_NAME, __version__
from core.storage.privacy import create_owner_only_file, create_owner_only_folder

LOG_DIR_ENV = "CALLAHEAD_LOG_DIR"
LOG_FILENAME = "callahead.log"
MAX_LOG_BYTES = 1_000_000
OLD_LOGS_KEPT = 5
REDACTED = "[redacted]"

_EMAIL = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
# E.164 as stored (+15035551234), spaced or dashed international numbers, and the usual
# national shapes ((503) 555-1234, 503.555.1234, 5035551234). Dates (2026-11-24), times and
# the timestamps in backup names have other shapes and stay readable.
_PHONE = re.compile(
    r"\+\d[\d ().-]{5,}\d"
    r"|(?<![\w-])\(?\d{3}\)?[ .-]?\d{3}[ .-]\d{4}(?![\w-])"
    r"|(?<![\w-])\d{10,11}(?![\w-])"
)


def redact_contact_details(text: str) -> str:
    return _PHONE.sub(REDACTED, _EMAIL.sub(REDACTED, text))


class ContactRedactingFormatter(logging.Formatter):
    """Blanks e-mail addresses and phone numbers in the message and any traceback."""

    def format(self, record: logging.LogRecord) -> str:
        record.message = redact_contact_details(record.getMessage())
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        text = self.formatMessage(record)
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            text = f"{text}\n{redact_contact_details(record.exc_text)}"
        if record.stack_info:
            text = f"{text}\n{redact_contact_details(self.formatStack(record.stack_info))}"
        return text


class OwnerOnlyRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose every file, the fresh one after each rotation included, is 0600."""

    def _open(self):
        create_owner_only_file(Path(self.baseFilename))
        return super()._open()


def describe_uncaught(error: BaseException) -> str:
    """Where an unexpected error happened — types, files, lines and functions, never its message.

    A message can hold what the owner typed or stored (a database error quotes the row it
    failed on), so only the shape of the failure reaches the log.
    """
    lines = []
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        kind = type(current)
        lines.append(f"{kind.__module__}.{kind.__qualname__}" if kind.__module__ != "builtins" else kind.__qualname__)
        for frame in traceback.extract_tb(current.__traceback__):
            lines.append(f"  at {_shown_path(frame.filename)}:{frame.lineno} in {frame.name}")
        current = current.__cause__ or current.__context__
        if current is not None:
            lines.append("while handling or caused by:")
    return "\n".join(lines)


def _shown_path(filename: str) -> str:
    # Relative to the package folder: the owner's home folder (their name) stays out of the log.
    parts = Path(filename).parts
    for anchor in ("core", "gui", "site-packages", "lib"):
        if anchor in parts:
            return "/".join(parts[len(parts) - parts[::-1].index(anchor) - 1:])
    return Path(filename).name


def log_uncaught_errors() -> None:
    """Every error nothing caught — in the main thread, a Qt slot or a worker thread — reaches the log
    (described by `describe_uncaught`), then goes where it went before (the console's traceback)."""
    log = logging.getLogger("callahead.uncaught")
    previous_hook, previous_thread_hook = sys.excepthook, threading.excepthook

    def hook(kind, error, trace):
        if not issubclass(kind, KeyboardInterrupt):
            log.critical("Uncaught error:\n%s", describe_uncaught(error.with_traceback(trace)))
        previous_hook(kind, error, trace)

    def thread_hook(arguments):
        if arguments.exc_value is not None and not issubclass(arguments.exc_type, SystemExit):
            log.critical("Uncaught error in thread %s:\n%s", arguments.thread.name if arguments.thread else "?",
                         describe_uncaught(arguments.exc_value))
        previous_thread_hook(arguments)

    if getattr(sys.excepthook, "_callahead", False):
        return  # installed already (a test calling main() twice)
    hook._callahead = True  # type: ignore[attr-defined]
    sys.excepthook = hook
    threading.excepthook = thread_hook


def default_log_dir(environ=None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get(LOG_DIR_ENV):
        return Path(environ[LOG_DIR_ENV]).expanduser()
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False))


def configure_logging(log_dir: Path | None = None, level: int = logging.INFO) -> Path | None:
    """Log to the rotating file in `log_dir` (default: $CALLAHEAD_LOG_DIR or the user log folder).

    Returns the log file, or None when the folder cannot be written (the app runs on without a
    log). Calling it again replaces the previous file handler instead of adding a second one.
    """
    folder = log_dir if log_dir is not None else default_log_dir()
    try:
        create_owner_only_folder(folder)
        handler = OwnerOnlyRotatingFileHandler(folder / LOG_FILENAME, maxBytes=MAX_LOG_BYTES,
                                               backupCount=OLD_LOGS_KEPT, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(ContactRedactingFormatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    handler.set_name(f"{APP_NAME}-file")
    root = logging.getLogger()
    for previous in [h for h in root.handlers if h.get_name() == handler.get_name()]:
        root.removeHandler(previous)
        previous.close()
    root.addHandler(handler)
    if root.level == logging.NOTSET or root.level > level:
        root.setLevel(level)
    # Alembic announces each of its plugins at INFO on every upgrade; the revisions it runs are what matter.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    logging.getLogger(__name__).info("%s %s started (pid %d)", APP_NAME, __version__, os.getpid())
    return folder / LOG_FILENAME
