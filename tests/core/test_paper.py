"""The paper a sheet is printed on unless the owner chooses, on each platform, simulated."""

import pytest

from core.reports.paper import default_paper_size, locale_territory


def no_print_system():
    raise AssertionError("asked the print system (on Linux that is a connection to CUPS)")


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_the_default_printer_s_paper_wins_over_the_region(platform):
    assert default_paper_size("DE", platform=platform, printer_paper=lambda: "Letter",
                              system_territory=lambda: "DE") == "Letter"
    assert default_paper_size("US", platform=platform, printer_paper=lambda: "A4",
                              system_territory=lambda: "US") == "A4"


@pytest.mark.parametrize("platform", ["darwin", "win32"])
def test_without_a_printer_the_system_s_region_decides_then_the_business_s(platform):
    assert default_paper_size("DE", platform=platform, system_territory=lambda: "US") == "Letter"
    assert default_paper_size("US", platform=platform, system_territory=lambda: "FR") == "A4"
    assert default_paper_size("MX", platform=platform) == "Letter"
    assert default_paper_size("GB", platform=platform) == "A4"


def test_on_linux_the_locale_s_paper_decides_and_the_printer_is_never_asked():
    def paper(region, **environ):
        return default_paper_size(region, platform="linux", printer_paper=no_print_system,
                                  system_territory=no_print_system, environ=environ)

    assert paper("DE", LANG="de_DE.UTF-8", LC_PAPER="en_US.UTF-8") == "Letter"
    assert paper("US", LC_PAPER="de_DE.UTF-8") == "A4"
    assert paper("US", LC_ALL="fr_CA.UTF-8", LC_PAPER="de_DE.UTF-8") == "Letter", "LC_ALL overrides LC_PAPER"
    assert paper("CA", LANG="C.UTF-8") == "Letter", "a locale without a region leaves it to the business's"
    assert paper("DE") == "A4"


@pytest.mark.parametrize("name,territory", [
    ("de_DE.UTF-8", "DE"), ("sr_RS.UTF-8@latin", "RS"), ("en_us", "US"), ("de_AT@euro", "AT"),
    ("C", None), ("C.UTF-8", None), ("POSIX", None), ("en", None), ("", None), (None, None),
])
def test_a_locale_name_s_region(name, territory):
    assert locale_territory(name) == territory
