"""The window's date fields accept 1900–2200, like the command line: a year typed beyond is refused."""

from PySide6.QtCore import QDate, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDateTimeEdit

from gui.dialogs.announce_dialog import AnnounceDialog
from gui.dialogs.settings_dialog import SettingsDialog

LAST = QDate(2200, 12, 31)


def test_a_callback_year_typed_past_2200_is_refused(qtbot, window):
    day_list = window.day_list
    day_list.follow_up_box.setFocus()
    QTest.keyClick(day_list.follow_up_box, Qt.Key.Key_Space)
    qtbot.waitUntil(day_list.follow_up_at.isEnabled)
    edit = day_list.follow_up_at
    edit.setFocus()
    edit.setSelectedSection(QDateTimeEdit.Section.YearSection)
    QTest.keyClicks(edit, "9999")
    QTest.keyClick(edit, Qt.Key.Key_Tab)
    assert edit.date().year() != 9999 and edit.date() <= LAST
    edit.setFocus()
    edit.setSelectedSection(QDateTimeEdit.Section.YearSection)
    QTest.keyClicks(edit, "2200")
    for _ in range(3):  # the arrow keys stop at the last accepted year too
        QTest.keyClick(edit, Qt.Key.Key_Up)
    assert edit.date().year() == 2200


def test_the_announce_and_settings_date_fields_stop_at_2200(qtbot, services):
    announce = AnnounceDialog(services)
    qtbot.addWidget(announce)
    settings = SettingsDialog(services)
    qtbot.addWidget(settings)
    today = services.queries.today()
    assert announce.effective_edit.minimumDate() == QDate(today.year, today.month, today.day)
    assert announce.effective_edit.maximumDate() == LAST
    assert (settings.closed_date.minimumDate(), settings.closed_date.maximumDate()) == (QDate(1900, 1, 1), LAST)
