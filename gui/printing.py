"""Putting core's day sheets (and the weekly review) on paper or into a PDF with Qt's text document.

The sheet is HTML from core.reports.day_sheets laid out by QTextDocument on the page, so the print
preview, the printer and the PDF file all show the same pages. A PDF is written with
QPdfWriter, never a QPrinter: creating a QPrinter loads the print-system plugin, which asks
CUPS (port 631) for the default printer even when only a file is wanted — and CallAhead
opens no network connection of its own accord. For the same reason the paper (A4 or Letter,
core.reports.paper) is asked of the default printer only on Windows and macOS. Charts a page names as
`chart:` images (core.habits.weekly_review) are drawn by gui.charts.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QLocale, QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPagedPaintDevice, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrinterInfo

from core.storage.owner_files import replace_with_owner_only_file
from core.reports.paper import default_paper_size, locale_territory
from gui.charts import add_chart_resources

PageId = QPageSize.PageSizeId
PAGE_SIZES = {"A4": PageId.A4, "Letter": PageId.Letter}
# A printer's default paper, as the sheet's nearest: North American sizes print on Letter, ISO on A4.
PRINTER_PAPERS = {
    **dict.fromkeys((PageId.Letter, PageId.LetterSmall, PageId.Legal, PageId.Executive, PageId.ExecutiveStandard,
                     PageId.Tabloid, PageId.Ledger), "Letter"),
    **dict.fromkeys((PageId.A3, PageId.A4, PageId.A5, PageId.B4, PageId.B5, PageId.JisB4, PageId.JisB5), "A4"),
}


def default_printer_paper() -> str | None:
    """The default printer's default paper ("A4", "Letter"); None without a printer or for other paper.

    Asks the print system: on Linux that is CUPS, so core.reports.paper asks this on Windows and macOS only.
    """
    ensure_gui_application()
    printer = QPrinterInfo.defaultPrinter()
    if printer.isNull():
        return None
    return PRINTER_PAPERS.get(printer.defaultPageSize().id())


def system_region() -> str | None:
    """The region the owner set for the system (Windows' Region, macOS' Language & Region): "DE"."""
    return locale_territory(QLocale.system().name())


@dataclass(frozen=True)
class PaperSource:
    """Where this computer's paper is found out; a test passes another platform and printer."""

    platform: str = sys.platform
    printer_paper: Callable[[], str | None] = default_printer_paper
    system_territory: Callable[[], str | None] = system_region
    environ: Mapping[str, str] | None = None  # None: os.environ


THIS_COMPUTER = PaperSource()


def default_page_size(phone_region: str, source: PaperSource | None = None) -> str:
    """The paper a sheet is printed or saved on unless the owner chooses: see core.reports.paper."""
    source = THIS_COMPUTER if source is None else source
    return default_paper_size(phone_region, platform=source.platform, printer_paper=source.printer_paper,
                              system_territory=source.system_territory, environ=source.environ)


def configure_printer(printer: QPagedPaintDevice, page_size: str = "A4") -> QPagedPaintDevice:
    """The sheet's page: landscape, 12 mm margins, on A4 or Letter (a printer or a PDF writer)."""
    printer.setPageSize(QPageSize(PAGE_SIZES.get(page_size, PageId.A4)))
    printer.setPageOrientation(QPageLayout.Orientation.Landscape)
    printer.setPageMargins(QMarginsF(12, 12, 12, 12), QPageLayout.Unit.Millimeter)
    return printer


def layout_document(html: str, printer: QPagedPaintDevice) -> QTextDocument:
    document = QTextDocument()
    document.setDocumentMargin(0)
    add_chart_resources(document, html)
    document.setHtml(html)
    # A page size set on the document stops Qt adding its own page numbers, and lays the
    # text out exactly on the printable area, so nothing is clipped.
    area = printer.pageLayout().paintRectPoints()
    document.setPageSize(QSizeF(area.width(), area.height()))
    return document


def print_html(html: str, printer: QPagedPaintDevice) -> int:
    """Print (or write, for a PDF writer) and return the number of pages."""
    document = layout_document(html, printer)
    document.print_(printer)
    return document.pageCount()


def ensure_gui_application() -> QGuiApplication:
    """The command line prints without a window; Qt still needs an application object."""
    app = QGuiApplication.instance()
    if app is None:
        if sys.platform.startswith("linux") and not (os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")):
            os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        app = QGuiApplication(sys.argv[:1])
    return app


def write_pdf(html: str, path: Path, page_size: str = "A4") -> int:
    """Write the sheet to `path` as a PDF only the owner can read; returns the number of pages.

    Raises core.storage.owner_files.OutputRefused when `path` is a folder, a link or a device, and
    OSError when the folder cannot be written; the file is then left as it was.
    """
    ensure_gui_application()

    def write(temporary: Path) -> int:
        writer = QPdfWriter(str(temporary))
        configure_printer(writer, page_size)
        writer.setTitle(Path(path).stem)
        writer.setCreator("CallAhead")
        pages = print_html(html, writer)
        del writer  # finishes the file
        return pages

    return replace_with_owner_only_file(Path(path), write)
