"""Settings and callers are saved to the database together; a mistake is shown and saves nothing."""

from PySide6.QtCore import Qt

from gui.dialogs.settings_dialog import NAME_COLUMN, SettingsDialog


def test_a_duplicate_caller_is_named_and_nothing_is_saved(qtbot, window, services):
    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    dialog.widgets["business_name"].setText("Harbor Doors Renamed")
    row = dialog.add_caller("maria lopez", 5)
    assert not dialog.save()
    assert f"Caller {row + 1}" in dialog.error_text() and dialog.tabs.currentIndex() == 1
    assert services.queries.settings().business_name == "Harbor Door & Supply"
    assert len(services.queries.staff()) == 3


def test_callers_quotas_open_days_and_rules_are_saved(qtbot, window, services):
    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.add_caller("Sam Roy", 4)
    dialog.staff_table.cellWidget(0, 1).setValue(12)
    dialog.staff_table.item(1, 2).setCheckState(Qt.CheckState.Unchecked)
    dialog.tabs.setCurrentIndex(2)
    qtbot.mouseClick(dialog.weekday_boxes[5], Qt.MouseButton.LeftButton)  # open on Saturdays
    country = dialog.widgets["holiday_country"]
    country.setCurrentIndex(country.findData("CA"))
    dialog.widgets["holiday_subdivision"].setCurrentIndex(dialog.widgets["holiday_subdivision"].findData("ON"))
    dialog.widgets["neglected_months"].setValue(9)
    dialog.widgets["quote_follow_up_days"].setText("2, 5, 10")
    first_caller = dialog.staff_table.item(0, NAME_COLUMN).text()
    second_caller = dialog.staff_table.item(1, NAME_COLUMN).text()
    assert dialog.save()
    settings = services.queries.settings()
    assert settings.business_weekdays == (0, 1, 2, 3, 4, 5)
    assert (settings.holiday_country, settings.holiday_subdivision) == ("CA", "ON")
    assert settings.neglected_months == 9 and settings.quote_follow_up_days == (2, 5, 10)
    staff = {s.name: s for s in services.queries.staff()}
    assert staff[first_caller].daily_quota == 12 and not staff[second_caller].active
    assert staff["Sam Roy"].daily_quota == 4
    callers = [window.script.caller_box.itemText(i) for i in range(window.script.caller_box.count())]
    assert "Sam Roy" in callers and second_caller not in callers


def test_a_bad_quote_schedule_points_at_its_field(qtbot, window, services):
    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    dialog.widgets["quote_follow_up_days"].setText("3, soon")
    assert not dialog.save()
    assert "Quote follow-ups" in dialog.error_text()
    assert dialog.tabs.currentWidget().isAncestorOf(dialog.widgets["quote_follow_up_days"])


def test_a_rule_field_offers_only_what_the_settings_accept(qtbot, window, services):
    from core.settings import setting_bounds
    from gui.dialogs.settings_dialog import RULE_SETTINGS

    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    dialog.show()
    for key, _label, _suffix in RULE_SETTINGS:
        spin = dialog.widgets[key]
        assert (spin.minimum(), spin.maximum()) == setting_bounds(key), key
    attempts = dialog.widgets["max_attempts"]
    dialog.tabs.setCurrentIndex(next(i for i in range(dialog.tabs.count())
                                     if dialog.tabs.widget(i).isAncestorOf(attempts)))
    attempts.setFocus()
    qtbot.keyClick(attempts, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(attempts, "0")  # a note after no attempts at all is not a rule the settings accept
    qtbot.keyClick(attempts, Qt.Key.Key_Tab)
    assert attempts.value() >= 1
    assert dialog.save(), dialog.error_text()
    assert services.queries.settings().max_attempts >= 1


def _open_planning_tab(qtbot, dialog):
    dialog.show()
    dialog.activateWindow()  # what the desktop does when a dialog opens (offscreen needs asking)
    qtbot.waitUntil(dialog.isActiveWindow)
    qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_L, Qt.KeyboardModifier.AltModifier)  # P&lanning
    assert dialog.tabs.tabText(dialog.tabs.currentIndex()) == "P&lanning"


def _type_into(qtbot, dialog, alt_key, text):
    """Alt+key jumps to the field its label names; the field's text is replaced by `text`."""
    qtbot.keyClick(dialog.focusWidget() or dialog, alt_key, Qt.KeyboardModifier.AltModifier)
    field = dialog.focusWidget()
    qtbot.keyClick(field, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(field, text)
    return field


def test_the_planning_tab_sets_windows_spacing_and_the_courtesy_floor_from_the_keyboard(qtbot, window, services):
    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    _open_planning_tab(qtbot, dialog)
    assert _type_into(qtbot, dialog, Qt.Key.Key_G, "7") is dialog.widgets["min_gap_days"]
    assert _type_into(qtbot, dialog, Qt.Key.Key_M, "5") is dialog.widgets["merge_days"]
    assert _type_into(qtbot, dialog, Qt.Key.Key_I, "60") is dialog.widgets["post_purchase_last_day"]
    assert _type_into(qtbot, dialog, Qt.Key.Key_V, "18") is dialog.widgets["courtesy_floor_months"]
    assert _type_into(qtbot, dialog, Qt.Key.Key_S, "25") is dialog.widgets["courtesy_floor_share"]
    qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_N, Qt.KeyboardModifier.AltModifier)  # notes instead: ticked
    qtbot.waitUntil(dialog.widgets["notes_for_expiring_calls"].isChecked)  # Alt+key clicks it a moment later
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Return)
    settings = services.queries.settings()
    assert (settings.min_gap_days, settings.merge_days, settings.post_purchase_last_day) == (7, 5, 60)
    assert (settings.courtesy_floor_months, settings.courtesy_floor_share) == (18, 0.25)
    assert settings.notes_for_expiring_calls and not settings.after_change_calls_to_everyone


def test_a_planning_field_offers_only_what_the_settings_accept(qtbot, window, services):
    from core.settings import setting_bounds
    from gui.dialogs.settings_dialog import PLANNING_SETTINGS

    dialog = SettingsDialog(window.services, parent=window)
    qtbot.addWidget(dialog)
    for key, _label, _suffix in PLANNING_SETTINGS:
        spin = dialog.widgets[key]
        assert (spin.minimum(), spin.maximum()) == setting_bounds(key), key
    _open_planning_tab(qtbot, dialog)
    ahead = _type_into(qtbot, dialog, Qt.Key.Key_A, "3")  # fewer days ahead than a week is not accepted
    qtbot.keyClick(ahead, Qt.Key.Key_Tab)
    assert ahead is dialog.widgets["plan_days_ahead"] and ahead.value() >= setting_bounds("plan_days_ahead")[0]
    assert dialog.save(), dialog.error_text()
    assert services.queries.settings().plan_days_ahead >= 7
