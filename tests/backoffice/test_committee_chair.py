"""Appointing the committee names its chair, who signs its advice (docs/letters.md): the chair is
chosen from the members chosen, else a Dutch error at the field and nothing is recorded.
Integratiewerk, through HTTP."""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from klachtenregister.register.models import Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import act, parse, problem, register, stored_log


def test_the_chair_is_one_of_the_members_and_is_recorded_with_the_appointment(
    client: Client, staff: Staff, organisation: Callable[[str], Organisation], clock: Clock
) -> None:
    integratiewerk = organisation("integratiewerk")
    annelies, karim, joost = (
        UserFactory(
            username=username,
            full_name=name,
            memberships=[(integratiewerk, RoleKind.COMMITTEE)],
            email="",
        )
        for username, name in (
            ("annelies", "Annelies Brouwer"),
            ("karim", "mr. K. Benali"),
            ("joost", "Joost Vos"),
        )
    )
    clock.set("2027-04-22")
    client.force_login(staff(integratiewerk, email=""))
    complaint = register(client, "integratiewerk", "2027-04-22")
    sequence = len(stored_log(complaint))

    refused = act(
        client,
        complaint,
        "committee_appointed",
        "2027-04-22",
        members=[annelies.pk, karim.pk],
        chair=joost.pk,
    )
    assert refused.status_code == 400, problem(refused)
    error = parse(refused.content).find(attrs={"id": "id_committee_appointed_chair_error"})
    assert error is not None
    assert error.text().strip() == "Kies de voorzitter uit de gekozen leden."
    assert len(stored_log(complaint)) == sequence

    appointed = act(
        client,
        complaint,
        "committee_appointed",
        "2027-04-22",
        members=[annelies.pk, karim.pk],
        chair=karim.pk,
    )
    assert appointed.status_code == 302, problem(appointed)
    event = stored_log(complaint)[-1]
    assert event.event == "committee_appointed"
    assert event.payload["members"] == ["Annelies Brouwer", "mr. K. Benali"]
    assert event.payload["chair"] == "mr. K. Benali"
