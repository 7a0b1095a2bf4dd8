"""Helpers for the letter tests (``from tests.support.letters import ...``).

The letter tests (tests/correspondence) send letters through the services the complaint page uses
(``klachtenregister.register.services.register_complaint``,
``klachtenregister.correspondence.services.record_with_letters``) against a real database, render
them with WeasyPrint and read the PDFs back with pypdf. The ``staff`` fixture (tests/conftest.py)
takes the complaint through its steps; the other people named in a test get ``email=""`` unless
the test gives them an address, so their letters go by post.

- ``Story``: a complaint carried through its steps by the services, each step sending the letters
  its regulation names with the texts a person writes.
- ``pdf_text`` / ``normal``: a letter's PDF read back with pypdf, whitespace normalised.
- ``check_letters``: every letter of a complaint holds its letterhead, reference, every required
  content and the concrete values a test expects, and reads as a letter a company would sign
  (``letter_problems``). With ``KLACHTENREGISTER_LETTERS_DIR`` set (``make letters``) it also
  writes every letter's PDF to that folder, to look at.
"""

from __future__ import annotations

import io
import itertools
import os
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.utils.text import slugify
from pypdf import PdfReader

from klachtenregister.correspondence.compose import letters_for
from klachtenregister.correspondence.models import Letter
from klachtenregister.correspondence.services import LetterOrder, record_with_letters
from klachtenregister.letters.defaults import PARAGRAPHS
from klachtenregister.register.models import Complaint, Organisation, person_name
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import ComplaintData, NewEvent, register_complaint
from klachtenregister.regulations.schema import Letter as LetterRule
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Event, Party
from tests.support.clock_and_race import Clock, day

# What only a person can write in a letter (the register leaves these empty). Each is distinct,
# so finding it in a PDF proves that this text, and no other, went into the letter.
PERSON_TEXTS: dict[str, str] = {
    "agreements": "Uw begeleider belt u binnen een week om een nieuw plan te maken.",
    "consultation_summary": "Wij spraken over de afgezegde afspraken; u voelde zich niet gehoord.",
    "next_steps": "Een onafhankelijke collega onderzoekt de klacht en hoort beide kanten.",
    "hearing_invitation": "dinsdag 4 mei 2027 om 10.00 uur op ons kantoor in Utrecht.",
    "hearing_report": "Beide partijen zijn gehoord; de medewerker bood excuses aan.",
    "facts": "Twee afspraken gingen niet door zonder bericht aan de klant.",
    "findings": "De rapportage is zonder reactie van de klant verstuurd.",
    "offer": "Een gesprek met de teamleider en een herziene rapportage.",
    "delay_reason": "Wij wachten nog op de reactie van de betrokken medewerker.",
    "date_place_circumstances": "Op 20 april 2027 bij de werkgever in Tilburg; de consulent "
    "kwam niet en belde niet af.",
}


@dataclass
class Story:
    """One complaint of ``organisation`` carried through its steps by ``actor``."""

    organisation: Organisation
    actor: User
    clock: Clock
    complaint: Complaint = field(init=False)

    def register(self, received_on: str, **fields: Any) -> Complaint:
        self.clock.set(received_on)
        values: dict[str, Any] = {
            "received_on": day(received_on),
            "channel": "written",
            "description": "De coach zegde drie afspraken op het laatste moment af.",
            "complainant_name": "Mevrouw De Vries",
            "complainant_email": "de.vries@example.nl",
        }
        values.update(fields)
        self.complaint = register_complaint(self.organisation, self.actor, ComplaintData(**values))
        return self.complaint

    @property
    def regulation(self) -> Regulation:
        return lifecycle_of(self.complaint).regulation

    def step(
        self,
        event: str,
        on: str,
        *,
        details: Mapping[str, Any] | None = None,
        people: Mapping[str, Any] | None = None,
        written: Mapping[str, str] | None = None,
        posted_on: str | None = None,
    ) -> list[Letter]:
        """Record the event on its day with every letter it sends, the person's texts written
        (``written`` on top of ``PERSON_TEXTS``); the letters made for it."""
        self.clock.set(on)
        self.complaint.refresh_from_db()
        texts = {**PERSON_TEXTS, **(written or {})}
        orders = [
            LetterOrder(rule.id, written=texts, posted_on=day(posted_on) if posted_on else None)
            for rule in letters_for(self.regulation, self.complaint, Event(event))
        ]
        new = NewEvent(
            Event(event), day(on), details=dict(details or {}), people=dict(people or {})
        )
        rows = record_with_letters(self.complaint, self.actor, self.complaint.sequence, new, orders)
        return list(Letter.objects.filter(event__in=rows).order_by("pk"))

    def assign(self, on: str, handler: User) -> list[Letter]:
        return self.step(
            "handler_assigned",
            on,
            details={"handler": person_name(handler)},
            people={"handler": handler.pk},
        )

    def appoint(self, on: str, members: list[User], chair: User | None = None) -> list[Letter]:
        details: dict[str, Any] = {"members": [person_name(m) for m in members]}
        if chair is not None:
            details["chair"] = person_name(chair)
        return self.step(
            "committee_appointed",
            on,
            details=details,
            people={"members": [m.pk for m in members]},
        )


def normal(text: str) -> str:
    """Text as compared: compatibility forms folded (a ligature is its letters) and every run of
    whitespace one space, because pypdf breaks lines where the layout wrapped them."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def pdf_bytes(letter: Letter) -> bytes:
    with letter.document.file.open("rb") as stored:
        return stored.read()


def pdf_text(letter: Letter) -> str:
    reader = PdfReader(io.BytesIO(pdf_bytes(letter)))
    return normal(" ".join(page.extract_text() or "" for page in reader.pages))


def rule_of(regulation: Regulation, letter_id: str) -> LetterRule:
    return next(rule for rule in regulation.letters if rule.id == letter_id)


def check_letters(complaint: Complaint, expected: Mapping[str, Iterable[str]]) -> list[Letter]:
    """Every letter of the complaint read back from its PDF: the letters made are exactly those
    in ``expected`` (by letter id); each holds the organisation's name (the letterhead), the
    reference, the text of each content its regulation requires (never empty) and the concrete
    values ``expected`` lists for that letter."""
    regulation = lifecycle_of(complaint).regulation
    letters = list(complaint.letters.order_by("pk"))
    assert sorted({letter.letter_id for letter in letters}) == sorted(expected)
    for letter in letters:
        rule = rule_of(regulation, letter.letter_id)
        text = pdf_text(letter)
        where = f"{letter.letter_id} to {letter.addressee_name}"
        empty = [
            c.value for c in rule.required_contents if not letter.texts.get(c.value, "").strip()
        ]
        assert empty == [], f"{where}: required contents stored empty: {empty}"
        wanted = [
            complaint.organisation.name,
            complaint.reference,
            letter.addressee_name,
            *(letter.texts[c.value] for c in rule.required_contents),
            *expected[letter.letter_id],
        ]
        missing = [snippet for snippet in wanted if normal(snippet) not in text]
        assert missing == [], f"{where}: not in the PDF: {missing}\n--- PDF text:\n{text}"
        write_letter(letter)
        problems = letter_problems(letter, regulation)
        assert problems == [], f"{where}: {problems}\n--- PDF text:\n{text}"
    return letters


# The headings of the default wording: the first line of a paragraph whose content follows on
# the next line ("De feiten zoals wij die zien:").
HEADINGS = frozenset(
    normal(text.split("\n{{")[0]) for pair in PARAGRAPHS.values() for text in pair if "\n{{" in text
)
REGARDS = ("Met vriendelijke groet", "Kind regards")
CLOSINGS = ("Heeft u vragen?", "If you have any questions", "U hoeft met dit afschrift niets")


def vocabulary_ids(regulation: Regulation) -> set[str]:
    """The regulation's identifiers that are not also plain words: the event, party, role,
    deadline and letter ids written with an underscore (``in_focus_samen``, ``eigen_termijn``,
    ``klacht_ingediend``); a one-word id such as ``uitspraak`` or ``received`` is ordinary
    language."""
    ids = {event.value for event in Event} | {party.value for party in Party}
    ids |= {rule.id for rule in [*regulation.roles, *regulation.deadlines, *regulation.letters]}
    return {identifier for identifier in ids if "_" in identifier}


def _lines(page: str) -> list[str]:
    return [normal(line) for line in page.splitlines() if line.strip()]


def letter_problems(letter: Letter, regulation: Regulation) -> list[str]:
    """What keeps a letter from being sent as a company would send it, read from its PDF."""
    reader = PdfReader(io.BytesIO(pdf_bytes(letter)))
    pages = [page.extract_text() or "" for page in reader.pages]
    lines = [line for page in pages for line in _lines(page)]
    text = normal(" ".join(pages))
    problems = []
    for here, after in itertools.pairwise(lines):
        if here in HEADINGS and (after in HEADINGS or after.startswith(REGARDS + CLOSINGS)):
            problems.append(f"empty heading: {here!r}")
    if re.search(r":\s*\.", text):
        problems.append("a sentence ends in ': .'")
    words = set(re.findall(r"[a-z][a-z0-9_]*", text))
    stray = sorted(words & vocabulary_ids(regulation))
    if stray:
        problems.append(f"vocabulary ids in the text: {stray}")
    long_lines = [line for line in lines if len(line) > 25]
    twice = sorted({line for line in long_lines if long_lines.count(line) > 1})
    if twice:
        problems.append(f"printed twice: {twice}")
    if "Geachte de " in text or "Dear the " in text:
        problems.append("addressed to a role, not a person")
    if letter.is_copy and "Hierbij bevestigen wij dat wij uw klacht" in text:
        problems.append("a copy written as if to the complainant")
    ending = [i for i, page in enumerate(pages) if normal(page).count("Met vriendelijke groet")]
    ending = ending or [i for i, page in enumerate(pages) if "Kind regards" in page]
    if not ending:
        problems.append("no greeting")
    else:
        last = normal(pages[ending[-1]])
        # The closing paragraph ends with the reference and a full stop; the meta block and the
        # page footer print it without one.
        if f"{letter.complaint.reference}." not in last:
            problems.append(f"the closing is not on the signature's page {ending[-1] + 1}")
        if normal(letter.complaint.organisation.name) not in last.split("vriendelijke groet")[-1]:
            problems.append("the signature is not on the greeting's page")
        closing = min((i for i in (last.find(c) for c in CLOSINGS) if i >= 0), default=-1)
        if closing >= 0 and not last[:closing].strip():
            problems.append("the closing starts a page: the last paragraph is on another page")
    return problems


def write_letter(letter: Letter) -> None:
    """The letter's PDF in ``KLACHTENREGISTER_LETTERS_DIR``/<organisation>/ (``make letters``)."""
    folder = os.environ.get("KLACHTENREGISTER_LETTERS_DIR")
    if not folder:
        return
    target = Path(folder) / letter.complaint.organisation.short_code.lower()
    target.mkdir(parents=True, exist_ok=True)
    copy = "-afschrift" if letter.is_copy else ""
    # The pk keeps the stories of one organisation apart: each test starts at the same reference.
    name = f"{letter.pk:05d}-{letter.complaint.reference}-{letter.letter_id}-{letter.party}{copy}"
    (target / f"{name}-{slugify(letter.addressee_name)}.pdf").write_bytes(pdf_bytes(letter))
