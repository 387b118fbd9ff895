"""Where the data lives, and how an owner (or a test) moves it."""

import datetime as dt
from pathlib import Path

from core.context import AppContext
from core.paths import DATA_DIR_ENV, default_data_dir, resolve_data_dir


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
