"""The script editor, opened the way the owner opens it, previews through the real combo box."""

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest

from core.storage.enums import Reason
from gui.dialogs.script_editor import ScriptEditorDialog


def _open_editor(qtbot, window, monkeypatch, opener):
    opened = []

    def show_instead_of_waiting(dialog):  # a modal exec() would wait for a person
        qtbot.addWidget(dialog)
        dialog.show()
        opened.append(dialog)
        return 0

    monkeypatch.setattr(ScriptEditorDialog, "exec", show_instead_of_waiting)
    opener()
    assert opened, "the editor opened"
    return opened[0]


def test_the_script_editor_opens_from_the_menu_and_previews_another_reason(qtbot, window, monkeypatch):
    editor = _open_editor(qtbot, window, monkeypatch, window.scripts_action.trigger)
    assert editor.preview_text().strip(), "a preview is shown at once"
    editor.reason_box.setFocus()
    start = editor.reason()
    QTest.keyClick(editor.reason_box, Qt.Key.Key_Down)  # the real combo box hands back its item's data
    assert editor.reason() != start and isinstance(editor.reason(), Reason)
    assert editor.title_edit.text() and editor.preview_text().strip()


def test_the_script_panels_editor_button_opens_the_editor_on_the_calls_reason(qtbot, window, monkeypatch):
    editor = _open_editor(qtbot, window, monkeypatch,
                          lambda: qtbot.mouseClick(window.script.edit_button, Qt.MouseButton.LeftButton))
    assert editor.reason() == window.script.reason()
    assert editor.preview_text().strip()
