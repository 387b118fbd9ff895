"""How commands speak: JSON on stdout for scripts, plain messages on stderr for people.

`prepare_streams()` runs first in main(): a windowed executable has no streams at all
(`sys.stdout` is None), and a console or pipe may use a narrow code page (cp1252 cannot show
"Łódź"). Neither may end a command in a traceback: missing streams swallow the output, text
that a code page cannot show is replaced, and JSON stays exact by escaping what it cannot show.
"""

from __future__ import annotations

import codecs
import datetime as dt
import json
import os
import sys
from enum import Enum
from typing import Any


def _default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, Enum):
        return value.value
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def prepare_streams() -> None:
    """Give a missing stdout/stderr a place to go, and let a narrow code page replace what it cannot show."""
    for name in ("stdout", "stderr"):
        stream = getattr(sys, name)
        if stream is None:
            setattr(sys, name, open(os.devnull, "w", encoding="utf-8"))  # noqa: SIM115 (lives as long as the process)
        elif hasattr(stream, "reconfigure") and getattr(stream, "errors", "strict") == "strict":
            try:
                stream.reconfigure(errors="replace")
            except (ValueError, OSError):  # a stream already written to in another way, or closed
                pass


def _speaks_unicode(stream) -> bool:
    encoding = getattr(stream, "encoding", None) or "ascii"
    try:
        return codecs.lookup(encoding).name in {"utf-8", "utf-16", "utf-32"}
    except LookupError:
        return False


def print_json(payload: Any) -> None:
    # JSON escapes (\u0141) are exact in any code page; UTF-8 output keeps the text readable.
    json.dump(payload, sys.stdout, default=_default, ensure_ascii=not _speaks_unicode(sys.stdout), indent=2)
    sys.stdout.write("\n")


def say(message: str) -> None:
    print(message, file=sys.stderr)
