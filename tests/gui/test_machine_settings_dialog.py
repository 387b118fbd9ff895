"""The Settings dialog shows and saves this computer's settings where it always did (the Data
tab), but they land in the machine's settings file, not in the shared database."""

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialogButtonBox
from sqlalchemy import select

from core.storage.models import Setting
from gui.dialogs.settings_dialog import SettingsDialog


def _open_data_tab(qtbot, dialog):
    dialog.show()
    qtbot.waitExposed(dialog)
    tab_bar = dialog.tabs.tabBar()
    data_tab = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "&Data")
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(data_tab).center())
    assert dialog.tabs.currentIndex() == data_tab


def _type_into_spin_box(qtbot, spin, text):
    qtbot.mouseClick(spin.lineEdit(), Qt.MouseButton.LeftButton)
    QTest.keyClick(spin.lineEdit(), Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(spin.lineEdit(), text)


def _click_save(qtbot, dialog):
    save = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Save)
    qtbot.mouseClick(save, Qt.MouseButton.LeftButton)


def test_start_at_login_and_backups_to_keep_are_saved_on_this_computer(qtbot, window, demo_context):
    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    _open_data_tab(qtbot, dialog)
    qtbot.mouseClick(dialog.widgets["start_at_login"], Qt.MouseButton.LeftButton)
    _type_into_spin_box(qtbot, dialog.widgets["backups_to_keep"], "5")
    _click_save(qtbot, dialog)

    assert dialog.error_text() == "" and not dialog.isVisible()
    saved = json.loads(demo_context.machine.settings_file.read_text(encoding="utf-8"))
    assert (saved["start_at_login"], saved["backups_to_keep"]) == (True, 5)
    with demo_context.database().session() as session:
        keys = set(session.scalars(select(Setting.key)))
    assert not {"start_at_login", "backups_to_keep"} & keys, "nothing of this computer's in the shared database"


def test_the_dialog_shows_what_this_computer_keeps(qtbot, window, demo_context):
    demo_context.machine.save(start_at_login=True, backups_to_keep=9)
    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    _open_data_tab(qtbot, dialog)
    assert dialog.widgets["start_at_login"].isChecked()
    assert dialog.widgets["backups_to_keep"].value() == 9


def test_a_bad_business_value_keeps_this_computers_settings_as_they_were(qtbot, window, demo_context):
    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    _open_data_tab(qtbot, dialog)
    _type_into_spin_box(qtbot, dialog.widgets["backups_to_keep"], "3")
    rules_tab = next(i for i in range(dialog.tabs.count()) if dialog.tabs.tabText(i) == "&Rules")
    tab_bar = dialog.tabs.tabBar()
    qtbot.mouseClick(tab_bar, Qt.MouseButton.LeftButton, pos=tab_bar.tabRect(rules_tab).center())
    quotes = dialog.widgets["quote_follow_up_days"]
    qtbot.mouseClick(quotes, Qt.MouseButton.LeftButton)
    QTest.keyClick(quotes, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    QTest.keyClicks(quotes, "3, soon")
    _click_save(qtbot, dialog)

    assert "Quote follow-ups" in dialog.error_text() and dialog.isVisible()
    assert window.services.queries.machine_settings().backups_to_keep == 14
