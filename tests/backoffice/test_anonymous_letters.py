"""An anonymous complainant who left no e-mail or postal address, in every regulation: the step
that would write to them is recorded without a letter, nothing goes to the outbox, and its term
is *niet van toepassing*, neither met nor missed (docs/letters.md "Addressing"). Through HTTP,
as the coordinator sees it on the complaint page.

Iskander and Integratiewerk do not take anonymous complaints (they are declared inadmissible);
SmartPLUS does not say. The term runs from receipt all the same, so the rule is the same.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from klachtenregister.correspondence.models import Letter, OutboxMessage
from klachtenregister.register.models import Complaint, Organisation
from tests.factories import Staff
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    act,
    complaint_url,
    page_deadlines,
    parse,
    problem,
    register,
    stored_deadlines,
)

ANONYMOUS = {"anonymous": True, "complainant_name": ""}
DESCRIPTION = "Een anonieme melding: de coach kwam drie keer niet opdagen."


def _office(client: Client, staff: Staff, organisation: Organisation) -> Client:
    client.force_login(staff(organisation, email=""))
    return client


def _acknowledgement(client: Client, complaint: Complaint) -> tuple[str, str]:
    """The acknowledgement term's row on the page: its status and the label the page shows."""
    page = client.get(complaint_url(complaint))
    [row] = [r for r in page_deadlines(page.content) if r[0] == "ontvangstbevestiging"]
    [tr] = [
        tr
        for tr in parse(page.content).find_all("tr", {"data-deadline": True})
        if tr.attrs["data-deadline"] == "ontvangstbevestiging"
    ]
    return row[3], tr.elements()[3].own_text().strip()


@pytest.mark.parametrize("slug", ["iskander", "smartplus", "integratiewerk"])
def test_an_anonymous_complainant_without_an_address_gets_no_letter_and_the_term_does_not_apply(
    client: Client,
    staff: Staff,
    organisation: Callable[[str], Organisation],
    clock: Clock,
    slug: str,
) -> None:
    office = _office(client, staff, organisation(slug))
    complaint = register(office, slug, "2027-04-19", description=DESCRIPTION, **ANONYMOUS)

    clock.set("2027-04-20")
    response = act(office, complaint, "acknowledged", "2027-04-20")
    assert response.status_code == 302, problem(response)

    # No letter to "de klager" posted to no address, and no copy of it to a manager.
    assert not Letter.objects.filter(complaint=complaint).exists()
    assert not OutboxMessage.objects.filter(complaint=complaint).exists()
    # Weeks later the term is still neither met nor missed.
    clock.set("2027-06-30")
    assert _acknowledgement(office, complaint) == ("not_applicable", "niet van toepassing")
    [stored] = [row for row in stored_deadlines(complaint) if row[0] == "ontvangstbevestiging"]
    assert stored[3] == "not_applicable"


def test_an_anonymous_complainant_who_left_an_address_gets_the_letter_and_the_term_is_met(
    client: Client,
    staff: Staff,
    organisation: Callable[[str], Organisation],
    clock: Clock,
) -> None:
    office = _office(client, staff, organisation("smartplus"))
    complaint = register(
        office,
        "smartplus",
        "2027-04-19",
        description=DESCRIPTION,
        complainant_email="anoniem@example.nl",
        **ANONYMOUS,
    )
    assert _acknowledgement(office, complaint)[0] == "open"

    clock.set("2027-04-20")
    response = act(office, complaint, "acknowledged", "2027-04-20")
    assert response.status_code == 302, problem(response)

    [letter] = Letter.objects.filter(complaint=complaint)
    assert letter.addressee_email == "anoniem@example.nl"
    assert OutboxMessage.objects.filter(complaint=complaint, letter=letter).count() == 1
    assert _acknowledgement(office, complaint) == ("met", "gehaald")
