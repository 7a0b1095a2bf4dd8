"""Who sees which complaint and who may act on it (``klachtenregister.register.access``).

The cast, at Iskander: Klara (coordinator), Dirk (director), Mira (manager), Piet and Anna
(procesverantwoordelijken, kind handler), Emma (employee), and Jan Jansen, a coordinator whom
complaint 0001 is about. Ina is IN FOCUS Samen's coordinator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import AnonymousUser, User

from klachtenregister.register import access
from klachtenregister.register.errors import Forbidden, NotFound, NotPermitted, Refusal
from klachtenregister.register.models import Complaint, ComplaintParticipant, Organisation
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.loader import load_preset
from klachtenregister.regulations.vocabulary import Event, RoleKind
from tests.factories import UserFactory
from tests.support.complaints import complaint_data, day, record

ISKANDER = load_preset("iskander")
K = RoleKind
PV, KF = "procesverantwoordelijke", "klachtenfunctionaris"


@dataclass
class Cast:
    klara: User
    dirk: User
    mira: User
    piet: User
    anna: User
    emma: User
    jan: User
    ina: User
    about_jan: Complaint  # ISK-2027-0001: Jan Jansen is its subject
    plain: Complaint  # ISK-2027-0002: about nobody with an account
    piets: Complaint  # ISK-2027-0003: Piet is its handler
    elsewhere: Complaint  # IFS-2027-0001


@pytest.fixture
def cast(iskander: Organisation, infocus: Organisation, today: Any) -> Cast:
    people = [
        ("klara", "Klara Klachtenfunctionaris", iskander, K.COORDINATOR),
        ("dirk", "Dirk Directeur", iskander, K.DIRECTOR),
        ("mira", "Mira Manager", iskander, K.MANAGER),
        ("piet", "Piet Pietersen", iskander, K.HANDLER),
        ("anna", "Anna Andersen", iskander, K.HANDLER),
        ("emma", "Emma Medewerker", iskander, K.EMPLOYEE),
        ("jan", "Jan Jansen", iskander, K.COORDINATOR),
        ("ina", "Ina Focus", infocus, K.COORDINATOR),
    ]
    users = {
        username: UserFactory(username=username, full_name=name, memberships=[(org, kind)])
        for username, name, org, kind in people
    }
    klara = users["klara"]
    today.set("2027-04-20")
    about_jan = register_complaint(
        iskander, klara, complaint_data("2027-04-19", subjects=[("Jan Jansen", users["jan"])])
    )
    plain = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    piets = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    record(
        piets,
        klara,
        "handler_assigned",
        "2027-04-20",
        {"handler": "Piet Pietersen"},
        {"handler": users["piet"].pk},
    )
    elsewhere = register_complaint(infocus, users["ina"], complaint_data("2027-04-19"))
    return Cast(**users, about_jan=about_jan, plain=plain, piets=piets, elsewhere=elsewhere)


def _visible(user: Any, organisation: Organisation) -> list[str]:
    return sorted(access.visible_complaints(user, organisation).values_list("reference", flat=True))


# --- organisations -------------------------------------------------------------------------------


def test_a_user_sees_only_their_own_organisations(cast: Cast, iskander: Organisation) -> None:
    assert [o.slug for o in access.organisations_of(cast.klara)] == ["iskander"]
    assert access.organisation_for(cast.klara, "iskander") == iskander
    for slug in ("infocus-samen", "bestaat-niet"):
        with pytest.raises(NotFound):
            access.organisation_for(cast.klara, slug)
    with pytest.raises(NotFound):
        access.organisation_for(AnonymousUser(), "iskander")


def test_another_organisations_complaint_is_not_found(
    cast: Cast, iskander: Organisation, infocus: Organisation
) -> None:
    # Asked for under her own organisation, IN FOCUS Samen's complaint does not exist for Klara.
    with pytest.raises(NotFound):
        access.complaint_for(cast.klara, iskander, cast.elsewhere.reference)
    with pytest.raises(NotFound):
        access.complaint_for(cast.klara, iskander, "ISK-2027-0099")
    # And Ina sees nothing of Iskander, even when she names a reference that exists.
    assert _visible(cast.ina, iskander) == []
    assert _visible(cast.klara, infocus) == []
    with pytest.raises((NotFound, Forbidden)):
        access.complaint_for(cast.ina, iskander, "ISK-2027-0002")


# --- who sees what -----------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["klara", "dirk", "mira"])
def test_coordinator_director_and_manager_see_every_complaint_of_their_organisation(
    cast: Cast, iskander: Organisation, name: str
) -> None:
    user = getattr(cast, name)
    assert _visible(user, iskander) == ["ISK-2027-0001", "ISK-2027-0002", "ISK-2027-0003"]
    for complaint in (cast.about_jan, cast.plain, cast.piets):
        assert access.complaint_for(user, iskander, complaint.reference) == complaint


def test_a_handler_sees_only_what_they_are_assigned_to(
    cast: Cast, iskander: Organisation, today: Any
) -> None:
    assert _visible(cast.piet, iskander) == ["ISK-2027-0003"]
    assert access.complaint_for(cast.piet, iskander, "ISK-2027-0003") == cast.piets
    with pytest.raises(Forbidden) as denied:
        access.complaint_for(cast.piet, iskander, "ISK-2027-0002")
    assert "ISK-2027-0002" in str(denied.value)
    assert _visible(cast.anna, iskander) == []

    # Reassigned to Anna: Piet no longer sees it; Anna does.
    record(
        cast.piets,
        cast.klara,
        "handler_assigned",
        "2027-04-20",
        {"handler": "Anna Andersen"},
        {"handler": cast.anna.pk},
    )
    assert _visible(cast.piet, iskander) == []
    assert _visible(cast.anna, iskander) == ["ISK-2027-0003"]
    with pytest.raises(Forbidden):
        access.complaint_for(cast.piet, iskander, "ISK-2027-0003")


def test_staff_see_what_they_registered(smartplus: Organisation, today: Any) -> None:
    """SmartPLUS: every medewerker (kind employee) may take a complaint in; they see the ones
    they registered, not their colleagues'."""
    sam = UserFactory(
        username="sam", full_name="Sam Medewerker", memberships=[(smartplus, K.EMPLOYEE)]
    )
    tes = UserFactory(
        username="tes", full_name="Tes Medewerker", memberships=[(smartplus, K.EMPLOYEE)]
    )
    today.set("2027-04-19")
    sams = register_complaint(smartplus, sam, complaint_data("2027-04-19"))
    register_complaint(smartplus, tes, complaint_data("2027-04-19"))

    assert _visible(sam, smartplus) == ["SP-2027-0001"]
    assert _visible(tes, smartplus) == ["SP-2027-0002"]
    assert access.complaint_for(sam, smartplus, "SP-2027-0001") == sams
    with pytest.raises(Forbidden):
        access.complaint_for(sam, smartplus, "SP-2027-0002")


def test_a_subject_never_sees_the_handling_even_as_coordinator(
    cast: Cast, iskander: Organisation
) -> None:
    assert _visible(cast.jan, iskander) == ["ISK-2027-0002", "ISK-2027-0003"]
    with pytest.raises(Forbidden) as denied:
        access.complaint_for(cast.jan, iskander, "ISK-2027-0001")
    assert "gaat over u" in str(denied.value)
    assert access.complaint_for(cast.jan, iskander, "ISK-2027-0002") == cast.plain


def test_someone_involved_in_the_conduct_does_not_see_it_either(
    iskander: Organisation, cast: Cast, today: Any
) -> None:
    involved = register_complaint(
        iskander,
        cast.klara,
        complaint_data("2027-04-19", involved=[("Dirk Directeur", cast.dirk)]),
    )
    assert involved.reference not in _visible(cast.dirk, iskander)
    with pytest.raises(Forbidden):
        access.complaint_for(cast.dirk, iskander, involved.reference)
    assert access.acting_kinds(cast.dirk, involved) == frozenset()


def test_an_anonymous_user_sees_nothing(cast: Cast, iskander: Organisation) -> None:
    assert _visible(AnonymousUser(), iskander) == []
    with pytest.raises((NotFound, Forbidden)):
        access.complaint_for(AnonymousUser(), iskander, "ISK-2027-0002")


# --- acting roles --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kinds", "allowed", "role"),
    [
        # handler_assigned: both may; the regulation lists the procesverantwoordelijke first.
        ({K.COORDINATOR}, [PV, KF], KF),
        ({K.HANDLER}, [PV, KF], PV),
        ({K.HANDLER, K.COORDINATOR}, [PV, KF], PV),
        ({K.HANDLER, K.COORDINATOR}, [KF, PV], PV),  # the regulation's order, not the caller's
        # acknowledged: only the klachtenfunctionaris.
        ({K.HANDLER, K.COORDINATOR}, [KF], KF),
        ({K.HANDLER}, [KF], None),
        ({K.DIRECTOR, K.EMPLOYEE}, [KF], None),
        ({K.COORDINATOR}, [], None),
        (set(), [KF], None),
    ],
)
def test_acting_role_is_the_first_role_of_a_held_kind_that_may(
    kinds: set[RoleKind], allowed: list[str], role: str | None
) -> None:
    assert access.acting_role(ISKANDER, kinds, allowed) == role


def test_membership_kinds(cast: Cast, iskander: Organisation, infocus: Organisation) -> None:
    assert access.kinds_in(cast.klara, iskander) == {K.COORDINATOR}
    assert access.kinds_in(cast.klara, infocus) == frozenset()
    assert access.acting_kinds(cast.klara, cast.plain) == {K.COORDINATOR}
    assert access.acting_kinds(cast.ina, cast.plain) == frozenset()


def test_an_assigned_employee_is_a_handler_for_that_complaint_only(
    cast: Cast, iskander: Organisation, today: Any
) -> None:
    record(
        cast.piets,
        cast.klara,
        "handler_assigned",
        "2027-04-20",
        {"handler": "Emma Medewerker"},
        {"handler": cast.emma.pk},
    )

    assert access.acting_kinds(cast.emma, cast.piets) == {K.EMPLOYEE, K.HANDLER}
    # On a complaint she is not assigned to she holds no role at all: she cannot open it.
    assert access.acting_kinds(cast.emma, cast.plain) == frozenset()
    assert _visible(cast.emma, iskander) == ["ISK-2027-0003"]
    # Piet, no longer assigned, can no longer act on it.
    assert access.acting_kinds(cast.piet, cast.piets) == frozenset()

    rows = record(cast.piets, cast.emma, "accepted", "2027-04-20")
    assert (rows[0].role, rows[0].actor) == ("procesverantwoordelijke", cast.emma)
    with pytest.raises(NotPermitted):
        record(cast.plain, cast.emma, "accepted", "2027-04-20")


def test_a_committee_member_acts_as_committee_on_that_complaint_only(
    infocus: Organisation, today: Any
) -> None:
    ina = UserFactory(username="ina", full_name="Ina Focus", memberships=[(infocus, K.COORDINATOR)])
    ans, bob = (
        UserFactory(username=n, full_name=f"{n.title()} Lid", memberships=[(infocus, K.EMPLOYEE)])
        for n in ("ans", "bob")
    )
    today.set("2027-04-19")
    first = register_complaint(infocus, ina, complaint_data("2027-04-19"))
    second = register_complaint(infocus, ina, complaint_data("2027-04-19"))
    record(
        first,
        ina,
        "committee_appointed",
        "2027-04-19",
        {"members": ["Ans Lid", "Bob Lid"]},
        {"members": [ans.pk, bob.pk]},
    )

    assert access.acting_kinds(ans, first) == {K.EMPLOYEE, K.COMMITTEE}
    assert access.acting_kinds(ans, second) == frozenset()  # not hers to open
    assert _visible(bob, infocus) == ["IFS-2027-0001"]
    with pytest.raises(NotPermitted):
        record(second, ans, "registered", "2027-04-19")


def test_a_subject_never_gets_a_role(cast: Cast, iskander: Organisation) -> None:
    assert access.kinds_in(cast.jan, iskander) == {K.COORDINATOR}
    assert access.acting_kinds(cast.jan, cast.about_jan) == frozenset()
    assert access.acting_kinds(cast.jan, cast.plain) == {K.COORDINATOR}
    before = cast.about_jan.sequence
    with pytest.raises(NotPermitted):
        record(cast.about_jan, cast.jan, "acknowledged", "2027-04-20")
    cast.about_jan.refresh_from_db()
    assert cast.about_jan.sequence == before


def test_a_subject_cannot_be_named_handler(cast: Cast) -> None:
    before = cast.about_jan.sequence

    with pytest.raises(Refusal) as refused:
        record(
            cast.about_jan,
            cast.klara,
            "handler_assigned",
            "2027-04-20",
            {"handler": "Jan Jansen"},
            {"handler": cast.jan.pk},
        )

    assert "Jan Jansen" in refused.value.message
    cast.about_jan.refresh_from_db()
    assert cast.about_jan.sequence == before
    assert not ComplaintParticipant.objects.filter(complaint=cast.about_jan).exists()


def test_a_subject_cannot_be_assigned_by_user_under_another_spelling(
    iskander: Organisation, cast: Cast, today: Any
) -> None:
    spelled = register_complaint(
        iskander, cast.klara, complaint_data("2027-04-19", subjects=[("J. Jansen", cast.jan)])
    )
    with pytest.raises(Refusal):
        record(
            spelled,
            cast.klara,
            "handler_assigned",
            "2027-04-20",
            {"handler": "Jan Jansen"},
            {"handler": cast.jan.pk},
        )
    assert not ComplaintParticipant.objects.filter(complaint=spelled).exists()


def test_acting_on_a_complaint_uses_the_kinds_for_that_complaint(
    cast: Cast, iskander: Organisation, today: Any
) -> None:
    """Klara acknowledges as klachtenfunctionaris; Piet, assigned, holds the consultation as
    procesverantwoordelijke. Anna holds the handler kind by membership but is not assigned: she
    can neither open Piet's complaint nor act on it."""
    rows = record(cast.piets, cast.klara, "acknowledged", "2027-04-20")
    assert rows[0].role == "klachtenfunctionaris"
    rows = record(
        cast.piets, cast.piet, "consultation_held", "2027-04-20", {"outcome": "agreement"}
    )
    assert rows[0].role == "procesverantwoordelijke"
    assert cast.piets.events.get(event=Event.CONSULTATION_HELD.value).on == day("2027-04-20")

    with pytest.raises(Forbidden):
        access.complaint_for(cast.anna, iskander, cast.piets.reference)
    assert access.acting_kinds(cast.anna, cast.piets) == frozenset()
    with pytest.raises(NotPermitted):
        record(cast.piets, cast.anna, "resolved_informally", "2027-04-20")
    assert not cast.piets.events.filter(event=Event.RESOLVED_INFORMALLY.value).exists()
