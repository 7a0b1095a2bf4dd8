"""The one normalisation of complaint search: what is stored in ``Complaint.search_text`` and
what a search box's words are compared with. Plain Python, no Django.

``normalise`` case-folds, decomposes (NFKD) and drops combining marks, so "Coördinator" and
"coordinator", "El Idrissi" and "el idrissi" compare equal. Stored text and query go through
the same function, so a search is a plain substring test on the normalised column (``LIKE``),
which PostgreSQL answers from a trigram index (migration 0003).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

# ISK-2026-7, isk-2026-0007, ISK-2026: an organisation's short code, a year, maybe a number.
REFERENCE = re.compile(r"^[A-Za-z][A-Za-z0-9]*-\d{4}(-\d{0,9})?$")


def normalise(text: str) -> str:
    """Case-folded, NFKD-decomposed, without combining marks: 'Coördinator' -> 'coordinator'."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def words(query: str) -> list[str]:
    """The normalised words of a search box, each to be found somewhere (AND), duplicates once."""
    return list(dict.fromkeys(normalise(query).split()))


def reference_query(query: str) -> tuple[str, str, int | None] | None:
    """What a query that looks like a reference names: (the query upper-cased, as a prefix of
    references; the code and year as a prefix; the number, if complete digits were given), so
    "isk-2026-7" finds ISK-2026-0007 (the number) and "ISK-2026-00" ISK-2026-0001 .. 0099 (the
    prefix). None for any other query."""
    text = query.strip()
    match = REFERENCE.match(text)
    if not match:
        return None
    prefix = text.upper()
    digits = (match.group(1) or "-")[1:]
    code_year = prefix[: len(prefix) - len(digits)]
    return prefix, code_year, int(digits) if digits else None


def strings_in(value: object) -> Iterator[str]:
    """Every string in a JSON value (an event's payload), depth first; dict keys are left out.
    A dict's values in the order of their keys: a payload read back from the database (jsonb
    keeps its own key order, SQLite the written one) and the one just written in memory give
    the same text, so the projection can append a new event's text without reading the log."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key in sorted(value):
            yield from strings_in(value[key])
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def search_text(parts: Iterable[object]) -> str:
    """The stored search text: every non-empty string of ``parts`` (strings or JSON values),
    normalised, one per line."""
    lines = (normalise(text).strip() for part in parts for text in strings_in(part))
    return "\n".join(line for line in lines if line)
