"""Who signs a letter: the committee's binding advice is signed by the committee's chair by name
and function, where the appointment named one; without a chair, on behalf of the committee
(docs/letters.md). Read back from the PDF.

Integratiewerk: received Thu 22 Apr 2027, referred to the committee Tue 11 May, the committee
appointed that day, its advice Fri 28 May 2027.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.models import Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock, day
from tests.support.letters import Story, check_letters, pdf_text

OrganisationGetter = Callable[[str], Organisation]
JUDGEMENT = "De commissie acht de klacht gegrond."


def _advice(
    organisation: OrganisationGetter, staff: Staff, clock: Clock, *, chaired: bool
) -> tuple[str, Story]:
    integratiewerk = organisation("integratiewerk")
    members: list[User] = [
        UserFactory(
            username=username,
            full_name=name,
            memberships=[(integratiewerk, RoleKind.COMMITTEE)],
            email="",
        )
        for username, name in (("annelies", "Annelies Brouwer"), ("karim", "mr. K. Benali"))
    ]
    story = Story(integratiewerk, staff(integratiewerk), clock)
    story.register("2027-04-22", facts_date=day("2027-03-15"))
    story.step("acknowledged", "2027-05-10")
    story.step("consultation_held", "2027-05-11", details={"outcome": "no_agreement"})
    story.step("accepted", "2027-05-11")
    story.step("referred_to_committee", "2027-05-11")
    story.appoint("2027-05-11", members, chair=members[1] if chaired else None)
    [letter] = story.step(
        "committee_advice_given",
        "2027-05-28",
        written={"judgement": JUDGEMENT},
    )
    assert letter.letter_id == "bindend_advies"
    # Every letter of the story reads well (tests/support/letters.py), the advice with its text.
    expected = {found.letter_id: [] for found in story.complaint.letters.all()}
    check_letters(story.complaint, {**expected, "bindend_advies": [JUDGEMENT]})
    return pdf_text(letter), story


@pytest.mark.parametrize("chaired", [True, False])
def test_the_committees_advice_is_signed_by_its_chair_by_name_and_function(
    db: None, organisation: OrganisationGetter, staff: Staff, clock: Clock, chaired: bool
) -> None:
    text, _story = _advice(organisation, staff, clock, chaired=chaired)
    closing = text[text.index("Met vriendelijke groet,") :]
    if chaired:
        assert closing.startswith(
            "Met vriendelijke groet, mr. K. Benali voorzitter van de klachtencommissie"
        ), closing
        assert "namens de klachtencommissie" not in text
    else:
        # No chair recorded: the first appointed member signs on behalf of the committee.
        assert closing.startswith(
            "Met vriendelijke groet, Annelies Brouwer namens de klachtencommissie"
        ), closing
