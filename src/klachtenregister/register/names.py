"""Whether two spellings of a person's name may be the same person (issue 16 §2).

A complaint names its subjects as the complainant wrote them: "M. de Boer", "marieke De Boer",
"Mariëke de  Boer", "De Boer, M.". The organisation's member is "Marieke de Boer". An exact
comparison misses each of these, and then the member could open the complaint about herself or
be assigned to handle it. ``may_be_same`` compares what survives those differences: initials
against first names, the case and spacing of tussenvoegsels, diacritics, punctuation, titles
and the "surname, first names" order. It errs on the side of a match: a match is only a warning
the registrar resolves, a miss lets someone handle a complaint about themselves.

Plain Python, no Django: a function of two strings.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

# Dutch (and a few neighbouring) surname prefixes: "de Boer", "van der Berg", "ten Hove".
TUSSENVOEGSELS = frozenset(
    {
        "d",
        "da",
        "de",
        "del",
        "den",
        "der",
        "des",
        "di",
        "du",
        "el",
        "het",
        "in",
        "la",
        "le",
        "les",
        "onder",
        "op",
        "over",
        "s",
        "t",
        "te",
        "ten",
        "ter",
        "uit",
        "uijt",
        "van",
        "vande",
        "vander",
        "vd",
        "von",
        "zu",
    }
)
# Forms of address and titles that are not part of anyone's name.
TITLES = frozenset(
    {
        "dhr",
        "heer",
        "mevr",
        "mw",
        "mevrouw",
        "mr",
        "mrs",
        "ms",
        "dr",
        "drs",
        "ir",
        "ing",
        "prof",
        "bc",
        "msc",
        "ma",
        "ba",
    }
)


@dataclass(frozen=True)
class NameParts:
    given: tuple[str, ...]  # first names or initials, folded
    prefixes: tuple[str, ...]  # tussenvoegsels
    surname: tuple[str, ...]  # the rest of the surname

    @property
    def joined_surname(self) -> str:
        """ "de Boer", "De Boer" and "deBoer" alike: the prefixes and surname without spaces."""
        return "".join((*self.prefixes, *self.surname))

    @property
    def core_surname(self) -> str:
        return "".join(self.surname)


def _fold(text: str) -> str:
    """Case, diacritics, apostrophes and compatibility forms folded away."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def _tokens(text: str) -> list[str]:
    # Every run of letters or digits is a token: dots, hyphens, spaces of any kind and invisible
    # characters all separate ("M.J.", "M.de Boer", "Jansen-de Vries").
    return re.findall(r"[^\W_]+", text)


def parts(name: str) -> NameParts:
    folded = _fold(name)
    if "," in folded:
        # "De Boer, M." and "Boer, M. de": the part after the comma comes first.
        surname_part, _, given_part = folded.partition(",")
        folded = f"{given_part} {surname_part}"
    folded = re.sub(r"\bde\s+heer\b", " ", folded)  # "de heer" is not a tussenvoegsel
    tokens = [token for token in _tokens(folded) if token not in TITLES]
    if not tokens:
        return NameParts((), (), ())
    # The surname is the last token with the prefixes in front of it; before the first prefix
    # (or before the surname, without one) come the given names.
    end = len(tokens) - 1
    start = end
    while start > 0 and tokens[start - 1] in TUSSENVOEGSELS:
        start -= 1
    given = tuple(tokens[:start])
    prefixes = tuple(tokens[start:end])
    return NameParts(given=given, prefixes=prefixes, surname=(tokens[end],))


def _given_compatible(left: tuple[str, ...], right: tuple[str, ...]) -> bool:
    """ "M", "M J", "Marieke" and "Marieke Johanna" against each other: each given name or
    initial in turn is the other's or its first letter. No given names on one side (only "De
    Boer") is compatible with any."""
    if not left or not right:
        return True
    for one, other in zip(left, right, strict=False):
        if len(one) == 1 or len(other) == 1:
            if one[0] != other[0]:
                return False
        elif one != other:
            return False
    return True


def may_be_same(name: str, other: str) -> bool:
    """Whether ``name`` and ``other`` may name the same person (see the module's text)."""
    one, two = parts(name), parts(other)
    if not one.surname or not two.surname:
        return False
    same_surname = one.joined_surname == two.joined_surname or one.core_surname == two.core_surname
    return same_surname and _given_compatible(one.given, two.given)


def same_spelling(name: str, other: str) -> bool:
    """Only case, spacing and diacritics differ: the same name, not merely a possible match."""
    return _tokens(_fold(name)) == _tokens(_fold(other))
