"""Where the data lives, and how an owner (or a test) moves it."""

import datetime as dt
import os
from pathlib import Path, PurePosixPath, PureWindowsPath

import platformdirs
import pytest
from sqlalchemy import func, select
from sqlalchemy.engine import make_url

import main
from core.storage.backups import list_backups
from core.context import AppContext
from core.storage.models import Customer
from core.storage.paths import (
    DATA_DIR_ENV,
    choose_default_data_dir,
    database_path,
    default_data_dir,
    is_network_path,
    network_folder_warning,
    resolve_data_dir,
    sqlite_file_uri,
    sqlite_url,
)

pytestmark = pytest.mark.sqlite_only  # where the SQLite file lives in the data folder


def test_command_line_beats_environment_beats_platform_default(tmp_path):
    env = {DATA_DIR_ENV: str(tmp_path / "from-env")}
    assert resolve_data_dir(str(tmp_path / "from-cli"), env) == tmp_path / "from-cli"
    assert resolve_data_dir(None, env) == tmp_path / "from-env"
    assert resolve_data_dir(None, {}) == default_data_dir()


def test_platform_default_is_the_user_data_folder(monkeypatch, tmp_path):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert default_data_dir() == tmp_path / "xdg" / "CallAhead"


def test_demo_lives_in_its_own_folder_beside_real_data(tmp_path):
    real = AppContext.build(data_dir=str(tmp_path))
    demo = AppContext.build(data_dir=str(tmp_path), demo=True)
    assert real.database_url != demo.database_url
    assert demo.data_dir.parent == real.data_dir


def test_environment_variable_moves_the_database(monkeypatch, tmp_path):
    monkeypatch.setenv(DATA_DIR_ENV, str(tmp_path / "elsewhere"))
    context = AppContext.build()
    context.database()
    context.close()
    assert (tmp_path / "elsewhere" / "callahead.sqlite3").exists()


def test_nothing_is_created_until_the_database_is_opened(tmp_path):
    AppContext.build(data_dir=str(tmp_path / "later"))
    assert not Path(tmp_path / "later").exists()


def test_today_can_be_injected():
    context = AppContext.build(today=dt.date(2027, 1, 4))
    assert context.clock.today() == dt.date(2027, 1, 4)


# --- odd folder names, Windows and network folders (issue 11 item 8, issue 19 item 3) ----------------

@pytest.mark.parametrize("name", ["shop?mode=memory", "shop#2", "Harbor%20Door", "Harbor Door & Supply"])
def test_a_data_folder_named_with_url_characters_opens_its_own_database(tmp_path, name):
    folder = tmp_path / name
    assert main.main(["demo", "--data-dir", str(folder), "--customers", "7"]) == 0
    assert main.main(["backup", "--data-dir", str(folder)]) == 0

    assert sorted(p.name for p in tmp_path.iterdir()) == [name], "no other file was created beside it"
    assert (folder / "callahead.sqlite3").stat().st_size > 0
    context = AppContext.build(data_dir=str(folder))
    context.check_database_ahead()
    with context.database().session() as session:
        assert session.scalar(select(func.count()).select_from(Customer)) == 7
    context.close()
    [backup] = list_backups(folder)
    assert backup.restorable and backup.customers == 7


def test_sqlite_uris_are_built_from_windows_share_and_posix_paths():
    assert sqlite_file_uri(PureWindowsPath(r"C:\Users\Ann Lee\AppData\Local\CallAhead\callahead.sqlite3"),
                           mode="ro") == "file:///C:/Users/Ann%20Lee/AppData/Local/CallAhead/callahead.sqlite3?mode=ro"
    assert sqlite_file_uri(PureWindowsPath(r"\\nas\office\CallAhead\callahead.sqlite3"), mode="ro",
                           immutable="1") == "file:////nas/office/CallAhead/callahead.sqlite3?mode=ro&immutable=1"
    assert sqlite_file_uri(PurePosixPath("/srv/a?b#c%20d/x.sqlite3")) == "file:///srv/a%3Fb%23c%2520d/x.sqlite3"
    with pytest.raises(ValueError):
        sqlite_file_uri(PureWindowsPath("relative\\callahead.sqlite3"))


def test_sqlite_urls_keep_every_character_of_the_path():
    for path in (r"\\nas\office\a%20b#c?d\callahead.sqlite3", r"C:\Users\Zoë\callahead.sqlite3", "/tmp/a?b/c.sqlite3"):
        assert make_url(sqlite_url(path)).database == path


def test_a_share_is_a_network_folder_and_gets_a_warning_not_a_damage_report(tmp_path):
    assert is_network_path(PureWindowsPath(r"\\nas\office\CallAhead"))
    assert not is_network_path(PureWindowsPath(r"C:\Users\Ann\AppData\Local\CallAhead"))
    warning = network_folder_warning(Path(r"\\nas\office\CallAhead"), on_network=True)
    assert "network share" in warning and "one desk" in warning and "PostgreSQL" in warning
    assert "damaged" not in warning
    assert network_folder_warning(tmp_path) is None, "a local folder gets no warning"


def test_the_default_folder_is_the_local_application_data_folder_not_the_roaming_one(monkeypatch, tmp_path):
    asked = []

    def user_data_dir(appname, appauthor=None, roaming=False, **_):
        asked.append(roaming)
        return str(tmp_path / ("Roaming" if roaming else "Local") / appname)

    monkeypatch.setattr(platformdirs, "user_data_dir", user_data_dir)
    assert default_data_dir() == tmp_path / "Local" / "CallAhead"
    # A business an older CallAhead kept in the roaming folder stays where it is.
    (tmp_path / "Roaming" / "CallAhead").mkdir(parents=True)
    (tmp_path / "Roaming" / "CallAhead" / "callahead.sqlite3").write_bytes(b"SQLite format 3\x00")
    assert default_data_dir() == tmp_path / "Roaming" / "CallAhead"
    assert choose_default_data_dir(tmp_path / "Local", tmp_path / "Local") == tmp_path / "Local"


def test_an_unreadable_database_file_is_explained_with_the_fix(demo_data_dir, monkeypatch, capsys):
    path = database_path(demo_data_dir)
    real_open = Path.open

    def unreadable(self, *args, **kwargs):
        if self == path:
            raise PermissionError(13, "Permission denied", str(self))
        return real_open(self, *args, **kwargs)

    monkeypatch.setattr(Path, "open", unreadable)
    monkeypatch.setattr(os, "access", lambda p, mode, **kw: Path(p) != path)

    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--today", "2026-11-24"]) == 2

    said = capsys.readouterr().err
    assert "permissions of" in said and "chmod u+rw" in said and str(path) in said
    assert "is damaged" not in said


def test_a_write_ahead_log_left_owned_by_root_is_explained_with_the_fix(demo_data_dir, monkeypatch, capsys):
    wal = database_path(demo_data_dir).with_name("callahead.sqlite3-wal")
    wal.write_bytes(b"")  # left by a run with sudo
    real_chmod = os.chmod

    def chmod(path, mode, **kwargs):
        if Path(path) == wal:
            raise PermissionError(1, "Operation not permitted", str(path))
        return real_chmod(path, mode, **kwargs)

    monkeypatch.setattr(os, "chmod", chmod)
    monkeypatch.setattr(os, "getuid", lambda: 1000)  # the owner is not root; the file (made by this test) is

    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--today", "2026-11-24"]) == 2

    said = capsys.readouterr().err
    assert "callahead.sqlite3-wal belongs to root" in said and "sudo chown -R" in said
