"""A letter to a third party (the opdrachtgever, UWV's arbeidsdeskundige), end to end: no preset
sends one, so a test regulation (IN FOCUS Samen's, with a letter added to its step
*Arbeidsdeskundige UWV geïnformeerd*) does. Each is written to the third party about the
complainant's complaint, not as if to the complainant, and reads well (tests/support/letters.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from klachtenregister.register.loading import load_regulations
from klachtenregister.register.models import Organisation
from tests.factories import Staff
from tests.support.clock_and_race import Clock
from tests.support.letters import Story, check_letters, pdf_text
from tests.support.regulation_files import preset_text

DESCRIPTION = "De coach zegde drie afspraken op het laatste moment af."
THIRD_PARTY_LETTER = """letters:
  - id: bericht_derden
    label: Bericht aan de opdrachtgever en de arbeidsdeskundige van UWV over de klacht
    label_en: Notice of the complaint to the commissioning party and UWV's labour expert
    source: test
    step: third_party_informed
    recipients: [opdrachtgever, uwv_arbeidsdeskundige]
    required_contents: [complaint_description]
"""


@pytest.fixture
def third_parties(regulations: object, tmp_path: Path) -> Organisation:
    text = preset_text("infocus-samen")
    for old, new in (
        ("id: infocus-samen\n", "id: derden-test\n"),
        ("  name: IN FOCUS Samen\n  short_code: IFS\n", "  name: Derden Test\n  short_code: DT\n"),
        ("letters:\n", THIRD_PARTY_LETTER),
    ):
        assert old in text, old
        text = text.replace(old, new, 1)
    path = tmp_path / "derden-test.yaml"
    path.write_text(text, encoding="utf-8")
    load_regulations([path])
    return Organisation.objects.get(slug="derden-test")


def test_a_letter_to_the_opdrachtgever_and_uwv_is_written_to_them_not_to_the_complainant(
    third_parties: Organisation, staff: Staff, clock: Clock
) -> None:
    story = Story(third_parties, staff(third_parties), clock)
    story.register(
        "2027-04-20",
        complainant_name="Pieter de Vries",
        form_of_address="mr",
        uwv_client=True,
        commissioning_party="UWV Tilburg",
        description=DESCRIPTION,
    )
    letters = story.step("third_party_informed", "2027-04-21")

    assert sorted((letter.party, letter.addressee_name) for letter in letters) == [
        ("opdrachtgever", "UWV Tilburg"),
        ("uwv_arbeidsdeskundige", "de arbeidsdeskundige van UWV"),
    ]
    check_letters(story.complaint, {"bericht_derden": [DESCRIPTION]})
    for letter in letters:
        text = pdf_text(letter)
        assert not letter.is_copy
        # About the complainant, in the third person; never "your complaint".
        assert "Het gaat om de klacht van Pieter de Vries" in text, text
        assert "Geachte heer, mevrouw," in text, text
        for to_the_complainant in ("uw klacht", "Geachte heer De Vries", "Hierbij bevestigen wij"):
            assert to_the_complainant not in text, (to_the_complainant, text)
