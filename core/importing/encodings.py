"""Which encoding a text file from a spreadsheet is in, when it does not say.

UTF-8 is recognised by its own rules: a file whose non-ASCII bytes are mostly valid UTF-8 is
UTF-8, and the few lines with bad bytes are read with a replacement mark and flagged with their
line — never a silent switch to another encoding that would garble every other line.

A file with no valid UTF-8 at all was written by an older program in a one-byte code page, and
the bytes alone do not say which. Excel writes the code page of the Windows it runs on: cp1252
in the US and Western Europe, cp1250 in Central Europe ("Łódź"), cp1251 for Cyrillic, cp1254 for
Turkish; Excel for Mac writes Mac Roman with CR-only line ends. Each candidate's text is scored by
how its words read: letters of one script, capitals only at the start of a word, no symbols like
"³" or "£" inside words, not every letter of a Latin word accented. The best reading wins; ties go
to the system's own code page, then cp1252. A guess that still reads badly, or that another code
page reads as well with different letters, is flagged, and the owner can choose (`--encoding`, or
the wizard's encoding box with its live preview).
"""

from __future__ import annotations

import codecs
import locale
import re
import unicodedata
from dataclasses import dataclass

# Labels the owner sees, by Python codec name; the order is the tie-break after the system's code page.
LEGACY_ENCODINGS: dict[str, str] = {
    "cp1252": "Windows-1252",
    "mac_roman": "Mac Roman",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "cp1254": "Windows-1254 (Turkish)",
}
# Every encoding the owner may choose, with its label.
CHOOSABLE_ENCODINGS: dict[str, str] = {"utf-8": "UTF-8", "utf-16": "UTF-16", **LEGACY_ENCODINGS}
_WORD = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class EncodingGuess:
    codec: str
    label: str
    text: str
    line_problems: tuple[tuple[int, str], ...] = ()  # (line, why) for lines the owner should check


def system_code_page() -> str | None:
    """The one-byte code page this system's programs write (None where it is UTF-8)."""
    name = locale.getpreferredencoding(False)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    return None if codec in ("utf-8", "ascii") or codec.startswith("utf") else codec


def encoding_label(codec: str) -> str:
    name = codecs.lookup(codec).name
    known = {codecs.lookup(c).name: label for c, label in CHOOSABLE_ENCODINGS.items()}
    return known.get(name, name)


def _line_breaks(data: bytes) -> bytes:
    return b"\r" if b"\r" in data and b"\n" not in data else b"\n"


def split_lines(data: bytes) -> list[bytes]:
    """The file's physical lines, each with its line end (CR-only files too)."""
    return data.splitlines(keepends=True) if _line_breaks(data) == b"\r" else data.split(b"\n")


def decode_utf8_with_bad_lines(data: bytes) -> EncodingGuess | None:
    """UTF-8 when the file reads as UTF-8 apart from a few lines; None when it is not UTF-8 at all."""
    lines = split_lines(data)
    joiner = b"" if _line_breaks(data) == b"\r" else b"\n"
    good_non_ascii = bad = 0
    decoded: list[str] = []
    problems: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            bad += 1
            text = line.decode("utf-8", errors="replace")
            problems.append((number, "bytes that are not UTF-8 were read as \ufffd: check this line's text"))
        else:
            good_non_ascii += not line.isascii()
        decoded.append(text)
    text = joiner.decode().join(decoded)
    if bad == 0:
        return EncodingGuess("utf-8", "UTF-8", text)
    # Valid multi-byte letters elsewhere say the file is UTF-8 and these few lines were damaged.
    if good_non_ascii == 0 or bad > good_non_ascii:
        return None
    return EncodingGuess("utf-8", "UTF-8", text, tuple(problems))


def _word_score(word: str) -> int:
    """+1 for a word that reads like a word, -1 (or worse) for one that shows a wrong code page."""
    if word.isascii():
        return 0
    score = 0
    for token in re.split(r"[\s,;.:'\"()/-]+", word):
        if not token or token.isascii():
            continue
        letters = [ch for ch in token if ch.isalpha()]
        # Quotes and dashes around a word are punctuation; "³" or "£" inside one is a wrong code page.
        symbols = [ch for ch in token if not ch.isascii() and not ch.isalpha()
                   and not unicodedata.category(ch).startswith(("P", "Z"))]
        if symbols and letters:
            score -= 2  # "Wrocław" read as "Wroc³aw", "Łódź" as "£ódŸ"
            continue
        if not letters:
            continue
        scripts = {unicodedata.name(ch, "?").split()[0] for ch in letters if not ch.isascii()}
        ascii_letters = sum(ch.isascii() for ch in letters)
        if "CYRILLIC" in scripts and ascii_letters:
            score -= 1  # Cyrillic mixed with Latin letters in one word
        elif len(scripts) > 1:
            score -= 1
        elif any(ch.isupper() and not ch.isascii() for ch in token[1:]) and any(ch.islower() for ch in token):
            score -= 1  # "MŸller": a capital inside a lower-case word
        elif "LATIN" in scripts and len(letters) > 2 and ascii_letters == 0:
            score -= 1  # "Èâàíîâ": every letter accented is Cyrillic read as Latin
        else:
            score += 1
    return score


def _reading_score(text: str) -> tuple[int, int]:
    """(score, words that read badly) over the words with non-ASCII letters."""
    total = bad = 0
    for word in _WORD.findall(text):
        score = _word_score(word)
        total += score
        bad += score < 0
    return total, bad


def guess_legacy_encoding(data: bytes) -> EncodingGuess:
    """The one-byte code page that reads the file best, with a flag when the guess is doubtful."""
    own = system_code_page()
    order = ([own] if own else []) + [c for c in LEGACY_ENCODINGS if c != own]
    cr_only = _line_breaks(data) == b"\r"
    readings = []
    for rank, codec in enumerate(order):
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        score, bad = _reading_score(text)
        if codec == "mac_roman" and cr_only:
            score += 3  # CR-only line ends: classic Mac software, Excel for Mac's "CSV" among them
        readings.append((score, -rank, codec, text, bad))
    readings.sort(reverse=True)
    score, _rank, codec, text, bad = readings[0]
    problems: list[tuple[int, str]] = []
    first_non_ascii = next((n for n, line in enumerate(split_lines(data), start=1) if not line.isascii()), 1)
    label = encoding_label(codec)
    if bad:
        problems.append((first_non_ascii, f"the file's encoding was guessed as {label} but some words still read "
                                          "oddly: check the names, or choose the encoding (--encoding)"))
    else:
        rivals = [r for r in readings[1:] if r[0] == score and r[3] != text and r[4] == 0]
        if rivals and len(_WORD.findall(text)) and score <= 1:
            problems.append((first_non_ascii, f"the file's encoding was guessed as {label}; it could also be "
                                              f"{encoding_label(rivals[0][2])}: check the names, or choose the "
                                              "encoding (--encoding)"))
    return EncodingGuess(codec, label, text, tuple(problems))


def decode_as(data: bytes, codec: str) -> EncodingGuess:
    """The file read in the encoding the owner chose; lines with bytes it cannot read are flagged."""
    label = encoding_label(codec)
    if codecs.lookup(codec).name.startswith("utf-16"):
        return EncodingGuess(codec, label, data.decode(codec, errors="replace"))
    decoded: list[str] = []
    problems: list[tuple[int, str]] = []
    lines = split_lines(data)
    for number, line in enumerate(lines, start=1):
        try:
            decoded.append(line.decode(codec))
        except UnicodeDecodeError:
            decoded.append(line.decode(codec, errors="replace"))
            problems.append((number, f"bytes that are not {label} were read as \ufffd: check this line's text"))
    joiner = "" if _line_breaks(data) == b"\r" else "\n"
    return EncodingGuess(codec, label, joiner.join(decoded), tuple(problems))
