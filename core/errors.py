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
    """Another CallAhead (a window, a command) held the database longer than this one could wait.

    Nothing of the refused action was written; `holder` says what the other one was doing.
    """

    def __init__(self, holder: str):
        super().__init__(f"CallAhead is busy with {holder} — try again in a moment. Nothing was changed.")
        self.holder = holder

    @classmethod
    def saying(cls, message: str) -> "DatabaseBusy":
        """The same refusal where CallAhead knows more than who holds the file (a restore's own wait)."""
        error = cls.__new__(cls)
        CallAheadError.__init__(error, message)
        error.holder = ""
        return error


class DatabaseUnreadable(CallAheadError):
    """A read failed for a reason that passes (the file briefly locked, or being replaced by a restore):
    nothing was read, and asking again later is the answer."""


class UndoOutdated(CallAheadError):
    """What an undo would reverse was changed after it was done (by another window or a command):
    undoing it now would overwrite that change, so nothing is undone."""
