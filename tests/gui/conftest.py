"""GUI fixtures: the window on the demo business, with Qt's settings kept in a temporary folder."""

import pytest
from PySide6.QtCore import QSettings

from core.services import Services
from gui.app import build_main_window
from gui.services import ServiceBridge


@pytest.fixture(autouse=True)
def _qt_settings_in_a_temporary_folder(tmp_path_factory):
    """No test reads or writes the owner's real window positions."""
    folder = tmp_path_factory.mktemp("qsettings")
    for scope in (QSettings.Scope.UserScope, QSettings.Scope.SystemScope):
        QSettings.setPath(QSettings.Format.IniFormat, scope, str(folder))
        QSettings.setPath(QSettings.Format.NativeFormat, scope, str(folder))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)


@pytest.fixture
def ui_settings(tmp_path):
    return QSettings(str(tmp_path / "window.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def services(demo_context, qtbot):
    bridge = ServiceBridge(Services(demo_context.database(), demo_context.clock))
    bridge.prepare()
    return bridge


@pytest.fixture
def window(qtbot, demo_context, ui_settings):
    main_window = build_main_window(demo_context, ui_settings)
    qtbot.addWidget(main_window)
    main_window.show()
    qtbot.waitExposed(main_window)
    return main_window
