"""Putting core's day sheets (and the weekly review) on paper or into a PDF with Qt's text document.

The sheet is HTML from core.reports laid out by QTextDocument on the page, so the print
preview, the printer and the PDF file all show the same pages. A PDF is written with
QPdfWriter, never a QPrinter: creating a QPrinter loads the print-system plugin, which asks
CUPS (port 631) for the default printer even when only a file is wanted — and CallAhead
opens no network connection of its own accord. Charts a page names as `chart:`
images (core.review) are drawn by gui.charts.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from PySide6.QtCore import QMarginsF, QSizeF
from PySide6.QtGui import QGuiApplication, QPageLayout, QPageSize, QPagedPaintDevice, QPdfWriter, QTextDocument
from PySide6.QtPrintSupport import QPrinter

from core.owner_files import replace_with_owner_only_file
from gui.charts import add_chart_resources

PAGE_SIZES = {"A4": QPageSize.PageSizeId.A4, "Letter": QPageSize.PageSizeId.Letter}


def default_page_size(phone_region: str) -> str:
    """Letter where it is the norm (the Americas' NANP countries), A4 elsewhere."""
    return "Letter" if phone_region.upper() in {"US", "CA", "MX", "PH"} else "A4"


def configure_printer(printer: QPagedPaintDevice, page_size: str = "A4") -> QPagedPaintDevice:
    """The sheet's page: landscape, 12 mm margins, on A4 or Letter (a printer or a PDF writer)."""
    printer.setPageSize(QPageSize(PAGE_SIZES.get(page_size, QPageSize.PageSizeId.A4)))
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

    Raises core.owner_files.OutputRefused when `path` is a folder, a link or a device, and
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
