"""Which paper the printed sheets use when the owner has not chosen: A4 or US Letter.

The paper in the owner's printer is what counts, not where the business's phone numbers are:
a German number on a Mac whose printer holds Letter prints on Letter. So, in this order:

- Windows and macOS: the default printer's default paper (gui.printing asks Qt; only there,
  because on Linux asking means a connection to CUPS, which tests and headless runs must not
  make); then the system's region (the owner's Region / Formats setting);
- Linux: the locale's paper (LC_ALL, LC_PAPER, LANG — the variables glibc's LC_PAPER follows);
- then the business's phone region.

Everything the system offers is injected, so tests run each platform's rule on any machine.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping

PAPER_SIZES = ("A4", "Letter")
# Unicode CLDR's paperSize data: where US Letter is the norm (A4 everywhere else).
LETTER_TERRITORIES = frozenset({"BZ", "CA", "CL", "CO", "CR", "GT", "MX", "NI", "PA", "PH", "PR", "SV", "US", "VE"})
# The order in which the C library looks up the LC_PAPER category.
PAPER_LOCALE_VARIABLES = ("LC_ALL", "LC_PAPER", "LANG")


def paper_for_territory(territory: str | None) -> str | None:
    """"Letter" or "A4" for a two-letter region code; None when there is none."""
    if not territory:
        return None
    return "Letter" if territory.upper() in LETTER_TERRITORIES else "A4"


def locale_territory(locale_name: str | None) -> str | None:
    """The region of a POSIX locale name: "de_DE.UTF-8@euro" -> "DE"; None for "C", "POSIX", "en"."""
    if not locale_name:
        return None
    language_and_region = locale_name.split(".")[0].split("@")[0]
    _language, _, territory = language_and_region.partition("_")
    return territory.upper() if len(territory) == 2 and territory.isalpha() else None


def environment_paper(environ: Mapping[str, str] | None = None) -> str | None:
    """The paper the locale's LC_PAPER category names; None when no variable names a region."""
    environ = os.environ if environ is None else environ
    for variable in PAPER_LOCALE_VARIABLES:
        value = environ.get(variable)
        if value:  # the first one set decides, as for the C library, even without a region
            return paper_for_territory(locale_territory(value))
    return None


def default_paper_size(
    phone_region: str,
    *,
    platform: str | None = None,
    printer_paper: Callable[[], str | None] = lambda: None,
    system_territory: Callable[[], str | None] = lambda: None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """The paper for a sheet the owner prints or saves without choosing one: "A4" or "Letter".

    `printer_paper` (the default printer's paper, None without a printer) and `system_territory`
    (the system's region code) are asked on Windows and macOS only.
    """
    platform = sys.platform if platform is None else platform
    if platform == "win32" or platform == "darwin":
        paper = printer_paper()
        if paper in PAPER_SIZES:
            return paper
        paper = paper_for_territory(system_territory())
    else:
        paper = environment_paper(environ)
    return paper or paper_for_territory(phone_region) or "A4"
