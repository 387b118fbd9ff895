"""Running a long core action off the GUI thread, so the window never freezes.

`BackgroundTask` runs one callable on a worker thread and reports on the GUI thread with
`finished(result)` or `failed(error)`. The callable opens its own short sessions (core's
services do), so no SQLAlchemy session ever crosses threads.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal


class _Worker(QObject):
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], Any]):
        super().__init__()
        self._work = work

    def run(self) -> None:
        try:
            result = self._work()
        except Exception as error:  # reported to the GUI thread, which decides what the owner sees
            self.failed.emit(error)
        else:
            self.finished.emit(result)


class BackgroundTask(QObject):
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Callable[[], Any], parent: QObject | None = None):
        super().__init__(parent)
        self._thread = QThread()
        self._worker = _Worker(work)
        self._worker.moveToThread(self._thread)
        self._thread.started.connect(self._worker.run)
        self._worker.finished.connect(self._done)
        self._worker.failed.connect(self._error)
        self._running = False

    def start(self) -> None:
        self._running = True
        self._thread.start()

    def is_running(self) -> bool:
        return self._running

    def _stop_thread(self) -> None:
        self._running = False
        self._thread.quit()
        self._thread.wait()

    def _done(self, result: Any) -> None:
        self._stop_thread()
        self.finished.emit(result)

    def _error(self, error: Exception) -> None:
        self._stop_thread()
        self.failed.emit(error)

    def wait(self) -> None:
        if self._thread.isRunning():
            self._thread.wait()
