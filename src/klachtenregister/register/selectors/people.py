"""Reads of the people of an organisation, as the pages offer or link them."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from django.contrib.auth.models import User

from klachtenregister.lifecycle.identity import name_key
from klachtenregister.register import memo
from klachtenregister.register.models import (
    Complaint,
    ComplaintParticipant,
    ComplaintPerson,
    Membership,
    Organisation,
    Person,
    person_name,
)
from klachtenregister.register.names import may_be_same


def members_of(organisation: Organisation) -> list[Membership]:
    """The organisation's memberships with their users: one query, once per request (the
    handler choices and the letters' addressees on one page read the same)."""
    return memo.remembered(
        ("members", organisation.pk),
        lambda: list(
            Membership.objects.filter(organisation_id=organisation.pk)
            .select_related("user")
            .order_by("pk")
        ),
    )


def people_of(organisation: Organisation) -> list[Person]:
    """The organisation's people (employees with their first membership, third parties added
    in the admin), by name: whom the registration form offers as subjects and involved."""
    return list(Person.objects.filter(organisation_id=organisation.pk).order_by("name", "pk"))


def members_by_name(organisation: Organisation) -> dict[str, User]:
    """The organisation's users by the name events use and by user name, case-folded, so a
    subject named at registration is linked to the user (who then cannot open the handling)."""
    members: dict[str, User] = {}
    for membership in members_of(organisation):
        user = membership.user
        # Keyed as names compare (lifecycle.identity.name_key): case, double and no-break
        # spaces and invisible characters do not hide a member.
        members.setdefault(name_key(person_name(user)), user)
        members.setdefault(name_key(user.get_username()), user)
    return members


def lookalikes(names: Iterable[str], members: Mapping[str, User]) -> dict[str, list[User]]:
    """Per name, the members whose name may be the same person's ("M. de Boer" and Marieke de
    Boer: ``register.names.may_be_same``), by name; ``members`` as ``members_by_name`` gives
    them. Names without such a member are left out. The caller leaves out the names it has
    linked to a member already."""
    users = {user.pk: user for user in members.values()}
    found: dict[str, list[User]] = {}
    for name in names:
        alike = sorted(
            (user for user in users.values() if may_be_same(name, person_name(user))),
            key=lambda user: person_name(user).casefold(),
        )
        if alike:
            found[name] = alike
    return found


def handler_candidates(complaint: Complaint) -> list[User]:
    """Members of the organisation who may handle this complaint: not its subjects or those
    involved (by user or by name), sorted by name."""
    people = list(complaint.people.all())
    excluded_names = {p.name.casefold() for p in people}
    excluded_users = {p.user_id for p in people if p.user_id}
    users: dict[int, User] = {}
    for membership in members_of(complaint.organisation):
        user = membership.user
        if user.pk in excluded_users or person_name(user).casefold() in excluded_names:
            continue
        users[user.pk] = user
    return sorted(users.values(), key=lambda u: person_name(u).casefold())


def assignable_people(complaint: Complaint) -> list[Person]:
    """The organisation's people who may handle this complaint or sit on its committee (issue
    16 §2): its current members and its third parties without an account (an external
    handler), none of the complaint's subjects, those involved or those kept out for a
    resembling name (by person, by user or by name), sorted by name."""
    rows = list(complaint.people.all())
    excluded_people = {row.person_id for row in rows if row.person_id is not None}
    excluded_users = {row.user_id for row in rows if row.user_id is not None}
    excluded_names = {name_key(row.name) for row in rows}
    members = {membership.user_id for membership in members_of(complaint.organisation)}
    found = []
    for person in Person.objects.filter(organisation_id=complaint.organisation_id).select_related(
        "user"
    ):
        if person.user_id is not None and person.user_id not in members:
            continue  # a former member
        if (
            person.pk in excluded_people
            or person.user_id in excluded_users
            or name_key(assigned_name(person)) in excluded_names
        ):
            continue
        found.append(person)
    return sorted(found, key=lambda person: (name_key(assigned_name(person)), person.pk))


def assigned_name(person: Person) -> str:
    """How an assignment names the person: a member as the events name users, a third party
    by the person's name."""
    return person_name(person.user) if person.user is not None else person.name


def handlers(organisation: Organisation) -> list[tuple[int, str]]:
    """Whom a handler filter offers: the organisation's members, who may each handle a complaint
    (``handler_candidates``), as (user id, name) by name. One small query whatever the number of
    complaints; a former member's complaints are still found by their id in the URL."""
    users = {m.user.pk: m.user for m in members_of(organisation)}
    return sorted(
        ((pk, person_name(user)) for pk, user in users.items()), key=lambda item: item[1].casefold()
    )


def subject_names(complaint: Complaint) -> list[str]:
    """The names of the people the complaint is about, as registered."""
    return [p.name for p in complaint.people.all() if p.relation == ComplaintPerson.SUBJECT]


def kept_out_lookalikes(complaint: Complaint) -> list[tuple[ComplaintPerson, list[str]]]:
    """The members kept out of the complaint because their name resembles a subject's or an
    involved person's, each with the names it resembles."""
    # complaint_for prefetches the people with their users: no query of its own.
    people = list(complaint.people.all())
    named = [p.name for p in people if p.relation != ComplaintPerson.LOOKALIKE]
    return [
        (person, [name for name in named if may_be_same(name, person.name)])
        for person in people
        if person.relation == ComplaintPerson.LOOKALIKE
    ]


def participant_users(complaint: Complaint) -> list[User]:
    """The users who take part in handling the complaint (handlers, committee members), in a
    fixed order: by capacity, then in the order they were linked."""
    return [
        participant.user
        for participant in ComplaintParticipant.objects.filter(complaint=complaint)
        .select_related("user")
        .order_by("capacity", "pk")
    ]


def participants_of(complaint: Complaint) -> tuple[list[str], list[str]]:
    """The complaint's current handlers and committee members, by name, as the log says now
    (the projection's participant rows)."""
    handlers: list[str] = []
    committee: list[str] = []
    # complaint_for prefetched them with their users.
    for participant in sorted(complaint.participants.all(), key=lambda p: p.pk):
        names = handlers if participant.capacity == ComplaintParticipant.HANDLER else committee
        names.append(person_name(participant.user))
    return handlers, committee
