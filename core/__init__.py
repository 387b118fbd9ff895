"""CallAhead's business core: storage, scheduling, import/export and reports.

Nothing in this package may import Qt; the window and the command line both build on it.
"""

__version__ = "0.1.0"
APP_NAME = "CallAhead"
