"""The little language of call scripts: merge fields that always read naturally.

    Hi {first_name}, this is {caller_name|the team} from {business_name}.
    [[You picked up {product} on {last_purchase}.]] How is it working out?

- `{field}` is replaced by the customer's value; when there is none, by the field's own
  natural wording (first_name → "there"), given by the caller as `fallbacks`.
- `{field|other words}` says what to read when the field has no value (`{company|}` reads nothing).
- `[[ ... ]]` is optional: the whole passage is left out when any field inside it has no value.
- `{{` and `}}` write a literal brace.

Rendering never raises and never shows a raw placeholder: a stray brace is dropped, an unknown
field reads as its fallback (or nothing). `check_template` reports those mistakes, with a
position, so the script editor can point at them before the owner saves.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_FIELD_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
_SENTENCE_END = ".!?\n"


@dataclass(frozen=True)
class Text:
    text: str


@dataclass(frozen=True)
class Field:
    name: str
    fallback: str | None  # None: use the field's own wording
    known: bool = True


@dataclass(frozen=True)
class Optional:
    parts: tuple["Text | Field | Optional", ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class TemplateProblem:
    position: int  # character offset in the template
    message: str
    is_error: bool = True  # False: a warning (the script still reads, maybe awkwardly)


Part = Text | Field | Optional


def _parse(template: str, known_fields: set[str] | None) -> tuple[tuple[Part, ...], list[TemplateProblem]]:
    problems: list[TemplateProblem] = []
    stack: list[tuple[int, list[Part]]] = [(0, [])]
    buffer: list[str] = []
    i = 0

    def flush() -> None:
        if buffer:
            stack[-1][1].append(Text("".join(buffer)))
            buffer.clear()

    while i < len(template):
        two = template[i:i + 2]
        ch = template[i]
        if two == "{{" or two == "}}":
            buffer.append(ch)
            i += 2
        elif two == "[[":
            flush()
            stack.append((i, []))
            i += 2
        elif two == "]]":
            flush()
            if len(stack) == 1:
                problems.append(TemplateProblem(i, "']]' closes an optional passage that was never opened with '[['."))
            else:
                _start, parts = stack.pop()
                stack[-1][1].append(Optional(tuple(parts)))
            i += 2
        elif ch == "{":
            end = template.find("}", i + 1)
            newline = template.find("\n", i + 1)
            if end == -1 or template.find("{", i + 1, end) != -1 or (newline != -1 and newline < end):
                problems.append(TemplateProblem(i, "'{' is never closed: write {field} (or {{ for a brace)."))
                i += 1
                continue
            flush()
            inner = template[i + 1:end]
            name, bar, fallback = inner.partition("|")
            name = name.strip()
            known = bool(_FIELD_NAME.match(name)) and (known_fields is None or name in known_fields)
            if not known:
                problems.append(TemplateProblem(i, f"{{{name}}} is not a merge field this script can fill."))
            stack[-1][1].append(Field(name, fallback if bar else None, known))
            i = end + 1
        elif ch == "}":
            problems.append(TemplateProblem(i, "'}' has no '{' before it (write }} for a brace)."))
            i += 1
        else:
            buffer.append(ch)
            i += 1
    flush()
    while len(stack) > 1:
        start, parts = stack.pop()
        problems.append(TemplateProblem(start, "'[[' opens an optional passage that is never closed with ']]'."))
        stack[-1][1].append(Optional(tuple(parts)))
    return tuple(stack[0][1]), problems


def _has_value(values: Mapping[str, str | None], name: str) -> bool:
    value = values.get(name)
    return value is not None and str(value).strip() != ""


def _all_present(parts: tuple[Part, ...], values: Mapping[str, str | None]) -> bool:
    for part in parts:
        if isinstance(part, Field) and not (part.known and _has_value(values, part.name)):
            return False
        if isinstance(part, Optional) and not _all_present(part.parts, values):
            # A nested optional passage only drops itself, not its parent.
            continue
    return True


def _at_sentence_start(pieces: list[str]) -> bool:
    for piece in reversed(pieces):
        stripped = piece.rstrip(" \t")
        if stripped:
            return stripped[-1] in _SENTENCE_END
    return True


def _render_parts(parts: tuple[Part, ...], values: Mapping[str, str | None],
                  fallbacks: Mapping[str, str], pieces: list[str]) -> None:
    for part in parts:
        if isinstance(part, Text):
            pieces.append(part.text)
        elif isinstance(part, Field):
            if part.known and _has_value(values, part.name):
                pieces.append(str(values[part.name]).strip())
                continue
            wording = part.fallback if part.fallback is not None else fallbacks.get(part.name, "")
            wording = wording.replace("{", "").replace("}", "")
            if wording and _at_sentence_start(pieces):
                wording = wording[0].upper() + wording[1:]
            pieces.append(wording)
        elif _all_present(part.parts, values):
            _render_parts(part.parts, values, fallbacks, pieces)


def _tidy(text: str) -> str:
    """Close the gaps a left-out field or passage leaves: doubled spaces, space before punctuation."""
    lines = []
    for line in text.split("\n"):
        indent = line[: len(line) - len(line.lstrip(" "))]
        body = re.sub(r"[ \t]{2,}", " ", line.strip(" \t"))
        body = re.sub(r" +([,.;:!?])", r"\1", body)
        body = re.sub(r"([,;:])(?:\s*[,;:])+", r"\1", body)
        body = re.sub(r"\(\s*\)", "", body).strip(" ")
        lines.append(indent + body if body else "")
    tidy = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", tidy).strip("\n")


def render_template(template: str, values: Mapping[str, str | None],
                    fallbacks: Mapping[str, str] | None = None) -> str:
    """The script as the caller reads it. Never raises, never leaves a {placeholder}."""
    parts, _problems = _parse(template or "", None)
    pieces: list[str] = []
    _render_parts(parts, values, fallbacks or {}, pieces)
    return _tidy("".join(pieces))


def _bare_fields(parts: tuple[Part, ...]) -> list[Field]:
    return [p for p in parts if isinstance(p, Field)]


def check_template(template: str, known_fields: Mapping[str, str]) -> list[TemplateProblem]:
    """Mistakes (errors) and awkward spots (warnings) in a script, in order of position.

    `known_fields` maps each field name to its natural wording when empty; a field with no
    wording, used outside [[ ]] and without a |fallback, earns a warning: it would vanish.
    """
    parts, problems = _parse(template or "", set(known_fields))
    for part in _bare_fields(parts):
        if part.known and part.fallback is None and not known_fields.get(part.name):
            position = template.find("{" + part.name)
            problems.append(TemplateProblem(
                max(position, 0),
                f"When a customer has no {part.name.replace('_', ' ')}, {{{part.name}}} reads as nothing: "
                f"put it inside [[ ]] or give a fallback, e.g. {{{part.name}|...}}.", is_error=False))
    return sorted(problems, key=lambda p: p.position)


def fields_used(template: str) -> set[str]:
    """The merge field names a template refers to (known or not)."""
    names: set[str] = set()

    def walk(parts: tuple[Part, ...]) -> None:
        for part in parts:
            if isinstance(part, Field):
                names.add(part.name)
            elif isinstance(part, Optional):
                walk(part.parts)

    walk(_parse(template or "", None)[0])
    return names
