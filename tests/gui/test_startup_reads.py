"""The window's start reads what its first screen shows once: the month, the day's list and the
customer in front are not read again for the calendar's own signals."""

from collections import Counter

from core.services import Services
from gui.app import build_main_window

READS = ("calendar_load", "agenda", "customer_detail", "render_script")


def test_the_month_and_the_call_in_front_are_read_once(qtbot, demo_context, ui_settings, monkeypatch):
    reads = Counter()
    for name in READS:
        real = getattr(Services, name)
        monkeypatch.setattr(Services, name, lambda self, *args, _real=real, _name=name, **kwargs: (
            reads.update([_name]), _real(self, *args, **kwargs))[1])
    window = build_main_window(demo_context, ui_settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert window.day_list.model.rowCount() > 0, "today's calls are shown"
    assert window.calendar.calendar.load(demo_context.clock.today()) is not None, "the month is shown"
    assert window.detail.customer_id is not None, "the call in front's customer is shown"
    assert {name: reads[name] for name in READS} == dict.fromkeys(READS, 1)
