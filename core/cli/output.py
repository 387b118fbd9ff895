"""How commands speak: JSON on stdout for scripts, plain messages on stderr for people."""

from __future__ import annotations

import datetime as dt
import json
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


def print_json(payload: Any) -> None:
    json.dump(payload, sys.stdout, default=_default, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def say(message: str) -> None:
    print(message, file=sys.stderr)
