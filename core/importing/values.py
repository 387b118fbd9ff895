"""Reading the non-contact values exports hold: dates, money, counts, countries, yes/no.

Each parser returns the value or raises InvalidInput with a message naming the value, so the
import can flag the row and go on. Shared by customer and purchase imports.
"""

from __future__ import annotations

import datetime as dt
import math
import re

import phonenumbers
from dateutil import parser as date_parser

from core.errors import InvalidInput

EARLIEST_YEAR, LATEST_YEAR = 1900, 2200
OLDEST_AGE = 120
# Regions that write dates month first; everywhere else a slashed date is read day first.
_MONTH_FIRST_REGIONS = frozenset({"US", "CA", "PH", "FM", "MH", "PW", "GU", "PR", "AS", "VI", "MP"})
_NO_DATE = frozenset({"0/0/00", "00/00/0000", "0000-00-00", "n/a", "none", "-", "never"})
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$")
_YEARLESS = re.compile(r"^--(\d{2})-?(\d{2})$")
_PLAIN_MONEY = re.compile(r"\$?(\d{1,3}(?:,\d{3})+|\d{1,12})(?:\.(\d{1,2}))?")
_MONEY_JUNK = re.compile(r"[^\d.,\-()]")

COUNTRY_NAMES: dict[str, str] = {
    "united states": "US", "united states of america": "US", "usa": "US", "u s a": "US", "us": "US",
    "america": "US", "canada": "CA", "united kingdom": "GB", "uk": "GB", "great britain": "GB",
    "england": "GB", "scotland": "GB", "wales": "GB", "northern ireland": "GB", "ireland": "IE",
    "australia": "AU", "new zealand": "NZ", "mexico": "MX", "méxico": "MX", "germany": "DE",
    "deutschland": "DE", "france": "FR", "spain": "ES", "españa": "ES", "italy": "IT", "italia": "IT",
    "netherlands": "NL", "the netherlands": "NL", "holland": "NL", "belgium": "BE", "switzerland": "CH",
    "austria": "AT", "sweden": "SE", "norway": "NO", "denmark": "DK", "finland": "FI", "portugal": "PT",
    "poland": "PL", "czech republic": "CZ", "czechia": "CZ", "japan": "JP", "china": "CN", "india": "IN",
    "south africa": "ZA", "brazil": "BR", "brasil": "BR", "argentina": "AR", "singapore": "SG",
    "hong kong": "HK", "south korea": "KR", "korea": "KR", "philippines": "PH", "puerto rico": "PR",
}
_ALPHA3 = {"USA": "US", "CAN": "CA", "GBR": "GB", "AUS": "AU", "NZL": "NZ", "MEX": "MX", "DEU": "DE",
           "FRA": "FR", "ESP": "ES", "ITA": "IT", "NLD": "NL", "IRL": "IE", "BEL": "BE", "CHE": "CH"}


def parse_date(raw: str, region: str = "US", what: str = "date") -> dt.date | None:
    """A date from an export (ISO, 3/14/2025, 14.03.2025, 'Mar 14, 2025', with or without a time)."""
    text = raw.strip()
    if not text or text.lower() in _NO_DATE:
        return None
    iso = _ISO_DATE.match(text)
    try:
        if iso:
            parsed = dt.date(int(iso.group(1)), int(iso.group(2)), int(iso.group(3)))
        elif _YEARLESS.match(text):
            raise InvalidInput(f"{what} '{raw}' has no year, so it was not stored.", field=what)
        else:
            parsed = date_parser.parse(text, dayfirst=region.upper() not in _MONTH_FIRST_REGIONS, fuzzy=False)
    except (ValueError, OverflowError, date_parser.ParserError):
        raise InvalidInput(f"{what} '{raw}' is not a date CallAhead can read.", field=what) from None
    # Every format, ISO included, passes the same range: 9999-12-31 is a placeholder, not a visit.
    if not EARLIEST_YEAR <= parsed.year <= LATEST_YEAR:
        raise InvalidInput(f"{what} '{raw}' is not a believable date (CallAhead keeps dates from "
                           f"{EARLIEST_YEAR} to {LATEST_YEAR}).", field=what)
    return parsed.date() if isinstance(parsed, dt.datetime) else parsed


def check_birthday(birthday: dt.date, raw: str, today: dt.date | None) -> dt.date:
    """A birthday that gives a plausible age on `today`: not in the future, at most 120 years ago."""
    if today is None:
        return birthday
    if birthday > today:
        raise InvalidInput(f"birthday '{raw}' is in the future.", field="birthday")
    if birthday.year < today.year - OLDEST_AGE:
        raise InvalidInput(f"birthday '{raw}' would make them older than {OLDEST_AGE}.", field="birthday")
    return birthday


def parse_money_cents(raw: str, what: str = "amount") -> int | None:
    """Whole cents from '$1,234.50', '1.234,50 €', '(12.00)', '-3'; None for a blank."""
    text = raw.strip()
    if not text:
        return None
    plain = _PLAIN_MONEY.fullmatch(text)
    if plain:  # "$1,234.50", "12.5", "300": most exports; the general reading gives the same (a test holds it)
        whole = plain.group(1).replace(",", "")
        return int(whole) * 100 + int(((plain.group(2) or "") + "00")[:2])
    return money_cents_in_any_form(text, raw, what)


def money_cents_in_any_form(text: str, raw: str, what: str = "amount") -> int:
    """The general reading of an amount: decimal comma or point, thousands marks, brackets, signs."""
    negative = text.startswith("(") and text.endswith(")") or "-" in text
    digits = _MONEY_JUNK.sub("", text).replace("(", "").replace(")", "").replace("-", "")
    if not re.search(r"\d", digits) or re.search(r"[^\d.,]", digits):
        raise InvalidInput(f"{what} '{raw}' is not an amount of money.", field=what)
    last_dot, last_comma = digits.rfind("."), digits.rfind(",")
    if last_dot >= 0 and last_comma >= 0:
        decimal = "." if last_dot > last_comma else ","
    elif last_comma >= 0:
        # "12,50" is a decimal comma; "1,250" and "1,250,000" are thousands.
        decimal = "," if digits.count(",") == 1 and len(digits) - last_comma - 1 in (1, 2) else ""
    else:
        decimal = "." if digits.count(".") == 1 else ""
    thousands = {".", ","} - {decimal}
    for mark in thousands:
        digits = digits.replace(mark, "")
    whole, _, fraction = digits.partition(decimal) if decimal else (digits, "", "")
    if not whole and not fraction or len(whole) > 12:
        raise InvalidInput(f"{what} '{raw}' is not an amount of money.", field=what)
    cents = int(whole or "0") * 100 + int((fraction + "00")[:2] or "0")
    if len(fraction) > 2 and int(fraction[2]) >= 5:
        cents += 1
    return -cents if negative else cents


def parse_count(raw: str, what: str = "count") -> int | None:
    """A whole number of orders or items ('12', '12.0', '1,204')."""
    text = raw.strip().replace(",", "").replace(" ", "")
    if not text:
        return None
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(f"{what} '{raw}' is not a whole number.", field=what) from None
    if not math.isfinite(value) or value != int(value) or abs(value) > 10**9:
        raise InvalidInput(f"{what} '{raw}' is not a whole number.", field=what)
    return int(value)


def parse_country(raw: str) -> str | None:
    """An ISO 3166 alpha-2 code from a code or a common English name; InvalidInput if unknown."""
    text = " ".join(raw.strip().split())
    if not text:
        return None
    upper = text.upper()
    if len(upper) == 2 and upper.isalpha():
        code = "GB" if upper == "UK" else upper
    else:
        code = _ALPHA3.get(upper) or COUNTRY_NAMES.get(re.sub(r"[.]", " ", text.lower()).strip()) or \
            COUNTRY_NAMES.get(" ".join(re.sub(r"[^a-zé ]", " ", text.lower()).split()))
    if not code or code not in phonenumbers.SUPPORTED_REGIONS:
        raise InvalidInput(f"country '{raw}' is not one CallAhead recognises.", field="country")
    return code


def parse_yes(raw: str) -> bool:
    return raw.strip().lower() in {"1", "yes", "y", "true", "x", "t", "oui", "ja", "sí", "si"}
