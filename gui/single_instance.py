"""One CallAhead window per data folder: a second launch hands over to the first and leaves.

    instance = SingleInstance.for_data_dir(context.data_dir)
    if not instance.is_primary():      # the running window was asked to come to the front
        return 0
    instance.activation_requested.connect(lambda: bring_to_front(window))

Which launch is the primary is decided by a lock file in the data folder (QLockFile: taken
atomically, and taken over when the process that held it has died), so two launches at the
same moment can never both write; core.storage.instance_lock reads the same file for commands that
must not run under an open window. The primary also listens on a local socket (a Unix
domain socket or a Windows named pipe — nothing on the network) named from the data
folder's path, where a later launch sends "activate".
"""

from __future__ import annotations

import getpass
import hashlib
import sys
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, Qt, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QWidget

from core import APP_NAME
from core.storage.instance_lock import lock_path
from core.storage.privacy import create_owner_only_folder, make_owner_only

ACTIVATE = b"activate\n"
CONNECT_TIMEOUT_MS = 1000


def server_name_for(data_dir: Path) -> str:
    """A short name for the local socket, the same for every launch on one data folder by one user."""
    key = f"{getpass.getuser()}\n{Path(data_dir).expanduser().resolve()}".encode()
    return f"{APP_NAME}-{hashlib.sha256(key).hexdigest()[:20]}"


class SingleInstance(QObject):
    activation_requested = Signal()

    def __init__(self, server_name: str, lock_file: Path | None = None, parent: QObject | None = None):
        super().__init__(parent)
        self.server_name = server_name
        self._lock = QLockFile(str(lock_file)) if lock_file is not None else None
        self._lock_path = lock_file
        self._server: QLocalServer | None = None
        self._primary: bool | None = None

    @classmethod
    def for_data_dir(cls, data_dir: Path, parent: QObject | None = None) -> "SingleInstance":
        try:
            create_owner_only_folder(data_dir)
        except OSError:
            # Opening the data reports an unusable folder to the owner; the socket alone still
            # brings an already running window forward.
            return cls(server_name_for(data_dir), None, parent)
        return cls(server_name_for(data_dir), lock_path(data_dir), parent)

    def is_primary(self) -> bool:
        """Decide once: True for the first launch (which then listens), False after asking it to come forward."""
        if self._primary is None:
            self._primary = self._become_primary()
            if not self._primary:
                self.request_activation()
        return self._primary

    def _become_primary(self) -> bool:
        if self._lock is not None:
            self._lock.setStaleLockTime(0)  # stale means "its process is gone", never "held for long"
            if not self._lock.tryLock(0):
                return False
            make_owner_only(self._lock_path)
        elif self._send(b""):
            return False  # without a lock file, a server that answers is the primary
        return self._listen()

    def _listen(self) -> bool:
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        if not server.listen(self.server_name):
            # A socket file left by a process that crashed: nobody answers on it, so it can go.
            if self._send(b""):
                return False
            QLocalServer.removeServer(self.server_name)
            if not server.listen(self.server_name):
                # Activation will not reach this window, but the lock still keeps writers to one.
                return self._lock is not None
        server.newConnection.connect(self._accept)
        self._server = server
        return True

    def _accept(self) -> None:
        while self._server is not None and (socket := self._server.nextPendingConnection()) is not None:
            socket.readyRead.connect(lambda s=socket: self._read(s))
            socket.disconnected.connect(socket.deleteLater)
            if socket.bytesAvailable():
                self._read(socket)

    def _read(self, socket: QLocalSocket) -> None:
        if ACTIVATE.strip() in bytes(socket.readAll().data()):
            self.activation_requested.emit()

    def _send(self, message: bytes) -> bool:
        socket = QLocalSocket()
        socket.connectToServer(self.server_name)
        if not socket.waitForConnected(CONNECT_TIMEOUT_MS):
            return False
        if message:
            socket.write(message)
            socket.waitForBytesWritten(CONNECT_TIMEOUT_MS)
        socket.disconnectFromServer()
        if socket.state() != QLocalSocket.LocalSocketState.UnconnectedState:
            socket.waitForDisconnected(CONNECT_TIMEOUT_MS)
        return True

    def request_activation(self) -> bool:
        """Ask the running window to come forward; False if none answered."""
        hand_over_the_foreground()
        return self._send(ACTIVATE)

    def release(self) -> None:
        """Stop listening and give the lock back (done on quit; a crash is detected by the next launch)."""
        if self._server is not None:
            self._server.close()
            self._server = None
        if self._lock is not None and self._lock.isLocked():
            self._lock.unlock()
        self._primary = None


ASFW_ANY = -1  # AllowSetForegroundWindow: any process may take the foreground


def hand_over_the_foreground(platform: str = sys.platform, user32=None) -> bool:
    """Windows lets only the process in the foreground bring a window forward; any other only
    flashes its taskbar button. The second launch was just started by the owner, so it holds
    the foreground: it hands it on before asking the running window to come forward."""
    if platform != "win32":
        return False
    if user32 is None:
        import ctypes

        user32 = ctypes.windll.user32  # type: ignore[attr-defined]  (Windows only)
    return bool(user32.AllowSetForegroundWindow(ASFW_ANY))


def bring_to_front(window: QWidget) -> None:
    """Show the window, un-minimised, raised and focused (as far as the window system allows)."""
    if window.isMinimized():
        window.setWindowState(window.windowState() & ~Qt.WindowState.WindowMinimized)
    window.show()
    window.raise_()
    window.activateWindow()
