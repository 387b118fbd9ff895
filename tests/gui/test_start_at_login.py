"""Start at login from the window: refused with advice from a copy that will vanish, kept current at each start."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialogButtonBox

from core.machine.autostart import Autostart
from gui.app import Desk
from gui.dialogs.settings_dialog import SettingsDialog

TRANSLOCATED = "/private/var/folders/x1/T/AppTranslocation/6E1F4C2A/d/CallAhead.app/Contents/MacOS/CallAhead"


def _tick_start_at_login_and_save(qtbot, dialog):
    dialog.show()
    qtbot.waitExposed(dialog)
    tab_bar = dialog.tabs.tabBar()
    data_tab = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "&Data")
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(data_tab).center())
    qtbot.mouseClick(dialog.widgets["start_at_login"], Qt.MouseButton.LeftButton)
    assert dialog.widgets["start_at_login"].isChecked()
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def test_turning_on_start_at_login_from_a_translocated_app_shows_the_advice(qtbot, window, services):
    dialog = SettingsDialog(window.services, parent=window,
                            autostart=Autostart(platform="darwin", executable=TRANSLOCATED, frozen=True))
    qtbot.addWidget(dialog)
    _tick_start_at_login_and_save(qtbot, dialog)
    assert "Move CallAhead to Applications first, then turn on start at login" in dialog.error_text()
    assert dialog.isVisible(), "the dialog stays open on the refused setting"
    assert dialog.tabs.currentWidget().isAncestorOf(dialog.widgets["start_at_login"])
    assert services.queries.machine_settings().start_at_login is False


def test_turning_on_start_at_login_from_an_installed_app_is_saved(qtbot, window, services):
    dialog = SettingsDialog(window.services, parent=window,
                            autostart=Autostart(platform="darwin", executable="/Applications/CallAhead.app/Contents/"
                                                                              "MacOS/CallAhead", frozen=True))
    qtbot.addWidget(dialog)
    _tick_start_at_login_and_save(qtbot, dialog)
    assert dialog.error_text() == "" and not dialog.isVisible()
    assert services.queries.machine_settings().start_at_login is True


def test_each_start_points_a_moved_entry_at_this_copy_and_its_data_folder(qtbot, demo_context, tmp_path):
    demo_context.machine.save(start_at_login=True)
    here = Autostart.for_context(demo_context)  # this run: the conftest's temporary XDG_CONFIG_HOME
    moved_away = Autostart(platform=here.platform, executable=str(tmp_path / "old place" / "CallAhead"), frozen=True)
    moved_away.apply(True)
    assert not here.is_current()
    desk = Desk(demo_context, QApplication.instance())
    qtbot.addWidget(desk.window)
    desk.start()
    desk.watch.stop()
    assert here.is_current()
    assert "--data-dir" in here.command() and str(demo_context.data_dir) in here.command()
