"""The form of address chosen at registration (heer / mevrouw / neutraal) in the letter itself:
the complainant's acknowledgement read back from its PDF (issue 15, *Addressing*)."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from klachtenregister.register.models import Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock, day
from tests.support.letters import Story, pdf_text

OrganisationGetter = Callable[[str], Organisation]


@pytest.mark.parametrize(
    ("name", "form", "greeting"),
    [
        ("Pieter de Vries", "mr", "Geachte heer De Vries,"),
        ("Fatima el Idrissi", "ms", "Geachte mevrouw El Idrissi,"),
        ("Pieter de Vries", "neutral", "Geachte Pieter de Vries,"),
    ],
)
def test_the_acknowledgement_greets_the_complainant_in_the_form_chosen(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
    name: str,
    form: str,
    greeting: str,
) -> None:
    smartplus = organisation("smartplus")
    eva = UserFactory(
        username="eva", full_name="Eva Schouten", memberships=[(smartplus, RoleKind.HANDLER)]
    )
    story = Story(smartplus, staff(smartplus), clock)
    complaint = story.register(
        "2027-04-19", facts_date=day("2027-04-12"), complainant_name=name, form_of_address=form
    )
    assert complaint.form_of_address == form
    story.assign("2027-04-20", eva)

    [letter] = story.step("acknowledged", "2027-04-26")

    text = pdf_text(letter)
    assert greeting in text, text
    assert text.count("Geachte ") == 1, text  # one greeting, in the form chosen
    assert letter.addressee_name == name  # the address block keeps the name as written


def test_an_anonymous_complainant_is_stored_without_a_form_of_address(
    db: None, organisation: OrganisationGetter, staff: Staff, clock: Clock
) -> None:
    smartplus = organisation("smartplus")
    story = Story(smartplus, staff(smartplus), clock)
    complaint = story.register(
        "2027-04-19",
        anonymous=True,
        complainant_name="",
        complainant_email="",
        form_of_address="ms",
    )
    assert complaint.form_of_address == "neutral"
