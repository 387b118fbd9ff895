"""Reading vCard 2.1, 3.0 and 4.0 files into raw contacts.

Handles what phones and mail programs really write: several cards per file, folded lines,
quoted-printable values (2.1), grouped properties with Apple's X-ABLabel, TEL entries with
TYPE parameters in every spelling, tel: URIs (4.0) and organisation-only cards.
"""

from __future__ import annotations

import quopri
import re

from core.importing.fields import Field, normalize_phone_label
from core.importing.raw import RawContact, RawPhone

_PROPERTY = re.compile(r"^(?:(?P<group>[A-Za-z0-9-]+)\.)?(?P<name>[A-Za-z0-9-]+)(?P<params>(?:;[^:]*)?):(?P<value>.*)$", re.S)
_TYPE_WORDS = {"cell", "mobile", "home", "work", "fax", "voice", "pref", "main", "iphone", "pager", "other", "text"}


def looks_like_vcard(text: str) -> bool:
    return text.lstrip("\ufeff \t\r\n")[:11].upper() == "BEGIN:VCARD"


def _unfold(text: str) -> list[tuple[int, str]]:
    """Logical lines with the physical line each starts on (RFC 6350 folding, 2.1 soft breaks)."""
    logical: list[tuple[int, str]] = []
    pending_soft_break = False
    for number, line in enumerate(text.splitlines(), start=1):
        if logical and (line[:1] in (" ", "\t") or pending_soft_break):
            start, previous = logical[-1]
            joined = previous[:-1] + line if pending_soft_break else previous + line[1:]
            logical[-1] = (start, joined)
        else:
            logical.append((number, line))
        head = logical[-1][1]
        pending_soft_break = "QUOTED-PRINTABLE" in head.split(":", 1)[0].upper() and head.endswith("=")
    return logical


def _parse_params(raw: str) -> tuple[set[str], dict[str, str]]:
    types: set[str] = set()
    params: dict[str, str] = {}
    for part in re.findall(r';((?:[^;"]|"[^"]*")*)', raw):
        key, sep, value = part.partition("=")
        if not sep:
            types.add(key.strip().lower())  # vCard 2.1: TEL;CELL;VOICE:
            continue
        key = key.strip().upper()
        value = value.strip().strip('"')
        if key == "TYPE":
            types.update(v.strip().lower() for v in value.split(",") if v.strip())
        else:
            params[key] = value
    return types, params


def _unescape(value: str) -> str:
    return re.sub(r"\\([nN,;:\\])", lambda m: "\n" if m.group(1) in "nN" else m.group(1), value)


def _components(value: str) -> list[str]:
    """Split a structured value (N, ADR, ORG) on unescaped semicolons."""
    return [_unescape(part) for part in re.split(r"(?<!\\);", value)]


def _decode(value: str, params: dict[str, str]) -> str:
    if params.get("ENCODING", "").upper() in ("QUOTED-PRINTABLE", "Q"):
        charset = params.get("CHARSET", "utf-8")
        try:
            return quopri.decodestring(value.encode("latin-1", "replace")).decode(charset, "replace")
        except LookupError:
            return quopri.decodestring(value.encode("latin-1", "replace")).decode("utf-8", "replace")
    return value


def _phone_label(types: set[str], group_label: str | None) -> str | None:
    if group_label:
        return normalize_phone_label(group_label)
    for word in ("fax", "cell", "mobile", "iphone", "pager", "home", "work", "main"):
        if word in types:
            return normalize_phone_label(word)
    unknown = sorted(t for t in types if t not in _TYPE_WORDS)
    return normalize_phone_label(unknown[0]) if unknown else None


def _tel_text(value: str) -> str:
    text = value.strip()
    if text.lower().startswith("tel:"):
        text = text[4:]
        number, _, extension = text.partition(";ext=")
        text = f"{number} ext. {extension}" if extension else number.split(";")[0]
    return text


def _birthday_text(value: str) -> str:
    """vCard dates come as 19850412, 1985-04-12, --0412 or a date-time; keep the date part."""
    text = value.strip().split("T")[0]
    if re.fullmatch(r"\d{8}", text):
        return f"{text[:4]}-{text[4:6]}-{text[6:]}"
    return text


def read_vcards(text: str) -> list[RawContact]:
    """Every card in the text, each with the line of its BEGIN:VCARD."""
    contacts: list[RawContact] = []
    current: RawContact | None = None
    properties: list[tuple[str | None, str, set[str], dict[str, str], str]] = []
    for number, line in _unfold(text):
        stripped = line.strip()
        if not stripped:
            continue
        upper = stripped.upper()
        if upper == "BEGIN:VCARD":
            if current is not None:  # a card never ended: keep what it said, note it
                current.problems.append("the card has no END:VCARD line")
                contacts.append(_build(current, properties))
            current, properties = RawContact(line=number), []
            continue
        if current is None:
            continue
        if upper == "END:VCARD":
            contacts.append(_build(current, properties))
            current, properties = None, []
            continue
        match = _PROPERTY.match(stripped)
        if not match:
            current.problems.append(f"line {number} is not a vCard property and was ignored")
            continue
        types, params = _parse_params(match.group("params"))
        value = _decode(match.group("value"), params)
        properties.append((match.group("group"), match.group("name").upper(), types, params, value))
    if current is not None:
        current.problems.append("the card has no END:VCARD line")
        contacts.append(_build(current, properties))
    return contacts


def _build(contact: RawContact, properties: list[tuple[str | None, str, set[str], dict[str, str], str]]) -> RawContact:
    group_labels = {group.lower(): _unescape(value) for group, name, _t, _p, value in properties
                    if group and name == "X-ABLABEL"}
    formatted = given = family = middle = company = None
    for group, name, types, params, value in properties:
        if name == "FN":
            formatted = _unescape(value)
        elif name == "N":
            parts = _components(value) + [""] * 5
            family, given, middle = parts[0], parts[1], parts[2]
        elif name == "ORG":
            company = _components(value)[0]
        elif name == "TEL":
            label = _phone_label(types, group_labels.get(group.lower()) if group else None)
            contact.phones.append(RawPhone(_tel_text(_unescape(value)), label))
        elif name == "EMAIL":
            contact.emails.append(_unescape(value).strip())
        elif name == "ADR":
            parts = _components(value) + [""] * 7
            _po_box, extended, street, city, region, postal, country = parts[:7]
            contact.add(Field.ADDRESS, street)
            contact.add(Field.ADDRESS_2, extended)
            contact.add(Field.CITY, city)
            contact.add(Field.REGION, region)
            contact.add(Field.POSTAL_CODE, postal)
            contact.add(Field.COUNTRY, country)
        elif name == "NOTE":
            contact.add(Field.NOTES, _unescape(value))
        elif name == "CATEGORIES":
            contact.add(Field.TAGS, _unescape(value))
        elif name == "BDAY":
            contact.add(Field.BIRTHDAY, _birthday_text(value))
    person = " ".join(p for p in (given, family) if p and p.strip())
    if person:
        contact.add(Field.FIRST_NAME, given or "")
        contact.add(Field.MIDDLE_NAME, middle or "")
        contact.add(Field.LAST_NAME, family or "")
    elif formatted and (not company or formatted.strip() != company.strip()):
        contact.add(Field.NAME, formatted)  # an organisation-only card repeats the company in FN
    if company:
        contact.add(Field.COMPANY, company)
    return contact
