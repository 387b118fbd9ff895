"""Dates in scripts, day sheets and the command line in CallAhead's language, whatever locale the
process runs in: Qt sets the C library's locale from the environment when the window starts, and a
German session then turned strftime's names into "Montag" and "Dezember" amid English words."""

from __future__ import annotations

import datetime as dt
import locale
import re
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QLocale
from PySide6.QtGui import QPdfWriter

import main
from core.dates import DATE_LOCALE, NAMES, date_text
from core.storage.enums import Reason
from core.storage.models import Change
from core.reports.day_sheets import day_sheets, sheets_html
from core.scripts.library import ensure_default_scripts, render_call_script
from gui.app import application
from gui.dates import QT_DATE_FORMAT, window_locale
from gui.printing import configure_printer, layout_document

ROOT = Path(__file__).resolve().parents[1]
TODAY = dt.date(2026, 11, 24)  # a Tuesday
GERMAN_NAMES = re.compile(r"Montag|Dienstag|Mittwoch|Donnerstag|Freitag|Samstag|Sonntag|Januar|Februar|März"
                          r"|Juni|Juli|Oktober|Dezember|\b(Okt|Dez|Mär)\b")


@pytest.fixture
def german_process_locale():
    """The process's C locale in German, as Qt leaves it in a German session on Linux and macOS."""
    saved = locale.setlocale(locale.LC_ALL)
    try:
        locale.setlocale(locale.LC_ALL, "de_DE.UTF-8")
    except locale.Error:
        pytest.skip("the de_DE.UTF-8 locale is not installed (Debian: localedef -i de_DE -f UTF-8 de_DE.UTF-8)")
    assert f"{TODAY:%A %B}" == "Dienstag November", "strftime now speaks German: the test can fail"
    yield
    locale.setlocale(locale.LC_ALL, saved)


def test_the_names_written_out_are_babel_s_for_callahead_s_language():
    from babel.dates import get_day_names, get_month_names

    assert NAMES == {
        "%A": dict(get_day_names("wide", locale=DATE_LOCALE)),
        "%a": dict(get_day_names("abbreviated", locale=DATE_LOCALE)),
        "%B": dict(get_month_names("wide", locale=DATE_LOCALE)),
        "%b": dict(get_month_names("abbreviated", locale=DATE_LOCALE)),
    }


def test_date_text_names_days_and_months_in_callahead_s_language(german_process_locale):
    assert date_text(dt.date(2026, 12, 7), "%A %d %B %Y, %a %b") == "Monday 07 December 2026, Mon Dec"
    assert date_text(dt.datetime(2026, 9, 1, 8, 30), "%a %d %b %Y %H:%M") == "Tue 01 Sep 2026 08:30"
    assert date_text(dt.date(2026, 5, 3), "100%% on %a") == "100% on Sun"


def test_a_script_a_printed_day_sheet_and_agenda_speak_one_language_in_a_german_session(
        german_process_locale, demo_db, demo_data_dir, tmp_path, capsys, qapp):
    with demo_db.transaction() as session:
        ensure_default_scripts(session)
        effective = session.get(Change, 1).effective_on
        script = render_call_script(session, 1, Reason.CHANGE_HEADS_UP, TODAY, change_id=1).body
        sheets = day_sheets(session, TODAY, TODAY)
    assert date_text(effective, "%A") in script and f"{effective:%A}" not in script

    # The sheet's text as Qt lays it out on the printed pages.
    printed_sheet = layout_document(sheets_html(sheets), configure_printer(QPdfWriter(str(tmp_path / "sheet.pdf"))))
    sheet_text = printed_sheet.toPlainText()
    assert "calls for Tuesday 24 November 2026" in sheet_text and not GERMAN_NAMES.search(sheet_text)

    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--today", TODAY.isoformat()]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Calls for Tuesday 24 November 2026") and not GERMAN_NAMES.search(printed)


def test_qt_writes_dates_in_callahead_s_language_with_the_region_s_conventions(qapp):
    german = QLocale(QLocale.Language.German, QLocale.Country.Germany)
    assert german.toString(QDate(2026, 12, 7), QT_DATE_FORMAT) == "Mo. 7 Dez. 2026", "what a German system shows"
    ours = window_locale(german)
    assert ours.toString(QDate(2026, 12, 7), QT_DATE_FORMAT) == "Mon 7 Dec 2026"
    assert ours.firstDayOfWeek() == german.firstDayOfWeek(), "weeks still start on the region's day"


def test_the_window_s_application_makes_qt_s_default_locale_callahead_s_language(qapp):
    saved = QLocale()
    QLocale.setDefault(QLocale(QLocale.Language.German, QLocale.Country.Germany))
    try:
        application()
        assert QLocale().toString(QDate(2026, 12, 7), QT_DATE_FORMAT) == "Mon 7 Dec 2026"
    finally:
        QLocale.setDefault(saved)


def test_no_date_is_written_with_strftime_s_locale_dependent_names():
    """Day and month names go through core.dates.date_text, never strftime's %A %a %B %b."""
    names = re.compile(r"""(\{[^{}'"]*:[^{}'"]*|strftime\(\s*["'][^"']*)(?<!%)%[AaBb]""")
    offenders = [f"{path.relative_to(ROOT)}:{number}"
                 for folder in ("core", "gui") for path in sorted((ROOT / folder).rglob("*.py"))
                 if path != ROOT / "core" / "dates.py"
                 for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
                 if names.search(line)]
    offenders += [f"main.py:{n}" for n, line in enumerate((ROOT / "main.py").read_text().splitlines(), 1)
                  if names.search(line)]
    assert offenders == []
