"""The parts every import's JSON summary shares: which file, read how, and the rows it set aside.

Customers, purchases, quotes and reward cards each add their own counts between the two; the key
order is part of the command line's public output (`import --json`), so both keep theirs.
"""

from __future__ import annotations

from typing import Any

from core.importing.formats import ImportKind
from core.importing.reading import DELIMITER_NAMES


def file_summary(plan: Any, kind: ImportKind, *, applied: bool, refused: str | None) -> dict[str, Any]:
    """The file, its format and how it was read, and whether the import was applied."""
    return {
        "file": plan.source_name, "kind": kind.value, "format": plan.format_key,
        "format_label": plan.format_label, "encoding": plan.encoding, "delimiter": plan.delimiter,
        "delimiter_name": DELIMITER_NAMES.get(plan.delimiter or ""),
        "records": plan.records, "applied": applied, "refused": refused,
    }


def set_aside_rows(plan: Any) -> dict[str, list[dict[str, Any]]]:
    """The rows rejected (not imported) and flagged (imported without the value named), by line."""
    return {
        "rejected": [{"line": r.line, "reason": r.reason} for r in plan.rejected],
        "flagged": [{"line": r.line, "reason": r.reason} for r in plan.flagged],
    }
