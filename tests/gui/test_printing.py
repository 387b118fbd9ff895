"""The day sheet laid out by Qt: every call in the text, pages growing with the list."""

import datetime as dt
import re

import pytest
from PySide6.QtPrintSupport import QPrinter

import main
from core.enums import Reason
from core.models import CallTask, Customer, StaffMember
from core.reports import day_sheets, sheets_html
from core.scheduling import replan
from gui.printing import configure_printer, layout_document

TODAY = dt.date(2026, 11, 24)


def _pdf_pages(path) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", path.read_bytes()))


def _business_with_calls(db, count):
    with db.transaction() as session:
        session.add(StaffMember(name="Maria", daily_quota=200))
        for n in range(count):
            customer = Customer(name=f"Customer {n:03d}", phone="+15035550100")
            session.add(customer)
            session.flush()
            session.add(CallTask(customer_id=customer.id, reason=Reason.NEGLECTED, due_on=TODAY,
                                 why=f"Quiet since spring (row {n:03d})"))
        session.flush()
        replan(session, TODAY)


@pytest.mark.parametrize("page_size", ["A4", "Letter"])
def test_the_laid_out_sheet_holds_every_call_and_pages_grow_with_the_list(qapp, db, page_size):
    _business_with_calls(db, 60)
    printer = configure_printer(QPrinter(QPrinter.PrinterMode.HighResolution), page_size)
    with db.session() as session:
        sheets = day_sheets(session, TODAY, TODAY)
    document = layout_document(sheets_html(sheets), printer)
    text = document.toPlainText()
    assert all(f"Customer {n:03d}" in text for n in range(60))
    few = layout_document(sheets_html([sheets[0].__class__(**{**sheets[0].__dict__, "rows": sheets[0].rows[:5]})]),
                          printer)
    assert few.pageCount() == 1 and document.pageCount() > 3


def test_agenda_pdf_command_writes_every_call_without_a_window(demo_data_dir, tmp_path, capsys):
    target = tmp_path / "today.pdf"
    code = main.main(["agenda", "--data-dir", str(demo_data_dir), "--today", "2026-11-24", "--pdf", str(target),
                      "--page", "A4"])
    assert code == 0
    assert target.read_bytes().startswith(b"%PDF")
    message = capsys.readouterr().err
    pages = int(re.search(r"on (\d+) page", message).group(1))
    assert pages == _pdf_pages(target) >= 3, "a page or more per caller"


def test_agenda_pdf_into_a_missing_folder_is_a_clear_error(demo_data_dir, tmp_path, capsys):
    code = main.main(["agenda", "--data-dir", str(demo_data_dir), "--pdf", str(tmp_path / "no" / "x.pdf")])
    assert code == 2 and "does not exist" in capsys.readouterr().err
