"""The day sheet laid out by Qt: every call in the text, pages growing with the list."""

import datetime as dt
import re

import pytest
from PySide6.QtGui import QPageSize
from PySide6.QtPrintSupport import QPrinter

import main
from core.storage.database import open_database
from core.storage.enums import Reason
from core.storage.models import CallTask, Customer, StaffMember
from core.reports.day_sheets import day_sheets, sheets_html
from core.scheduling import replan
from core.settings import save_settings
from gui.printing import PaperSource, configure_printer, default_page_size, default_printer_paper, layout_document

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


# --- the paper: the default printer's on Windows and macOS, never CUPS on Linux ----------------

def _media_boxes(path) -> set[tuple[float, float]]:
    boxes = re.findall(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", path.read_bytes())
    return {(round(float(width)), round(float(height))) for width, height in boxes}


LANDSCAPE = {"A4": (842, 595), "Letter": (792, 612)}


@pytest.mark.parametrize("region,printer,paper", [("DE", "Letter", "Letter"), ("US", "A4", "A4")])
def test_a_mac_prints_the_day_sheet_on_its_default_printer_s_paper_not_the_region_s(
        demo_data_dir, demo_url, tmp_path, monkeypatch, region, printer, paper):
    database = open_database(demo_url)
    with database.transaction() as session:
        save_settings(session, phone_region=region)
    database.dispose()
    monkeypatch.setattr("gui.printing.THIS_COMPUTER", PaperSource(
        platform="darwin", printer_paper=lambda: printer, system_territory=lambda: region))
    target = tmp_path / "today.pdf"
    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--today", "2026-11-24", "--pdf", str(target)]) == 0
    assert _media_boxes(target) == {LANDSCAPE[paper]}
    # --page still chooses.
    assert main.main(["agenda", "--data-dir", str(demo_data_dir), "--today", "2026-11-24", "--pdf", str(target),
                      "--page", "A4"]) == 0
    assert _media_boxes(target) == {LANDSCAPE["A4"]}


class FakePrinterInfo:
    """QPrinterInfo.defaultPrinter() as a print system answers it."""

    paper = None

    @classmethod
    def defaultPrinter(cls):
        return cls()

    def isNull(self):
        return self.paper is None

    def defaultPageSize(self):
        return QPageSize(self.paper)


@pytest.mark.parametrize("paper,expected", [
    (None, None), (QPageSize.PageSizeId.Letter, "Letter"), (QPageSize.PageSizeId.Legal, "Letter"),
    (QPageSize.PageSizeId.A4, "A4"), (QPageSize.PageSizeId.A5, "A4"), (QPageSize.PageSizeId.Envelope10, None),
])
def test_the_default_printer_s_paper_as_the_sheet_s_nearest(qapp, monkeypatch, paper, expected):
    monkeypatch.setattr(FakePrinterInfo, "paper", paper)
    monkeypatch.setattr("gui.printing.QPrinterInfo", FakePrinterInfo)
    assert default_printer_paper() == expected


def test_on_linux_the_paper_is_chosen_without_asking_the_print_system(qapp, monkeypatch):
    def cups(*args):
        raise AssertionError("asked the print system: a connection to CUPS")

    monkeypatch.setattr("gui.printing.QPrinterInfo.defaultPrinter", cups)
    monkeypatch.setattr("gui.printing.QPrinterInfo.availablePrinters", cups)
    monkeypatch.setenv("LC_PAPER", "en_US.UTF-8")
    monkeypatch.delenv("LC_ALL", raising=False)
    assert default_page_size("DE", PaperSource(platform="linux")) == "Letter"
