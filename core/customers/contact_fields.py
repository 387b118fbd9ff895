"""Cleaning contact details the one way the whole app uses: phones, e-mails, names, tags.

Import, the customer editor and the command line all call these, so a number typed by hand
and the same number imported from a point-of-sale export end up identical (E.164).

The one rule for a phone number: only a number `phonenumbers` calls valid is stored (in E.164).
One with the right number of digits that no network would route ("555-0114": no area code;
"+1 555 555 0114": no such area code) raises `PhoneNotValid`, so every caller can keep what was
typed visibly (the import puts it in the notes) instead of storing a number nobody can dial.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import phonenumbers

from core.errors import InvalidInput

_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")
_EXTENSION = re.compile(r"\s*(?:ext\.?|extension|x|#)\s*(\d{1,6})\s*$", re.IGNORECASE)
# A plainly written North American number: digits with spaces, dots, dashes or brackets, no letters.
_PLAIN_NANP = re.compile(r"(\+)?[\d\s.()-]+")
_NOT_DIGITS = re.compile(r"\D")
_NANP_REGIONS = frozenset({"US", "CA"})  # country code 1, national prefix 1, no transform rule


class PhoneNotValid(InvalidInput):
    """A number with a plausible count of digits that is still not a real number (no area code...)."""


@dataclass(frozen=True)
class Phone:
    e164: str
    extension: str | None = None


def normalize_phone(raw: str | None, region: str = "US", field: str = "phone") -> Phone | None:
    """A phone as E.164 (+15035551234), or None for a blank value.

    Accepts what exports really contain: spreadsheet text-forcing apostrophes ('+1503...),
    spaces, dots, brackets, a leading 00 or +country code, and an extension ("x12", "ext. 12").
    Raises InvalidInput naming the value when it cannot be a phone number.
    """
    if raw is None:
        return None
    text = str(raw).strip().lstrip("'").strip()
    if not text:
        return None
    extension = None
    match = _EXTENSION.search(text)
    if match:
        extension = match.group(1)
        text = text[: match.start()]
    if text.startswith("00"):
        text = "+" + text[2:]
    e164 = _plain_nanp_e164(text, region)
    if e164 is not None:
        if not _nanp_exchange_is_valid(e164[2:9]):
            raise PhoneNotValid(f"'{raw}' is not a valid phone number (check the area code).", field=field)
        return Phone(e164, extension)
    try:
        parsed = phonenumbers.parse(text, region.upper() if region else None)
    except phonenumbers.NumberParseException:
        raise InvalidInput(f"'{raw}' is not a phone number.", field=field) from None
    if not phonenumbers.is_possible_number(parsed):
        raise InvalidInput(f"'{raw}' does not have the right number of digits for a phone number.", field=field)
    if not phonenumbers.is_valid_number(parsed):
        raise PhoneNotValid(_why_not_valid(raw, parsed, text), field=field)
    if parsed.extension and not extension:
        extension = parsed.extension
    return Phone(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164), extension)


def _why_not_valid(raw: str, parsed: phonenumbers.PhoneNumber, text: str) -> str:
    written_with_country = text.lstrip().startswith("+")
    if not written_with_country and len(str(parsed.national_number)) <= 8 and parsed.country_code == 1:
        return f"'{raw}' has no area code, so it cannot be dialled."
    return f"'{raw}' is not a valid phone number (check the area code)."


@lru_cache(maxsize=65536)
def _nanp_exchange_is_valid(first_seven: str) -> bool:
    """Whether +1 numbers starting with these seven digits are valid, asked once per area code and exchange.

    The North American plan assigns numbers by area code and exchange; phonenumbers' patterns for
    +1 do not depend on the last three digits (a property test holds the two together), and asking
    the library for every number of a 100,000-row import would cost seconds.
    """
    number = phonenumbers.PhoneNumber(country_code=1, national_number=int(first_seven + "000"))
    return phonenumbers.is_valid_number(number)


def _plain_nanp_e164(text: str, region: str | None) -> str | None:
    """The E.164 form of a plainly written +1 number, or None to let phonenumbers decide.

    Most numbers in a North American shop's export are this shape, and parsing each one with
    phonenumbers is most of an import's time. For exactly these shapes phonenumbers gives the same
    answer (a property test holds the two together): ten digits starting 2-9, or those ten after a
    1 or +1.
    """
    match = _PLAIN_NANP.fullmatch(text)
    if match is None:
        return None
    digits = _NOT_DIGITS.sub("", text)
    plus = match.group(1) is not None
    if len(digits) == 11 and digits[0] == "1" and digits[1] in "23456789":
        national = digits[1:]
    elif len(digits) == 10 and not plus and digits[0] in "23456789":
        national = digits
    else:
        return None
    if not plus and (region or "").upper() not in _NANP_REGIONS:
        return None
    return "+1" + national


def display_phone(e164: str | None, region: str = "US") -> str:
    """How a stored number is shown: national format at home, international abroad."""
    if not e164:
        return ""
    try:
        parsed = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    home = phonenumbers.region_code_for_number(parsed) == (region or "").upper()
    style = phonenumbers.PhoneNumberFormat.NATIONAL if home else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    return phonenumbers.format_number(parsed, style)


def tel_uri(e164: str | None) -> str | None:
    return f"tel:{e164}" if e164 else None


def normalize_email(raw: str | None, field: str = "email") -> str | None:
    """Trimmed and lower-cased, or None when blank; InvalidInput when it cannot be an address."""
    if raw is None:
        return None
    text = str(raw).strip().strip("<>").strip()
    if text.lower().startswith("mailto:"):
        text = text[7:]
    if not text:
        return None
    text = text.lower()
    if len(text) > 254 or not _EMAIL.match(text):
        raise InvalidInput(f"'{raw}' is not a valid e-mail address.", field=field)
    return text


def clean_name(raw: str | None) -> str | None:
    """Trimmed, inner runs of spaces collapsed, accents and case kept; None when blank."""
    if raw is None:
        return None
    text = " ".join(str(raw).split())
    return text or None


def clean_tags(raw: str | list[str] | None) -> str | None:
    """Tags stored as 'a,b,c': lower case, de-duplicated, order kept; None when there are none."""
    if raw is None:
        return None
    parts = raw if isinstance(raw, list) else re.split(r"[,;|]", str(raw))
    seen: list[str] = []
    for part in parts:
        tag = " ".join(str(part).split()).lower()
        if tag and tag not in seen:
            seen.append(tag)
    return ",".join(seen) or None


def display_name(first: str | None, last: str | None, company: str | None, full: str | None = None) -> str | None:
    """The name a customer is listed under: a person's name, else the company."""
    person = clean_name(full) or clean_name(" ".join(p for p in (first, last) if p))
    return person or clean_name(company)
