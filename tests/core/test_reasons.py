"""Every call reason is declared once and completely (core.scheduling.reasons), and the window, the engine,
the scripts and the printed sheet all read that declaration."""

import dataclasses
import datetime as dt

import pytest

from core.storage.enums import Reason
from core.labels import REASON_LABELS
from core.scheduling.reasons import REASONS, change_reasons, declaration
from core.resources import resource_path
from core.scheduling.changes import STEP_REASON
from core.scheduling.windows import window_last_day
from core.scripts.library import SCRIPTS_FOLDER, default_script
from core.settings import Settings, setting_bounds

DAY = dt.date(2026, 11, 24)


def test_every_reason_has_a_declaration():
    missing = [reason.value for reason in Reason if reason not in REASONS]
    assert missing == [], f"declare these reasons in core/scheduling/reasons.py: {missing}"
    assert all(declared.reason is reason for reason, declared in REASONS.items())


@pytest.mark.parametrize("reason", list(Reason), ids=lambda r: r.value)
def test_each_declaration_is_complete(reason):
    declared = declaration(reason)
    assert declared.label.strip(), "a label the owner reads"
    assert declared.weight > 0, "a weight for its worth"
    assert declared.printed_points and all(point.strip() for point in declared.printed_points), \
        "talking points for the printed sheet"
    path = resource_path(SCRIPTS_FOLDER, declared.script_file)
    assert path.is_file(), f"a shipped script {SCRIPTS_FOLDER}/{declared.script_file}"
    script = default_script(reason)
    assert script.title and script.body, "the shipped script has a title and a body"
    for key in declared.window.setting_keys():
        assert key in Settings.field_names(), f"the window reads the owner's setting {key!r}"
    assert declared.window.span(Settings(), cadence_days=28) >= dt.timedelta(0)


def test_labels_are_distinct_and_the_window_uses_the_declared_words():
    assert len(set(REASON_LABELS.values())) == len(Reason)
    assert REASON_LABELS == {reason: declaration(reason).label for reason in Reason}


def test_every_shipped_script_belongs_to_a_reason():
    shipped = {path.name for path in resource_path(SCRIPTS_FOLDER).glob("*.txt")}
    assert shipped == {declared.script_file for declared in REASONS.values()}


def test_the_reasons_a_change_makes_are_the_ones_declared_as_belonging_to_a_change():
    assert set(STEP_REASON.values()) == change_reasons()


def test_a_windows_setting_moves_its_last_day():
    """The declared setting keys are the ones the planner's window reads."""
    for reason, declared in REASONS.items():
        for key in declared.window.setting_keys():
            settings = Settings()
            low, high = setting_bounds(key)
            wider = dataclasses.replace(settings, **{key: min(getattr(settings, key) + 5, high)})
            before = window_last_day(reason, DAY, None, settings)
            after = window_last_day(reason, DAY, None, wider)
            sign = -1 if key == declared.window.starts_setting else 1
            assert (after - before).days * sign > 0, f"{reason.value}: {key}"


def test_the_readme_windows_hold_with_the_default_settings():
    settings = Settings()
    # A check-in 30 to 45 days after a purchase: due on day 30, useful for 15 more days.
    assert window_last_day(Reason.POST_PURCHASE, DAY, None, settings) == DAY + dt.timedelta(days=15)
    # "Any concerns?" 7 to 20 days after a change.
    assert window_last_day(Reason.CHANGE_CONCERNS, DAY, None, settings) == DAY + dt.timedelta(days=13)
    # A heads-up ends at its change's date; a callback keeps its own few days whatever the deadline.
    deadline = DAY + dt.timedelta(days=9)
    assert window_last_day(Reason.CHANGE_HEADS_UP, DAY, deadline, settings) == deadline
    assert window_last_day(Reason.CALLBACK, DAY, deadline, settings) == DAY + dt.timedelta(days=3)
    # Keep in touch: a quarter of the customer's cadence.
    assert window_last_day(Reason.KEEP_IN_TOUCH, DAY, None, settings, cadence_days=60) == DAY + dt.timedelta(days=15)
