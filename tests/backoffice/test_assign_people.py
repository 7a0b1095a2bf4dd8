"""Handlers and committee members are the organisation's people, identified, not names (issue 16
§2): a third party without an account (an external handler, a hired committee member) can be
assigned and the complaint goes on; an assignment records the person's id beside the name; the
impartiality rules compare those ids, so a subject spelled differently from the handler's name is
still the handler; another organisation's person is a Dutch form error, never a 500.

Iskander, registered by the klachtenfunctionaris Klara on Thu 22 Apr 2027; Marieke de Boer is a
procesverantwoordelijke (handler); Jan de Coach a coach the organisation hires, without an
account. Integratiewerk for the committee.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.errors import Refusal
from klachtenregister.register.models import Complaint, ComplaintParticipant, Organisation, Person
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import NewEvent, correct_facts, record_event
from klachtenregister.regulations.vocabulary import Event, RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    act,
    action_forms,
    complaint_url,
    page_error,
    parse,
    problem,
    register,
    stored_log,
)


@pytest.fixture
def marieke(iskander: Organisation) -> User:
    return UserFactory(
        username="marieke", full_name="Marieke de Boer", memberships=[(iskander, RoleKind.HANDLER)]
    )


@pytest.fixture
def coach(iskander: Organisation) -> Person:
    return Person.objects.create(
        organisation=iskander, name="Jan de Coach", kind=Person.THIRD_PARTY
    )


@pytest.fixture
def complaint(client: Client, clock: Clock, klara: User) -> Complaint:
    clock.set("2027-04-22")
    client.force_login(klara)
    return register(client, "iskander", "2027-04-19", subjects=["Jan Janssen"])


def handler_choices(client: Client, complaint: Complaint) -> dict[str, str]:
    page = client.get(complaint_url(complaint))
    form = action_forms(page.content)["handler_assigned"]
    return {label: value for value, label in form.choices("handler")}


def test_a_third_party_without_an_account_is_assigned_and_the_complaint_proceeds(
    client: Client, complaint: Complaint, coach: Person
) -> None:
    offered = handler_choices(client, complaint)
    assert "Jan de Coach" in offered

    assigned = act(
        client, complaint, "handler_assigned", "2027-04-22", handler=offered["Jan de Coach"]
    )

    assert assigned.status_code == 302, problem(assigned)
    event = stored_log(complaint)[-1]
    assert event.payload["handler"] == "Jan de Coach"
    assert event.payload["handler_id"] == str(coach.pk)
    assert event.people == {}  # no account: nobody gets access by it
    assert not ComplaintParticipant.objects.filter(complaint=complaint).exists()
    page = client.get(complaint_url(complaint))
    assert "Jan de Coach" in parse(page.content).text()
    # The overview names the handler; the register's person id is not for the reader.
    assert "handler_id" not in page.content.decode()
    acknowledged = act(client, complaint, "acknowledged", "2027-04-22")
    assert acknowledged.status_code == 302, problem(acknowledged)
    accepted = act(client, complaint, "accepted", "2027-04-22")
    assert accepted.status_code == 302, problem(accepted)
    for event, fields in (
        ("hearing_invitation_sent", {}),
        ("hearing_held", {"heard": "Jan Janssen"}),
    ):
        response = act(client, complaint, event, "2027-04-22", **fields)
        assert response.status_code == 302, problem(response)
    decided = act(
        client,
        complaint,
        "decision_made",
        "2027-04-22",
        outcome="founded",
        motivation="De coach heeft beide kanten gehoord.",
    )
    assert decided.status_code == 302, problem(decided)


def test_a_member_is_still_posted_by_user_and_recorded_with_her_person(
    client: Client, complaint: Complaint, marieke: User, iskander: Organisation
) -> None:
    assigned = act(client, complaint, "handler_assigned", "2027-04-22", handler=marieke.pk)

    assert assigned.status_code == 302, problem(assigned)
    event = stored_log(complaint)[-1]
    person = Person.objects.get(organisation=iskander, user=marieke)
    assert event.payload["handler_id"] == str(person.pk)
    assert event.people == {"handler": marieke.pk}


@pytest.mark.parametrize("kind", ["third party", "member"])
def test_another_organisations_person_in_an_assignment_is_a_dutch_error_not_a_500(
    client: Client,
    complaint: Complaint,
    organisation: Callable[[str], Organisation],
    kind: str,
) -> None:
    loket3 = organisation("loket3")
    if kind == "third party":
        stranger = Person.objects.create(
            organisation=loket3, name="Els Extern", kind=Person.THIRD_PARTY
        )
        value = f"p{stranger.pk}"
    else:
        user = UserFactory(
            username="els", full_name="Els Elders", memberships=[(loket3, RoleKind.HANDLER)]
        )
        value = str(user.pk)
    before = len(stored_log(complaint))

    response = act(client, complaint, "handler_assigned", "2027-04-22", handler=value)

    assert response.status_code == 400
    error = parse(response.content).find(attrs={"id": "id_handler_assigned_handler_error"})
    assert error is not None
    assert "Kies iemand van de eigen organisatie" in error.text()
    assert len(stored_log(complaint)) == before


@pytest.mark.parametrize("handler_id", ["0", "abc", "99999999999999999999999", "-1"])
def test_an_unknown_person_id_given_to_the_service_is_refused_in_dutch(
    complaint: Complaint, klara: User, handler_id: str
) -> None:
    with pytest.raises(Refusal, match="Alleen mensen van de eigen organisatie"):
        record_event(
            complaint,
            klara,
            complaint.sequence,
            NewEvent(
                Event.HANDLER_ASSIGNED,
                complaint.received_on,
                {"handler": "Jan de Coach", "handler_id": handler_id},
            ),
        )


def test_another_organisations_person_id_given_to_the_service_is_refused(
    complaint: Complaint, klara: User, organisation: Callable[[str], Organisation]
) -> None:
    stranger = Person.objects.create(
        organisation=organisation("loket3"), name="Els Extern", kind=Person.THIRD_PARTY
    )
    with pytest.raises(Refusal, match="Alleen mensen van de eigen organisatie"):
        record_event(
            complaint,
            klara,
            complaint.sequence,
            NewEvent(
                Event.HANDLER_ASSIGNED,
                complaint.received_on,
                {"handler": "Els Extern", "handler_id": str(stranger.pk)},
            ),
        )


def test_a_subject_added_as_m_de_boer_flags_her_as_handler_on_the_page(
    client: Client, complaint: Complaint, marieke: User
) -> None:
    assigned = act(client, complaint, "handler_assigned", "2027-04-22", handler=marieke.pk)
    assert assigned.status_code == 302, problem(assigned)

    corrected = act(
        client,
        complaint,
        "facts_corrected",
        "2027-04-22",
        subjects="Jan Janssen\nM. de Boer",
        reason="De klager noemde ook mevrouw De Boer.",
    )

    assert corrected.status_code == 302, problem(corrected)
    page = client.get(complaint_url(complaint))
    flag = parse(page.content).find(attrs={"id": "impartiality-conflict"})
    assert flag is not None and "Marieke de Boer" in flag.text()
    refused = act(client, complaint, "acknowledged", "2027-04-22")
    assert refused.status_code == 422
    assert "andere behandelaar" in (page_error(refused.content) or "")


@pytest.mark.parametrize(
    "spelling", ["M. de Boer", "Marieke  de Boer", "Marieke\u00a0de Boer", "marieke de\u200bboer"]
)
def test_a_subject_spelled_otherwise_is_still_the_handler_by_identity(
    client: Client, complaint: Complaint, marieke: User, klara: User, spelling: str
) -> None:
    assigned = act(client, complaint, "handler_assigned", "2027-04-22", handler=marieke.pk)
    assert assigned.status_code == 302, problem(assigned)
    complaint.refresh_from_db()

    # Through the service, as an import or another caller would: the name is not normalised.
    correct_facts(
        complaint,
        klara,
        complaint.sequence,
        complaint.received_on.replace(day=22),
        {"subjects": ["Jan Janssen", spelling]},
        "De klager noemde ook mevrouw De Boer.",
    )

    complaint.refresh_from_db()
    conflict = lifecycle_of(complaint).rules.impartiality_conflict(lifecycle_of(complaint).progress)
    assert conflict is not None
    assert "Marieke de Boer" in conflict.render()


def test_a_member_confirmed_to_be_someone_else_no_longer_holds_up_the_handling(
    client: Client, complaint: Complaint, marieke: User, klara: User
) -> None:
    act(client, complaint, "handler_assigned", "2027-04-22", handler=marieke.pk)
    act(
        client,
        complaint,
        "facts_corrected",
        "2027-04-22",
        subjects="Jan Janssen\nM. de Boer",
        reason="De klager noemde ook mevrouw De Boer.",
    )
    lookalike = complaint.people.get(relation="lookalike")

    from klachtenregister.register.services import confirm_different_person

    confirm_different_person(complaint, klara, lookalike.pk)

    assert stored_log(complaint)[-1].payload["cleared"] == [str(lookalike.person_id)]
    page = client.get(complaint_url(complaint))
    assert parse(page.content).find(attrs={"id": "impartiality-conflict"}) is None
    acknowledged = act(client, complaint, "acknowledged", "2027-04-22")
    assert acknowledged.status_code == 302, problem(acknowledged)


def test_a_third_party_sits_on_the_committee_beside_a_member(
    client: Client, staff: Staff, organisation: Callable[[str], Organisation], clock: Clock
) -> None:
    integratiewerk = organisation("integratiewerk")
    annelies = UserFactory(
        username="annelies",
        full_name="Annelies Brouwer",
        memberships=[(integratiewerk, RoleKind.COMMITTEE)],
        email="",
    )
    external = Person.objects.create(
        organisation=integratiewerk, name="mr. K. Benali", kind=Person.THIRD_PARTY
    )
    clock.set("2027-04-22")
    client.force_login(staff(integratiewerk, email=""))
    complaint = register(client, "integratiewerk", "2027-04-22")

    appointed = act(
        client,
        complaint,
        "committee_appointed",
        "2027-04-22",
        members=[annelies.pk, f"p{external.pk}"],
        chair=f"p{external.pk}",
    )

    assert appointed.status_code == 302, problem(appointed)
    event = stored_log(complaint)[-1]
    assert event.payload["members"] == ["Annelies Brouwer", "mr. K. Benali"]
    assert event.payload["chair"] == "mr. K. Benali"
    annelies_person = Person.objects.get(organisation=integratiewerk, user=annelies)
    assert event.payload["member_ids"] == [str(annelies_person.pk), str(external.pk)]
    assert event.people == {"members": [annelies.pk]}
