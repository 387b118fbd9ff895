"""Every menu action of the window, triggered on the demo business, runs without an exception
raised or printed. Dialogs open for real and are closed at once (a modal exec would wait for a
person); the owner's answer to a file chooser or a question is "cancel"."""

import sys

from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrintPreviewDialog
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog, QMessageBox


def _menu_actions(menu_bar):
    """Each action in the window's menus and submenus, in menu order."""
    def walk(menu):
        for action in menu.actions():
            if action.menu() is not None:
                yield from walk(action.menu())
            elif not action.isSeparator():
                yield action
    for top in menu_bar.actions():
        yield from walk(top.menu())


def test_every_menu_action_works_on_the_demo(qtbot, window, monkeypatch, capfd):
    opened = []

    def open_and_close(dialog):
        opened.append(type(dialog).__name__)
        dialog.show()
        QApplication.processEvents()
        dialog.done(0)
        return 0

    monkeypatch.setattr(QDialog, "exec", open_and_close)
    monkeypatch.setattr(QPrintPreviewDialog, "exec", open_and_close)
    for name in ("about", "information", "warning", "critical"):
        monkeypatch.setattr(QMessageBox, name, lambda *args, name=name: opened.append(name))
    monkeypatch.setattr(QMessageBox, "question", lambda *args: QMessageBox.StandardButton.No)
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kw: ("", ""))
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *args, **kw: ("", ""))
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    logged = window.day_list.selected_call()
    QTest.keyClick(window.day_list.table, Qt.Key.Key_2)  # something to undo
    assert window.undo_action.isEnabled()
    # A customer to edit or delete: the one whose call Undo brings back in front, so the customer
    # list (which follows the call in front only on its loaded rows) keeps them chosen after Undo.
    assert window.customers.select_customer(logged.customer_id)

    errors = []
    monkeypatch.setattr(sys, "excepthook", lambda *info: errors.append(info))
    actions = list(_menu_actions(window.menuBar()))
    quit_action = window.quit_action
    triggered = []
    for action in actions:
        if action is quit_action:
            continue
        assert action.isEnabled(), f"{action.text()} is enabled on the demo with a customer chosen"
        action.trigger()
        triggered.append(action.text())
        QApplication.processEvents()
    quit_action.trigger()
    assert not window.isVisible()

    assert errors == [], errors
    printed = capfd.readouterr().err
    assert "Traceback" not in printed and "Error" not in printed, printed
    assert len(triggered) >= 15, triggered
    assert {"SettingsDialog", "ScriptEditorDialog", "AnnounceDialog", "ImportWizard", "CustomerDialog"} <= set(opened)
