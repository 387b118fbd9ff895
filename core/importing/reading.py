"""Turning a file's bytes into rows: encoding, binary refusal, delimiter, CSV and vCard records.

Decoding tries, in order: the encoding the owner chose, a byte-order mark (UTF-8, UTF-16),
UTF-16 without a mark (the NUL pattern gives it away), UTF-8 (a few damaged lines flagged, never
a switch to another encoding), then the one-byte code pages spreadsheets write, as
core.importing.encodings scores them. Every row keeps the physical line it starts on, so
problems can name it.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from core.errors import CallAheadError
from core.importing.encodings import decode_as, decode_utf8_with_bad_lines, guess_legacy_encoding
from core.importing.formats import ImportKind, recognised_count
from core.importing.raw import RawContact
from core.importing.speed import cyclic_gc_paused
from core.importing.vcard import looks_like_vcard, read_vcards

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_HEADER_SEARCH_ROWS = 10
_SNIFF_CHARS = 64 * 1024

# Formats an owner might pick by mistake, named so the message can say what to do instead.
_MAGIC = (
    (b"PK\x03\x04", "an Excel or Numbers workbook (or a zip archive)"),
    (b"\xd0\xcf\x11\xe0", "an old-style Excel workbook (.xls)"),
    (b"%PDF", "a PDF document"),
    (b"\x89PNG", "a PNG picture"),
    (b"\xff\xd8\xff", "a JPEG picture"),
    (b"GIF8", "a GIF picture"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x1f\x8b", "a gzip archive"),
)


class ImportFileError(CallAheadError):
    """The file cannot be imported at all; nothing was changed."""


class EmptyImportFile(ImportFileError):
    pass


class NotATextFile(ImportFileError):
    pass


class SourceKind(StrEnum):
    CSV = "csv"
    VCARD = "vcard"


@dataclass(frozen=True)
class DecodedText:
    text: str
    encoding: str  # "UTF-8", "UTF-8 with BOM", "UTF-16LE", "UTF-16BE", "Windows-1252", "Mac Roman"...
    line_problems: tuple[tuple[int, str], ...] = ()  # (line, why): bad bytes, a doubtful guess


@dataclass(frozen=True)
class SourceRow:
    line: int  # the physical line where the record starts (1 = the file's first line)
    cells: tuple[str, ...]
    problem: str | None = None  # a reason the row cannot be trusted at all (unclosed quote)


@dataclass(frozen=True)
class ImportSource:
    """A file read and split into records, ready to be mapped and planned."""

    name: str
    kind: SourceKind
    encoding: str
    delimiter: str | None  # None for vCard
    headers: tuple[str, ...]
    header_line: int | None
    rows: tuple[SourceRow, ...] = ()  # CSV records, blank rows left out
    contacts: tuple[RawContact, ...] = ()  # vCard cards
    blank_rows: int = 0
    line_problems: tuple[tuple[int, str], ...] = ()  # what decoding noticed, by physical line

    @property
    def record_count(self) -> int:
        return len(self.rows) if self.kind is SourceKind.CSV else len(self.contacts)

    @property
    def delimiter_name(self) -> str | None:
        return DELIMITER_NAMES.get(self.delimiter) if self.delimiter else None


def _utf16_without_bom(data: bytes) -> str | None:
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs < 2:
        return None
    even_nuls = sum(1 for i in range(0, pairs * 2, 2) if sample[i] == 0)
    odd_nuls = sum(1 for i in range(1, pairs * 2, 2) if sample[i] == 0)
    if odd_nuls >= 0.4 * pairs and even_nuls <= 0.05 * pairs:
        return "utf-16-le"
    if even_nuls >= 0.4 * pairs and odd_nuls <= 0.05 * pairs:
        return "utf-16-be"
    return None


def decode_import_bytes(data: bytes, name: str = "the file", encoding: str | None = None) -> DecodedText:
    """The file's text and the encoding it was in; NotATextFile / EmptyImportFile otherwise."""
    if not data.strip(b" \t\r\n\x00\x1a\xef\xbb\xbf\xff\xfe"):
        raise EmptyImportFile(f"{name} is empty: there is nothing to import.")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise NotATextFile(f"{name} is {what}, not a CSV or vCard file. "
                               "Save or export it as CSV (comma-separated values) and import that.")
    if encoding is not None:
        guess = decode_as(_without_bom(data), _known_codec(encoding))
        return _checked(DecodedText(guess.text, guess.label, guess.line_problems), name)
    if data.startswith(codecs.BOM_UTF8):
        guess = decode_utf8_with_bad_lines(data[3:]) or decode_as(data[3:], "utf-8")
        return _checked(DecodedText(guess.text, "UTF-8 with BOM", guess.line_problems), name)
    for bom, codec, label in ((codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16LE"),
                              (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16BE")):
        if data.startswith(bom):
            return _checked(_decode_utf16(data[2:], codec, label, name), name)
    if (utf16 := _utf16_without_bom(data)) is not None:
        return _checked(_decode_utf16(data, utf16, utf16.upper().replace("UTF-16-", "UTF-16"), name), name)
    if b"\x00" in data:
        raise NotATextFile(f"{name} is a binary file, not a CSV or vCard file.")
    guess = decode_utf8_with_bad_lines(data) or guess_legacy_encoding(data)
    return _checked(DecodedText(guess.text, guess.label, guess.line_problems), name)


def _without_bom(data: bytes) -> bytes:
    return data[3:] if data.startswith(codecs.BOM_UTF8) else data


def _known_codec(encoding: str) -> str:
    try:
        return codecs.lookup(encoding.strip()).name
    except LookupError:
        raise ImportFileError(f"'{encoding}' is not an encoding CallAhead knows (for example utf-8, cp1250, cp1251, "
                              "mac-roman, cp1252).") from None


def _decode_utf16(payload: bytes, codec: str, label: str, name: str) -> DecodedText:
    try:
        return DecodedText(payload.decode(codec), label)
    except UnicodeDecodeError:
        raise NotATextFile(f"{name} is not text in any encoding CallAhead reads (UTF-8, UTF-16 or a Windows or "
                           "Mac code page). Save it as 'CSV UTF-8' and try again.") from None


def _checked(decoded: DecodedText, name: str) -> DecodedText:
    _refuse_binary_text(decoded.text, name)
    text = decoded.text.lstrip("\ufeff").rstrip("\x1a")
    if not text.strip():
        raise EmptyImportFile(f"{name} is empty: there is nothing to import.")
    return DecodedText(text, decoded.encoding, decoded.line_problems)


def _refuse_binary_text(text: str, name: str) -> None:
    sample = text[:_SNIFF_CHARS]
    controls = sum(1 for ch in sample if unicodedata.category(ch) == "Cc" and ch not in "\t\n\r\f\v\x1a")
    if controls > max(2, len(sample) // 200):
        raise NotATextFile(f"{name} is a binary file, not a CSV or vCard file.")


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon or tab: csv.Sniffer first, checked; else the one splitting the header most."""
    sample = "\n".join(text[:_SNIFF_CHARS].splitlines()[:50])
    first_line = next((line for line in sample.splitlines() if line.strip()), "")
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None

    def width(delimiter: str) -> int:
        return len(next(csv.reader([first_line], delimiter=delimiter), []))

    widths = {d: width(d) for d in DELIMITERS}
    if sniffed in widths and widths[sniffed] > 1:
        return sniffed
    best = max(DELIMITERS, key=lambda d: (widths[d], -DELIMITERS.index(d)))
    return best if widths[best] > 1 else ","


_FORMULA_MARKS = ("=", "+", "-", "@", "\t", "\r", "'")


def unforce_text(value: str) -> str:
    """Undo a spreadsheet's text-forcing apostrophe ('+1503..., '0042, '=x), the mark CallAhead's export adds."""
    if len(value) > 1 and value[0] == "'" and (value[1] in _FORMULA_MARKS or value[1].isdigit()):
        return value[1:]
    return value


def cell_value(cell: str) -> str:
    """A cell as it will be stored: without surrounding whitespace or a text-forcing apostrophe.

    The apostrophe comes off before the trailing whitespace, so an exported '\r reads as empty, not as '."""
    return unforce_text(cell.lstrip()).strip()


def _is_blank(cells: list[str]) -> bool:
    return all(not cell_value(cell) for cell in cells)


def _read_csv_rows(text: str, delimiter: str, first_line: int) -> list[SourceRow]:
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[SourceRow] = []
    while True:
        start = reader.line_num + first_line
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as error:
            raise ImportFileError(f"Line {start} cannot be read as CSV ({error}); nothing was imported.") from None
        rows.append(SourceRow(start, tuple(cells)))
    if rows and text.count('"') % 2 == 1:
        last = rows[-1]
        if reader.line_num + first_line - 1 > last.line:
            rows[-1] = SourceRow(last.line, last.cells, f"a quote opened on line {last.line} is never closed, "
                                 "so the rest of the file ran into one value")
    return rows


def read_csv_text(text: str, name: str, encoding: str, kind: ImportKind = ImportKind.CUSTOMERS,
                  line_problems: tuple[tuple[int, str], ...] = ()) -> ImportSource:
    first_line = 1
    separator_hint = re.match(r'^"?sep=(.)"?\r?\n', text, re.IGNORECASE)  # Excel's "sep=;" first line
    if separator_hint:
        delimiter = separator_hint.group(1)
        text = text[separator_hint.end():]
        first_line = 2
    else:
        delimiter = sniff_delimiter(text)
    rows = _read_csv_rows(text, delimiter, first_line)
    filled = [row for row in rows if not _is_blank(list(row.cells))]
    if not filled:
        raise EmptyImportFile(f"{name} has no rows: there is nothing to import.")
    # Some reports put a title and a date above the header: take the line that reads most like one.
    candidates = filled[:_HEADER_SEARCH_ROWS]
    scores = [recognised_count(row.cells, kind) for row in candidates]
    header = candidates[scores.index(max(scores))] if max(scores) > 0 else candidates[0]
    data_rows = [row for row in rows if row.line > header.line]
    records = tuple(row for row in data_rows if not _is_blank(list(row.cells)))
    if not records:
        raise EmptyImportFile(f"{name} has a header line but no rows below it: there is nothing to import.")
    headers = tuple(" ".join(h.replace("\ufeff", "").split()) for h in header.cells)
    return ImportSource(name=name, kind=SourceKind.CSV, encoding=encoding, delimiter=delimiter, headers=headers,
                        header_line=header.line, rows=records, blank_rows=len(data_rows) - len(records),
                        line_problems=line_problems)


def read_import_bytes(data: bytes, name: str = "the file", kind: ImportKind = ImportKind.CUSTOMERS, *,
                      encoding: str | None = None) -> ImportSource:
    """Read CSV or vCard content; raises an ImportFileError subclass when nothing can be imported.

    `encoding` is the owner's choice (a Python codec name); without it the encoding is detected."""
    with cyclic_gc_paused():
        return _read_import_bytes(data, name, kind, encoding)


def _read_import_bytes(data: bytes, name: str, kind: ImportKind, encoding: str | None) -> ImportSource:
    decoded = decode_import_bytes(data, name, encoding)
    if looks_like_vcard(decoded.text):
        if kind is not ImportKind.CUSTOMERS:
            raise ImportFileError(f"{name} is a vCard file: it holds contacts, not purchases.")
        contacts = tuple(read_vcards(decoded.text))
        if all(c.is_blank() for c in contacts):
            raise EmptyImportFile(f"{name} is a vCard file with no contact details in it.")
        return ImportSource(name=name, kind=SourceKind.VCARD, encoding=decoded.encoding, delimiter=None,
                            headers=(), header_line=None, contacts=contacts, line_problems=decoded.line_problems)
    return read_csv_text(decoded.text, name, decoded.encoding, kind, decoded.line_problems)


def read_import_file(path: str | Path, kind: ImportKind = ImportKind.CUSTOMERS, *,
                     encoding: str | None = None) -> ImportSource:
    """Read an import file from disk (see read_import_bytes)."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise ImportFileError(f"{path} is a folder, not a file.") from None
    except FileNotFoundError:
        raise ImportFileError(f"{path} does not exist.") from None
    except OSError as error:
        raise ImportFileError(f"{path} cannot be read: {error.strerror or error}.") from None
    return read_import_bytes(data, path.name, kind, encoding=encoding)
