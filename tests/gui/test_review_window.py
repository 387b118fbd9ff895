"""Calls → Weekly review: each caller's bars and figures, a click opens what a number counts,
the line on the week is kept, and the page goes to a PDF with its charts, owner-only."""

import datetime as dt
import re
import stat
import subprocess

import pytest
from hand_built_week import MONDAY, THANKSGIVING, TODAY, build_week
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

import main
from core.clock import FixedClock
from core.habits.services import HabitsServices
from core.habits.weekly_review import ReviewFigure
from gui.dialogs.news_dialog import NewsDialog
from gui.dialogs.review_window import ReviewWindow
from gui.dialogs.thanks_dialog import ThanksDialog


@pytest.fixture
def week(db):
    return build_week(db)


@pytest.fixture
def review_window(qtbot, week):
    window = ReviewWindow(HabitsServices(week.db, FixedClock.on(TODAY)), THANKSGIVING)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def lines_shown(window):
    table = window.lines_table
    return [[table.item(row, column).text() for column in range(table.columnCount())] for row in range(table.rowCount())]


def test_each_caller_has_their_days_bars_and_figures(review_window, week):
    assert "Week of 23 Nov to 29 Nov 2026" in review_window.week_label.text()
    ann = review_window.cards[week.ann]
    assert ann.buttons[ReviewFigure.CALLS].text() == "Calls\n7 of 12"
    assert ann.buttons[ReviewFigure.REACHED].text() == "Reached\n5 (71%)"
    assert ann.buttons[ReviewFigure.QUOTES_DECIDED].text() == "Quote hit ratio\n50% (1 of 2)"
    assert ann.chart.chart.values == (3, 1, 0, 0, 2, 1, 0) and ann.chart.chart.goals == (3, 3, 3, 0, 3, 0, 0)
    cleo = review_window.cards[week.cleo]
    assert cleo.buttons[ReviewFigure.CALLS].text() == "Calls\n0 of 16"
    assert review_window.changes_table.item(0, 0).text() == "Springs up 8%"


def test_clicking_a_number_lists_what_it_counts(qtbot, review_window, week):
    qtbot.mouseClick(review_window.cards[week.ann].buttons[ReviewFigure.ORDERS], Qt.MouseButton.LeftButton)
    rows = lines_shown(review_window)
    assert len(rows) == 1 and rows[0][1:3] == ["Ann", "Customer 0"] and "Order placed" in rows[0][3]
    qtbot.mouseClick(review_window.cards[week.ann].buttons[ReviewFigure.THANK_YOU_NOTES], Qt.MouseButton.LeftButton)
    assert [row[2] for row in lines_shown(review_window)] == ["Customer 0", "Pat at the spring supplier"]


def test_clicking_a_days_bar_lists_that_days_calls(qtbot, review_window, week):
    chart = review_window.cards[week.ann].chart
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_center(0).toPoint())
    assert len(lines_shown(review_window)) == 3
    assert "Monday 23 Nov" in review_window.lines_title.text()
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_center(3).toPoint())
    assert lines_shown(review_window) == [], "Thanksgiving: closed, no calls"


def test_clicking_a_week_of_the_hit_ratio_lists_its_decided_quotes(qtbot, review_window):
    chart = review_window.hit_chart
    assert chart.chart.values[-1] == pytest.approx(1 / 3, abs=0.001)
    qtbot.mouseClick(chart, Qt.MouseButton.LeftButton, pos=chart.bar_center(6).toPoint())
    rows = lines_shown(review_window)
    assert [(row[1], row[3]) for row in rows] == [("Ben", "Quote won (sent 10 Nov 2026)")]


def test_clicking_a_change_lists_its_heads_up_calls(qtbot, review_window):
    table = review_window.changes_table
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=table.visualItemRect(table.item(0, 2)).center())
    rows = lines_shown(review_window)
    assert [(row[1], row[2], row[3]) for row in rows] == [("Ann", "Customer 0", "Reached · told in time")]
    assert "1 told in time" in review_window.lines_title.text()


def test_a_callers_line_on_the_week_is_kept_with_the_week(qtbot, review_window, week):
    edit = review_window.cards[week.ben].reflection_edit
    qtbot.mouseClick(edit, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(edit, "Quiet week, one big order")
    qtbot.keyClick(edit, Qt.Key.Key_Return)
    qtbot.mouseClick(review_window.previous_button, Qt.MouseButton.LeftButton)
    assert "16 Nov to 22 Nov" in review_window.week_label.text()
    assert review_window.cards[week.ben].reflection_edit.text() == ""
    qtbot.mouseClick(review_window.next_button, Qt.MouseButton.LeftButton)
    assert review_window.cards[week.ben].reflection_edit.text() == "Quiet week, one big order"
    qtbot.mouseClick(review_window.next_button, Qt.MouseButton.LeftButton)
    assert "30 Nov to 6 Dec" in review_window.week_label.text(), "this week, so far"
    assert not review_window.next_button.isEnabled(), "no review of weeks to come"


def _pdf_text(path) -> str:
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True).stdout


def _assert_owner_only_pdf_with_charts(path):
    data = path.read_bytes()
    assert data.startswith(b"%PDF")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600, "the review names customers: owner-only"
    assert len(re.findall(rb"/Subtype\s*/Image", data)) >= 4, "the three callers' bars and the hit ratio"


def test_save_as_pdf_writes_the_page_with_its_charts(qtbot, review_window, tmp_path, monkeypatch):
    target = tmp_path / "review.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *args, **kwargs: (str(target), "PDF (*.pdf)"))
    qtbot.mouseClick(review_window.pdf_button, Qt.MouseButton.LeftButton)
    _assert_owner_only_pdf_with_charts(target)
    assert "Wrote" in review_window.lines_title.text()
    text = " ".join(_pdf_text(target).split())
    assert "weekly review, 23 November to 29 November 2026" in text and "Thanksgiving Day" in text


def test_review_pdf_command_writes_the_same_page(week, data_dir, tmp_path, capsys):
    target = tmp_path / "week.pdf"
    code = main.main(["review", "--week", MONDAY.isoformat(), "--pdf", str(target), "--data-dir", str(data_dir),
                      "--today", TODAY.isoformat()])
    assert code == 0
    pages = int(re.search(r"on (\d+) page", capsys.readouterr().err).group(1))
    _assert_owner_only_pdf_with_charts(target)
    assert pages == len(re.findall(rb"/Type\s*/Page[^s]", target.read_bytes()))
    assert "Springs up 8%" in _pdf_text(target)


@pytest.mark.parametrize("keys, dialog_class", [
    ("Ctrl+Shift+R", ReviewWindow), ("Ctrl+Shift+T", ThanksDialog), ("Ctrl+Shift+O", NewsDialog)])
def test_the_calls_menu_opens_the_habits(qtbot, window, monkeypatch, keys, dialog_class):
    opened = []
    monkeypatch.setattr(dialog_class, "exec", lambda dialog: opened.append(dialog) or 0)
    qtbot.keyClick(window, keys[-1], Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    assert len(opened) == 1 and isinstance(opened[0], dialog_class)
    opened[0].deleteLater()
