"""Which column of a file means what: the suggested mapping, the owner's changes, rows -> records.

The mapping is a value the wizard shows and edits: `suggest_mapping` recognises the headers,
`ColumnMap.changed` applies the owner's choices (by header or column number), and
`row_to_contact` turns one CSV row into a raw contact for cleaning.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from core.errors import InvalidInput
from core.importing.fields import (
    IDENTITY_FIELDS,
    PHONE_FIELD_LABELS,
    PURCHASE_CUSTOMER_FIELDS,
    PURCHASE_PRODUCT_FIELDS,
    RECORD_CUSTOMER_FIELDS,
    Field,
    PurchaseField,
    normalize_phone_label,
)
from core.importing.formats import (
    FIELDS_FOR_KIND,
    ImportKind,
    KnownFormat,
    detect_format,
    field_for_header,
    header_key,
)
from core.importing.raw import RawContact, RawPhone
from core.importing.reading import ImportFileError, ImportSource, SourceKind, SourceRow, cell_value

_LABELLED_NUMBER = re.compile(r"(?i)\b(phone|tel|mobile|cell|home|work|business|office|fax|other|main|pager)\s*:\s*")
_NUMBER_SEPARATORS = re.compile(r"\s*(?::::|;|,|\n|\r| / )\s*")
_EMAIL_SEPARATORS = re.compile(r"(?::::|[;,\s])+")
_TRAILING_LABEL = re.compile(r"^(?P<number>.*?)\s*\((?P<label>[^()]*[A-Za-z][^()]*)\)\s*$")
_ONE_PLAIN_NUMBER = re.compile(r"[\d ()+.-]+")
_EXTENSION_WORDS = re.compile(r"(?i)^\s*(ext|x\b|extension|#)")


class NoUsableColumns(ImportFileError):
    """No column says who a record is (customers) or which customer and product (purchases)."""


@dataclass(frozen=True)
class ColumnMapping:
    index: int  # 0-based position in the row
    header: str
    field: StrEnum  # a Field for customer files, a PurchaseField for purchase files
    recognised: bool  # chosen from the header by CallAhead (False: unknown, or set by the owner)

    @property
    def number(self) -> int:
        """The column's number as the owner counts (1 = first)."""
        return self.index + 1


@dataclass(frozen=True)
class ColumnMap:
    kind: ImportKind
    known_format: KnownFormat | None
    columns: tuple[ColumnMapping, ...]

    @property
    def format_key(self) -> str:
        return self.known_format.key if self.known_format else "csv"

    @property
    def format_label(self) -> str:
        return self.known_format.label if self.known_format else "CSV with its own column names"

    def fields_in_use(self) -> set[StrEnum]:
        return {c.field for c in self.columns}

    def columns_for(self, meaning: StrEnum) -> list[ColumnMapping]:
        return [c for c in self.columns if c.field == meaning]

    def changed(self, changes: Mapping[str | int, str | StrEnum]) -> "ColumnMap":
        """A copy with the owner's choices: keys are header texts or 1-based column numbers."""
        field_type = FIELDS_FOR_KIND[self.kind]
        columns = list(self.columns)
        for column_ref, meaning_text in changes.items():
            meaning = _parse_field(field_type, meaning_text)
            for position in _find_columns(columns, column_ref):
                columns[position] = replace(columns[position], field=meaning, recognised=False)
        return replace(self, columns=tuple(columns))

    def require_usable(self, source_name: str) -> None:
        """Raise NoUsableColumns when no row could ever be imported with this mapping."""
        in_use = self.fields_in_use()
        headers = ", ".join(c.header or f"column {c.number}" for c in self.columns) or "none"
        if self.kind is ImportKind.CUSTOMERS and not in_use & IDENTITY_FIELDS:
            raise NoUsableColumns(
                f"{source_name}: no column looks like a name, company, phone or e-mail (the columns are: {headers}). "
                "Choose what the columns mean (on the command line: --map COLUMN=FIELD); nothing was imported.")
        if self.kind is ImportKind.PURCHASES:
            if not in_use & PURCHASE_CUSTOMER_FIELDS:
                raise NoUsableColumns(
                    f"{source_name}: no column names the customer (POS id, e-mail, phone or name); the columns are: "
                    f"{headers}. Map one with --map COLUMN=FIELD; nothing was imported.")
            if not in_use & PURCHASE_PRODUCT_FIELDS:
                raise NoUsableColumns(f"{source_name}: no column names the product or SKU (the columns are: {headers}). "
                                      "Map one with --map COLUMN=FIELD; nothing was imported.")
            if PurchaseField.DATE not in in_use:
                raise NoUsableColumns(f"{source_name}: no column holds the purchase date (the columns are: {headers}). "
                                      "Map one with --map COLUMN=date; nothing was imported.")
        if self.kind in (ImportKind.QUOTES, ImportKind.REWARDS):
            _require_record_columns(self.kind, in_use, source_name, headers)


def _require_record_columns(kind: ImportKind, in_use: set, source_name: str, headers: str) -> None:
    """A quotes file needs a customer, an amount and a sending date; a cards file a customer and stamps."""
    if not in_use & RECORD_CUSTOMER_FIELDS:
        raise NoUsableColumns(f"{source_name}: no column names the customer (POS id, e-mail, phone or name); the "
                              f"columns are: {headers}. Map one with --map COLUMN=FIELD; nothing was imported.")
    needed = ("amount", "sent") if kind is ImportKind.QUOTES else ("stamps",)
    for meaning in needed:
        if meaning not in in_use:
            raise NoUsableColumns(f"{source_name}: no column holds the {meaning.replace('_', ' ')} (the columns are: "
                                  f"{headers}). Map one with --map COLUMN={meaning}; nothing was imported.")


def _parse_field(field_type: type[StrEnum], text: str | StrEnum) -> StrEnum:
    try:
        return field_type(str(text).strip().lower().replace("-", "_").replace(" ", "_"))
    except ValueError:
        choices = ", ".join(f.value for f in field_type)
        raise InvalidInput(f"'{text}' is not a field CallAhead knows. Choose one of: {choices}.", field="map") from None


def _find_columns(columns: list[ColumnMapping], ref: str | int) -> list[int]:
    text = str(ref).strip()
    if isinstance(ref, int) or text.isdigit():
        number = int(text)
        if 1 <= number <= len(columns):
            return [number - 1]
        raise InvalidInput(f"There is no column {number}: the file has {len(columns)} columns.", field="map")
    wanted = header_key(text)
    found = [i for i, c in enumerate(columns) if c.header.strip().lower() == text.lower()]
    found = found or [i for i, c in enumerate(columns) if header_key(c.header) == wanted and wanted]
    if not found:
        names = ", ".join(repr(c.header) for c in columns if c.header)
        raise InvalidInput(f"There is no column '{text}' in the file. Its columns are: {names}.", field="map")
    return found


def parse_map_options(options: list[str] | None) -> dict[str, str]:
    """The command line's repeated COLUMN=FIELD options as a changes mapping."""
    changes: dict[str, str] = {}
    for option in options or []:
        column, sep, meaning = option.rpartition("=")
        if not sep or not column.strip() or not meaning.strip():
            raise InvalidInput(f"--map takes COLUMN=FIELD (for example --map 'Cell=mobile'), not '{option}'.",
                               field="map")
        changes[column.strip()] = meaning.strip()
    return changes


def suggest_mapping(source: ImportSource, kind: ImportKind = ImportKind.CUSTOMERS) -> ColumnMap:
    """What CallAhead reads each column as, from its header (vCard files need no mapping)."""
    if source.kind is SourceKind.VCARD:
        return ColumnMap(kind=kind, known_format=None, columns=())
    known = detect_format(source.headers, kind)
    ignore = FIELDS_FOR_KIND[kind]("ignore")
    columns = []
    for index, header in enumerate(source.headers):
        meaning = field_for_header(header, kind, known)
        columns.append(ColumnMapping(index, header, meaning or ignore, meaning is not None))
    return ColumnMap(kind=kind, known_format=known, columns=tuple(columns))


def _phone_label_columns(column_map: ColumnMap) -> dict[int, int]:
    """Pair each label column ("Phone 1 - Label") with its number column ("Phone 1 - Value")."""
    pairs: dict[int, int] = {}
    phones = [c for c in column_map.columns if c.field == Field.PHONE]
    for label_column in column_map.columns_for(Field.PHONE_LABEL):
        digits = re.findall(r"\d+", label_column.header)
        match = next((p for p in phones if digits and re.findall(r"\d+", p.header) == digits), None)
        match = match or next((p for p in phones if p.index > label_column.index and p.index not in pairs), None)
        if match is not None:
            pairs[match.index] = label_column.index
    return pairs


def split_phone_cell(text: str, default_label: str | None) -> list[RawPhone]:
    """One cell may hold several numbers: 'Phone: 503... Mobile: 971...' or Google's '503... ::: 971...'."""
    if _ONE_PLAIN_NUMBER.fullmatch(text):
        return [RawPhone(text, default_label)]  # the usual cell, without the splitting below
    phones: list[RawPhone] = []
    parts = _LABELLED_NUMBER.split(text)
    segments: list[tuple[str | None, str]] = [(None, parts[0])]
    segments += [(parts[i], parts[i + 1]) for i in range(1, len(parts) - 1, 2)]
    for label, segment in segments:
        for number in _NUMBER_SEPARATORS.split(segment):
            number = number.strip()
            own_label = normalize_phone_label(label) if label else default_label
            trailing = _TRAILING_LABEL.match(number)
            if trailing and not _EXTENSION_WORDS.match(trailing.group("label")):
                # CallAhead's own export writes "+15035550100 (mobile)"
                number, own_label = trailing.group("number").strip(), normalize_phone_label(trailing.group("label"))
            if number:
                phones.append(RawPhone(number, own_label))
    return phones


def _stripped(cell: str) -> str:
    """cell_value, quicker for the usual cell: only one starting with an apostrophe needs unforcing."""
    value = cell.strip()
    return cell_value(cell) if value[:1] == "'" else value


def _column_plan(column_map: ColumnMap) -> tuple[tuple[int, Field], ...]:
    return tuple((column.index, column.field) for column in column_map.columns
                 if column.field not in (Field.IGNORE, Field.PHONE_LABEL))


def row_to_contact(row: SourceRow, column_map: ColumnMap, label_columns: dict[int, int] | None = None,
                   columns: tuple[tuple[int, Field], ...] | None = None) -> RawContact:
    """A CSV row as a raw contact, using the mapping."""
    contact = RawContact(line=row.line)
    contact.rejection = row.problem
    cells = row.cells
    label_columns = _phone_label_columns(column_map) if label_columns is None else label_columns
    columns = _column_plan(column_map) if columns is None else columns
    values = contact.values
    width = len(cells)
    for index, meaning in columns:
        if index >= width:
            continue
        value = _stripped(cells[index])
        if not value:
            continue
        if meaning in PHONE_FIELD_LABELS:
            label = PHONE_FIELD_LABELS[meaning]
            if index in label_columns and label_columns[index] < width:
                label = normalize_phone_label(cells[label_columns[index]]) or label
            contact.phones.extend(split_phone_cell(value, label))
        elif meaning == Field.EMAIL:
            contact.emails.extend(e for e in _EMAIL_SEPARATORS.split(value) if e)
        else:
            found = values.get(meaning)
            if found is None:
                values[meaning] = [value]
            else:
                found.append(value)
    if width > len(column_map.columns) and any(c.strip() for c in cells[len(column_map.columns):]):
        contact.problems.append(f"the row has {width} cells but the header has {len(column_map.columns)}; "
                                "the extra cells were left out")
    return contact


def source_contacts(source: ImportSource, column_map: ColumnMap) -> list[RawContact]:
    """Every record of the file as a raw contact (vCard cards as they were parsed)."""
    if source.kind is SourceKind.VCARD:
        return list(source.contacts)
    labels = _phone_label_columns(column_map)
    columns = _column_plan(column_map)
    return [row_to_contact(row, column_map, labels, columns) for row in source.rows]
