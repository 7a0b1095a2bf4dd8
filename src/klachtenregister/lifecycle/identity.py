"""Whether a person named by an event is one of the people a complaint names (issue 16 §2).

The register passes who someone is as an opaque id (its person's id) beside their name. Two
ids compare as identities; a name without an id (a third party typed as free text) compares by
its normalised spelling: Unicode NFC, case folded, invisible format characters dropped and every
run of whitespace (a double or no-break space) one space. An event recorded without an id (a
scenario file, a log from before identities) compares its names exactly, as it was judged then.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable


def name_key(name: str) -> str:
    """A name as compared when no id says who it is."""
    composed = unicodedata.normalize("NFC", name)
    visible = "".join(c for c in composed if unicodedata.category(c) != "Cf")
    return " ".join(visible.casefold().split())


def among(name: str, person_id: str | None, names: Iterable[str], ids: Iterable[str]) -> bool:
    """Whether the person (``name``, ``person_id``) is among ``names`` / ``ids``."""
    if person_id is None:
        return name in set(names)
    if person_id in set(ids):
        return True
    key = name_key(name)
    return any(name_key(other) == key for other in names)
