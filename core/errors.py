"""Errors the owner may see. Each message says what is wrong, where, and what to do."""

from __future__ import annotations


class CallAheadError(Exception):
    """An expected problem with a message fit to show the owner as it is."""


class DataDirNotWritable(CallAheadError):
    pass


class NotACallAheadDatabase(CallAheadError):
    pass


class DatabaseTooNew(CallAheadError):
    pass


class InvalidInput(CallAheadError):
    """A value the owner gave was rejected; `field` names it."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.field = field


class DatabaseBusy(CallAheadError):
    """Another connection holds the database longer than CallAhead waits; nothing was changed."""
