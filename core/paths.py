"""Where the owner's data lives.

Order of precedence: `--data-dir`, then the CALLAHEAD_DATA_DIR environment variable, then
the platform's user data folder. Nothing is created here until `ensure_writable` is asked.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from core import APP_NAME
from core.errors import DataDirNotWritable

DATA_DIR_ENV = "CALLAHEAD_DATA_DIR"
DATABASE_URL_ENV = "CALLAHEAD_DATABASE_URL"
DATABASE_FILENAME = "callahead.sqlite3"
DEMO_FOLDER = "demo-business"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False, roaming=True))


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
    return f"sqlite:///{path}"


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
        raise DataDirNotWritable(
            f"CallAhead cannot write in its data folder {data_dir} ({exc.strerror or exc}). "
            "Check the folder's permissions or choose another with --data-dir."
        ) from exc
    return data_dir
