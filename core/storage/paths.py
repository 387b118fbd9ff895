"""Where the owner's data lives.

Order of precedence: `--data-dir`, then the CALLAHEAD_DATA_DIR environment variable, then
the platform's user data folder — on Windows the *local* one (AppData\\Local): a roaming
profile copies its folder to a server at every sign-out, a live database with it. Nothing is
created here until `ensure_writable` is asked.

The database is found through URLs built from the path by escaping it (`sqlite_url`,
`sqlite_file_uri`), so a folder whose name holds `?`, `#`, `%20` or a space opens the file it
names; a Windows share (`\\\\server\\share\\...`) gets the URI form SQLite accepts.
"""

from __future__ import annotations

import logging
import os
import tempfile
from pathlib import Path, PurePath, PureWindowsPath
from urllib.parse import quote, urlencode

from core import APP_NAME
from core.errors import DataDirNotWritable

DATA_DIR_ENV = "CALLAHEAD_DATA_DIR"
DATABASE_URL_ENV = "CALLAHEAD_DATABASE_URL"
DATABASE_FILENAME = "callahead.sqlite3"
DEMO_FOLDER = "demo-business"


log = logging.getLogger(__name__)
# File systems reached over the network (Linux's names in /proc/mounts).
_NETWORK_FILE_SYSTEMS = frozenset({"nfs", "nfs4", "cifs", "smb3", "smbfs", "fuse.sshfs", "afpfs", "davfs",
                                   "fuse.davfs2", "9p", "ncpfs"})
_DRIVE_REMOTE = 4  # Windows GetDriveTypeW: a mapped network drive


def default_data_dir() -> Path:
    import platformdirs

    local = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=False))
    roaming = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))
    return choose_default_data_dir(local, roaming)


def choose_default_data_dir(local: Path, roaming: Path) -> Path:
    """The local application-data folder; a business kept in the roaming one by an older CallAhead stays there."""
    if roaming != local and not database_path(local).exists() and database_path(roaming).exists():
        return roaming
    return local


def resolve_data_dir(cli_value: str | os.PathLike | None = None, environ=None) -> Path:
    environ = os.environ if environ is None else environ
    if cli_value:
        return Path(cli_value).expanduser()
    if environ.get(DATA_DIR_ENV):
        return Path(environ[DATA_DIR_ENV]).expanduser()
    return default_data_dir()


def demo_data_dir(data_dir: Path) -> Path:
    """The demo business lives in its own folder so it never mixes with real data."""
    return data_dir / DEMO_FOLDER


def database_path(data_dir: Path) -> Path:
    return data_dir / DATABASE_FILENAME


def sqlite_url(path: Path) -> str:
    """The SQLAlchemy URL of a database file, its path escaped so that `?`, `#` and `%` stay part of it."""
    from sqlalchemy.engine import URL

    return URL.create("sqlite", database=str(path)).render_as_string(hide_password=False)


def sqlite_file_uri(path: PurePath, **parameters: str) -> str:
    """SQLite's `file:` URI for an absolute path, with query parameters (mode=ro, immutable=1...).

    Pure, so it is tested with Windows paths on any system: `C:\\x\\db` becomes `file:///C:/x/db`
    and a share `\\\\server\\share\\db` becomes `file:////server/share/db` (SQLite refuses any
    authority but an empty one, so `file://server/...` would not open). Every character that
    means something in a URI (`?`, `#`, `%`, space) is percent-escaped.
    """
    if isinstance(path, PureWindowsPath):
        text = str(path).replace("\\", "/")
        if text.startswith("//"):
            location = quote(text, safe="/")  # a share: //server/share/...
        elif path.drive:
            location = "/" + path.drive + quote(text[len(path.drive):], safe="/")
        else:
            raise ValueError(f"{path} is not an absolute Windows path")
    else:
        if not path.is_absolute():
            raise ValueError(f"{path} is not an absolute path")
        location = quote(str(path), safe="/")
    query = f"?{urlencode(parameters)}" if parameters else ""
    return f"file://{location}{query}"


def live_file_uri(path: Path, **parameters: str) -> str:
    """`sqlite_file_uri` of a real file, made absolute (links resolved, as SQLite names its -wal) first."""
    return sqlite_file_uri(Path(path).resolve(), **parameters)


def is_network_path(path: PurePath) -> bool:
    """A Windows share path (`\\\\server\\share\\...`), told from the path alone."""
    return isinstance(path, PureWindowsPath) and str(path).replace("/", "\\").startswith("\\\\") and \
        not str(path).startswith("\\\\?\\")


def _network_file_system(folder: Path) -> bool:
    if os.name == "nt":
        if is_network_path(folder):
            return True
        import ctypes

        drive = PureWindowsPath(os.path.abspath(folder)).drive
        return bool(drive) and ctypes.windll.kernel32.GetDriveTypeW(drive + "\\") == _DRIVE_REMOTE
    try:
        mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return False  # macOS and others: no cheap way to ask; the owner is told in the README
    target = os.path.realpath(folder)
    best, kind = "", ""
    for line in mounts:
        fields = line.split()
        if len(fields) >= 3:
            point = fields[1].replace("\\040", " ")
            if (target == point or target.startswith(point.rstrip("/") + "/")) and len(point) > len(best):
                best, kind = point, fields[2]
    return kind in _NETWORK_FILE_SYSTEMS


def network_folder_warning(data_dir: Path, on_network: bool | None = None) -> str | None:
    """A warning for a data folder on a network share, or None for a local folder."""
    if on_network is None:
        try:
            on_network = _network_file_system(data_dir)
        except (OSError, AttributeError, ValueError):
            on_network = False
    if not on_network:
        return None
    return (f"The data folder {data_dir} is on a network share. SQLite's write-ahead log is not safe on a share: "
            "two computers writing at once can damage the database. Use CallAhead from one desk only, or set up "
            "the shared PostgreSQL database (see the README) for several desks.")


def ensure_writable(data_dir: Path) -> Path:
    """Create the folder if needed and prove we can write in it, or say why not."""
    try:
        data_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DataDirNotWritable(
            f"CallAhead cannot create its data folder {data_dir}: {exc.strerror or exc}. "
            "Choose another folder with --data-dir."
        ) from exc
    if not data_dir.is_dir():
        raise DataDirNotWritable(f"The data folder {data_dir} is a file, not a folder. Choose another with --data-dir.")
    try:
        with tempfile.TemporaryFile(dir=data_dir):
            pass
    except OSError as exc:
        from core.storage.problems import explain_os_error

        raise DataDirNotWritable(str(explain_os_error(exc, data_dir, f"write in its data folder {data_dir}"))) from exc
    return data_dir
