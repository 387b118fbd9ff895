"""Which first names are one name: a full name and its short form ("Daniel" / "Dan", "Robert" / "Bob").

The table is resources/first_name_short_forms.csv (its header names the source). A shared
beginning proves nothing ("Dan" is Daniel's, not Danielle's), so only the pairs listed count.
"""

from __future__ import annotations

import functools

from core.resources import resource_path

SHORT_FORMS_FILE = ("first_name_short_forms.csv",)


@functools.cache
def _short_form_pairs() -> frozenset[frozenset[str]]:
    """Every (full name, short form) pair of the table, each as an unordered pair."""
    pairs: set[frozenset[str]] = set()
    for line in resource_path(*SHORT_FORMS_FILE).read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        full, *short_forms = (name.strip() for name in line.split(","))
        pairs.update(frozenset((full, short)) for short in short_forms if short and short != full)
    return frozenset(pairs)


def is_short_form_of_each_other(first: str, other: str) -> bool:
    """One of two first names (lower case, accents folded) is the other's short form in the table."""
    return frozenset((first, other)) in _short_form_pairs()
