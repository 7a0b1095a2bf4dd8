"""Writing to a complaint's log: registration and every later event (the write side).

Each write is one transaction that locks the complaint row, checks the caller's view of it is
current (optimistic locking on the event sequence), asks the engine, appends the events and
rewrites what is derived from them (``projection``). A refused or conflicting write
changes nothing.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from django.contrib.auth.models import User
from django.core.files.base import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, connection, models, transaction
from django.utils.translation import gettext as _
from pydantic import ValidationError

from klachtenregister.lifecycle import EventRecord, Lifecycle, Refused, Snapshot, record
from klachtenregister.lifecycle.events import CORRECTABLE_FACTS, LIST_FACTS, SYSTEM_ACTOR
from klachtenregister.lifecycle.identity import name_key
from klachtenregister.register import access, clock, memo, personal
from klachtenregister.register.errors import (
    Conflict,
    InvalidDetails,
    NotPermitted,
    Refusal,
)
from klachtenregister.register.models import (
    Complaint,
    ComplaintEvent,
    ComplaintPerson,
    Document,
    Membership,
    Organisation,
    Person,
    ReferenceCounter,
    RegistrationSubmission,
    person_name,
)
from klachtenregister.register.models.complaints import FORM_OF_ADDRESS_NEUTRAL
from klachtenregister.register.names import may_be_same
from klachtenregister.register.projection import project
from klachtenregister.register.selectors.history import (
    facts_of,
    kept_out_ids,
    lifecycle_of,
    payload_of,
    record_of,
    regulation_of,
)
from klachtenregister.register.selectors.people import lookalikes, members_by_name
from klachtenregister.register.selectors.regulations import regulation_version_for
from klachtenregister.regulations.labels import EVENT_LABELS
from klachtenregister.regulations.vocabulary import Event, RoleKind


@dataclass(frozen=True)
class NewEvent:
    """An event as a person enters it: the date, the details, and the users behind names."""

    event: Event
    on: dt.date
    details: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    files: Sequence[UploadedFile] = ()
    file_description: str = ""
    # A correction of the subjects: the organisation's people (``Person`` ids) among them, who
    # stay linked whatever the names (``correct_facts``); None when the correction gives names
    # only.
    subject_people: Sequence[int] | None = None


@dataclass(frozen=True)
class ComplaintData:
    """What is known of a complaint when it is registered, besides its first event."""

    received_on: dt.date
    channel: str
    description: str
    anonymous: bool = False
    facts_date: dt.date | None = None
    # The day the complainant learned of the conduct, where a time limit counts from it.
    learned_on: dt.date | None = None
    complainant_name: str = ""
    complainant_email: str = ""
    complainant_phone: str = ""
    complainant_address: str = ""
    complainant_language: str = "nl"
    form_of_address: str = "neutral"  # models.complaints.FORM_OF_ADDRESS_CHOICES
    representative_name: str = ""
    representative_capacity: str = ""
    category: str = ""
    commissioning_party: str = ""
    uwv_client: bool = False
    # The manager concerned (Complaint.manager_name), and the member it names, if any.
    manager_name: str = ""
    manager: User | None = None
    subjects: Sequence[tuple[str, User | None]] = ()  # (name, user or None)
    involved: Sequence[tuple[str, User | None]] = ()
    # Subjects and involved people chosen from the organisation's people (issue 16 §2): linked
    # by who they are; the names above are the ones typed (people outside the organisation, or
    # a member's exact name, which is linked to the member too).
    subject_people: Sequence[Person] = ()
    involved_people: Sequence[Person] = ()
    # Names of subjects and involved people that the registrar confirmed are none of the
    # members their name resembles ("M. de Boer" is not Marieke de Boer): those members are not
    # kept out of the complaint. Every other resemblance keeps the member out.
    different_people: frozenset[str] = frozenset()
    # Intake (issue 14 §3): per precondition id of the regulation, whether it was met (only the
    # ones asked); recorded in the receipt's details.
    preconditions: Mapping[str, bool] = field(default_factory=dict)


def _event_label(event: Event) -> str:
    return _(EVENT_LABELS[event])


def _role_or_none(
    user: User,
    complaint: Complaint,
    lifecycle: Lifecycle,
    event: Event,
    kinds: frozenset[RoleKind] | None = None,
) -> str | None:
    """The user's role for the event; ``kinds``: their acting kinds for the complaint, when the
    caller has them already (they read its people and participants)."""
    if kinds is None:
        kinds = access.acting_kinds(user, complaint)
    return access.role_for_event(lifecycle.regulation, kinds, event)


def _role_for(
    user: User,
    complaint: Complaint,
    lifecycle: Lifecycle,
    event: Event,
    kinds: frozenset[RoleKind] | None = None,
) -> str:
    role = _role_or_none(user, complaint, lifecycle, event, kinds)
    if role is None:
        allowed = access.allowed_roles(lifecycle.regulation, event)
        raise NotPermitted(
            _(
                "U heeft geen rol die '%(event)s' mag vastleggen; volgens het reglement mag "
                "dat: %(roles)s."
            )
            % {"event": _event_label(event), "roles": ", ".join(allowed) or "-"}
        )
    return role


def _engine_record(new: NewEvent, role: str) -> EventRecord:
    if "role" in new.details:
        # The role follows from the user's memberships; a caller cannot choose it.
        raise InvalidDetails(
            _("De gegevens van '%(event)s' kloppen niet: %(problems)s")
            % {"event": _event_label(new.event), "problems": _("de rol wordt niet opgegeven")}
        )
    try:
        return record(new.on, new.event, role=role, **new.details)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or _('gegevens')}: {error['msg']}"
            for error in exc.errors()
        )
        raise InvalidDetails(
            _("De gegevens van '%(event)s' kloppen niet: %(problems)s")
            % {"event": _event_label(new.event), "problems": problems}
        ) from exc


# The details that say who an assigned person is (``lifecycle.events``), per event.
IDENTITY_DETAILS = {Event.HANDLER_ASSIGNED: "handler_id", Event.COMMITTEE_APPOINTED: "member_ids"}


def _named_ids(new: NewEvent) -> list[str]:
    field_name = IDENTITY_DETAILS.get(new.event)
    value = new.details.get(field_name) if field_name else None
    if value is None:
        return []
    return [str(item) for item in (value if isinstance(value, list) else [value])]


def _with_identities(complaint: Complaint, new: NewEvent) -> NewEvent:
    """An assignment says who each assigned person is (issue 16 §2): the organisation's
    person's id beside the name. A caller that names the users only (``people``) gets their
    people's ids filled in; ids given must be people of the complaint's organisation."""
    field_name = IDENTITY_DETAILS.get(new.event)
    if field_name is None:
        return new
    ids = _named_ids(new)
    if ids:
        numeric = [int(pid) for pid in ids if pid.isascii() and pid.isdigit() and len(pid) < 19]
        found = Person.objects.filter(organisation_id=complaint.organisation_id, pk__in=numeric)
        if len(numeric) != len(ids) or found.count() != len(set(numeric)):
            raise Refusal(_("Alleen mensen van de eigen organisatie kunnen worden aangewezen."))
        return new
    people_key = "handler" if new.event == Event.HANDLER_ASSIGNED else "members"
    users = new.people.get(people_key)
    if users is None:
        return new
    user_ids = users if isinstance(users, list) else [users]
    by_user = _people_by_user(complaint.organisation_id)
    persons = [by_user.get(user_id) for user_id in user_ids]
    if any(person is None for person in persons):
        return new  # not all linked: judged by name (_check_people refuses non-members)
    pids = [str(person.pk) for person in persons if person is not None]
    names = new.details.get(people_key)
    if new.event == Event.COMMITTEE_APPOINTED and (
        not isinstance(names, list) or len(names) != len(pids)
    ):
        return new
    value: object = pids if new.event == Event.COMMITTEE_APPOINTED else pids[0]
    return replace(new, details={**new.details, field_name: value})


def _check_people(complaint: Complaint, new: NewEvent) -> None:
    """The people an event names (handler, committee) belong to the organisation and are none
    of the complaint's subjects or those involved, whatever name the event gives them: by user
    for members, by person for a third party without an account."""
    named = {
        user_id
        for value in new.people.values()
        for user_id in (value if isinstance(value, list) else [value])
    }
    person_ids = [int(pid) for pid in _named_ids(new) if pid.isascii() and pid.isdigit()]
    if person_ids:
        for person in complaint.people.filter(person_id__in=person_ids):
            _refuse_partial(person)
    if not named:
        return
    members = set(
        Membership.objects.filter(
            organisation=complaint.organisation, user_id__in=named
        ).values_list("user_id", flat=True)
    )
    if named - members:
        raise Refusal(_("Alleen mensen van de eigen organisatie kunnen worden aangewezen."))
    for person in complaint.people.filter(user_id__in=named):
        _refuse_partial(person)


def _refuse_partial(person: ComplaintPerson) -> None:
    """Refuse to assign someone the complaint names (``person``: their row on it)."""
    if person.relation == ComplaintPerson.LOOKALIKE:
        raise Refusal(
            _(
                "%(name)s kan de klacht niet behandelen: die naam lijkt op die van een "
                "beklaagde of betrokkene. Is het iemand anders, bevestig dat dan eerst bij "
                "'Uitgesloten leden' op de pagina van de klacht."
            )
            % {"name": person.name}
        )
    raise Refusal(
        _(
            "%(name)s kan de klacht niet behandelen: de klacht gaat over %(name)s of %(name)s "
            "was erbij betrokken."
        )
        % {"name": person.name}
    )


def _check_date(on: dt.date) -> None:
    today = clock.today()
    if on > today:
        raise Refusal(
            _(
                "De datum %(date)s ligt in de toekomst; leg vast wat gebeurd is "
                "(vandaag is %(today)s)."
            )
            % {"date": on.isoformat(), "today": today.isoformat()}
        )


def _append(
    complaint: Complaint,
    lifecycle: Lifecycle,
    actor: User,
    new_events: Sequence[NewEvent],
    kinds: frozenset[RoleKind] | None = None,
) -> list[ComplaintEvent]:
    """Apply the events to the locked complaint's lifecycle and store them with what the engine
    carried out by itself before them; then rewrite the derived rows. ``kinds``: the actor's
    acting kinds for the complaint, if the caller read them already."""
    rows: list[ComplaintEvent] = []
    sequence = complaint.sequence
    for new in new_events:
        _check_date(new.on)
        new = _with_identities(complaint, new)
        _check_people(complaint, new)
        if new.event is Event.FACTS_CORRECTED:
            new = _with_subject_ids(complaint, new)
            new, lifecycle = _receipt_under_its_version(complaint, lifecycle, new)
            kinds = None  # the correction may change the subjects: who is kept out
        if kinds is None:
            # Once for all the events: who takes part changes only when they are projected.
            kinds = access.acting_kinds(actor, complaint)
        role = _role_for(actor, complaint, lifecycle, new.event, kinds)
        try:
            recorded = lifecycle.apply(_engine_record(new, role))
        except Refused as exc:
            raise Refusal(exc.refusal.render(_)) from exc
        if new.event is Event.FACTS_CORRECTED:
            _check_unchanged(complaint, new)
            # Terms counted again from an earlier day of receipt may have run out before today:
            # what the regulation then does by itself is stored now, not left to the watch.
            recorded = [*recorded, *lifecycle.advance(new.on)]
        for item in recorded:
            sequence += 1
            rows.append(_store(complaint, sequence, item, actor, new.people))
        if new.event is Event.FACTS_CORRECTED:
            # After its log row: the database lets the facts change only by a correction the
            # log already holds (migration 0016).
            _apply_corrections(complaint, new)
            kinds = None  # the corrected subjects decide who is kept out from here on
        for upload in new.files:
            attach(complaint, upload, actor, event=rows[-1], description=new.file_description)
    complaint.sequence = sequence
    project(complaint, lifecycle, rows)
    return rows


def fact_value(complaint: Complaint, name: str) -> str | list[str] | None:
    """A correctable fact of the complaint as a correction records it: text, a date as
    YYYY-MM-DD, None for no date; the subjects as their names."""
    if name == "subjects":
        return sorted(
            p.name for p in complaint.people.all() if p.relation == ComplaintPerson.SUBJECT
        )
    value = getattr(complaint, name)
    if isinstance(value, dt.date):
        return value.isoformat()
    return None if value is None else str(value)


def _same_value(name: str, old: object, new: object) -> bool:
    if name in LIST_FACTS:
        return set(old or []) == set(new or [])  # type: ignore[call-overload]
    return (old or None) == (new or None)


def fact_changes(complaint: Complaint, values: dict[str, object]) -> dict[str, dict[str, Any]]:
    """Per fact whose new value differs from the complaint's current one: old and new, as
    ``facts_corrected`` records them. Facts that are not correctable are refused."""
    unknown = sorted(set(values) - set(CORRECTABLE_FACTS))
    if unknown:
        raise InvalidDetails(
            _("Deze gegevens kunnen niet worden gecorrigeerd: %(fields)s")
            % {"fields": ", ".join(unknown)}
        )
    changes: dict[str, dict[str, Any]] = {}
    for name in CORRECTABLE_FACTS:
        if name not in values:
            continue
        value = values[name]
        new: object
        if name == "subjects":
            new = _subject_names(complaint, value if isinstance(value, list | tuple) else [])
        else:
            new = value.isoformat() if isinstance(value, dt.date) else (value or None)
        old = fact_value(complaint, name)
        if not _same_value(name, old, new):
            changes[name] = {"old": old, "new": new}
    return changes


def _subject_names(complaint: Complaint, names: Sequence[object]) -> list[str]:
    """The corrected subject list as it is recorded: a name the complaint does not have yet that
    names a member of the organisation (by name or user name) becomes the member's name as the
    events name them, so the impartiality rules, which compare names, see a handler named
    "piet" as the handler "Piet Pietersen". An item that is one of the organisation's people
    (a ``Person``) is recorded by the name the complaint already gives them, else by theirs."""
    rows = list(complaint.people.filter(relation=ComplaintPerson.SUBJECT))
    current = {row.name for row in rows}
    by_person = {row.person_id: row.name for row in rows if row.person_id is not None}
    members = members_by_name(complaint.organisation)
    result: list[str] = []
    for item in names:
        if isinstance(item, Person):
            if item.organisation_id != complaint.organisation_id:
                raise Refusal(_("Alleen mensen van de eigen organisatie kunnen worden gekozen."))
            name = by_person.get(item.pk, item.name)
            if name not in result:
                result.append(name)
            continue
        name = str(item).strip()
        member = None if name in current else members.get(name_key(name))
        name = person_name(member) if member is not None else name
        if name and name not in result:
            result.append(name)
    return result


def _receipt_under_its_version(
    complaint: Complaint, lifecycle: Lifecycle, new: NewEvent
) -> tuple[NewEvent, Lifecycle]:
    """A corrected day of receipt puts the complaint under the regulation version in force on
    that day. When that is another version, the whole stored log is replayed under it (and the
    correction refused when the log does not fit it), and the correction records both
    versions. The reference number stays what it was."""
    change = (new.details.get("changes") or {}).get("received_on")
    if not isinstance(change, dict) or not isinstance(change.get("new"), str):
        return new, lifecycle
    try:
        received_on = dt.date.fromisoformat(change["new"])
    except ValueError:
        return new, lifecycle  # the engine refuses the details with the others
    old_version = complaint.regulation_version
    version = regulation_version_for(complaint.organisation, received_on)
    if version.pk == old_version.pk:
        return new, lifecycle
    complaint.regulation_version = version
    log = list(personal.with_personal_data(list(complaint.events.order_by("sequence"))))
    replayed = Lifecycle(regulation_of(complaint), facts_of(complaint, log))
    for row in log:
        try:
            replayed.apply(record_of(row))
        except Refused as exc:
            raise Refusal(
                _(
                    "Op %(date)s gold versie %(version)s van het reglement, maar wat al met de "
                    "klacht is gebeurd past daar niet in ('%(event)s' op %(on)s: %(problem)s). "
                    "De ontvangstdatum is niet gecorrigeerd."
                )
                % {
                    "date": received_on.isoformat(),
                    "version": version.version,
                    "event": _event_label(Event(row.event)),
                    "on": row.on.isoformat(),
                    "problem": exc.refusal.render(_),
                }
            ) from exc
    versions = {"old": old_version.version, "new": version.version}
    details = {**new.details, "regulation_version": versions}
    return replace(new, details=details), replayed


def _check_unchanged(complaint: Complaint, new: NewEvent) -> None:
    """The old values the caller of a correction saw must still be the complaint's (else
    someone corrected in between)."""
    changes: dict[str, dict[str, Any]] = new.details.get("changes") or {}
    for name, change in changes.items():
        if name not in CORRECTABLE_FACTS:
            continue  # the engine refuses it with the other details
        if not _same_value(name, fact_value(complaint, name), change.get("old")):
            raise Conflict(
                _(
                    "Iemand anders heeft klacht %(reference)s intussen gewijzigd. Uw actie is "
                    "niet vastgelegd; bekijk de klacht zoals die nu is en probeer het opnieuw."
                )
                % {"reference": complaint.reference}
            )


def _apply_corrections(complaint: Complaint, new: NewEvent) -> None:
    """A correction of facts: the locked complaint's columns (and its subjects' rows) are the
    current facts, so they take the new values; the old ones stay in the log."""
    changes: dict[str, dict[str, Any]] = new.details.get("changes") or {}
    updated = []
    for name, change in changes.items():
        value = change.get("new")
        if name == "subjects":
            _replace_subjects(complaint, list(value or []), new.subject_people)
            continue
        field = Complaint._meta.get_field(name)
        if isinstance(field, models.DateField):
            setattr(complaint, name, dt.date.fromisoformat(value) if value else None)
        else:
            setattr(complaint, name, value or "")
        updated.append(name)
        if name == "manager_name":
            # The corrected name names a member, or nobody the register knows: as at registration.
            complaint.manager = (
                members_by_name(complaint.organisation).get(name_key(str(value))) if value else None
            )
            updated.append("manager")
    if "received_on" in changes:
        updated.append("regulation_version")  # _receipt_under_its_version may have moved it
    if updated:
        complaint.save(update_fields=updated)


def _people_by_user(organisation_id: int) -> dict[int, Person]:
    """The organisation's people who have a user, by user id: one query."""
    return {
        person.user_id: person
        for person in Person.objects.filter(organisation_id=organisation_id, user__isnull=False)
        if person.user_id is not None
    }


def _add_people(
    complaint: Complaint,
    relation: str,
    chosen: Sequence[Person],
    typed: Sequence[tuple[str, User | None]],
    by_user: dict[int, Person],
) -> None:
    """A row per person chosen from the organisation's people and per name typed (a typed name
    of a member is linked to the member's person); each person and each name once."""
    names: set[str] = set()
    people: set[int] = set()
    for person in chosen:
        if person.organisation_id != complaint.organisation_id:
            raise Refusal(_("Alleen mensen van de eigen organisatie kunnen worden gekozen."))
        if person.pk in people or person.name in names:
            continue
        ComplaintPerson.objects.create(
            complaint=complaint,
            relation=relation,
            name=person.name,
            user_id=person.user_id,
            person=person,
        )
        names.add(person.name)
        people.add(person.pk)
    for name, user in typed:
        known = by_user.get(user.pk) if user is not None else None
        if name in names or (known is not None and known.pk in people):
            continue
        ComplaintPerson.objects.create(
            complaint=complaint, relation=relation, name=name, user=user, person=known
        )
        names.add(name)


def _add_lookalikes(
    complaint: Complaint, names: Sequence[str], different: frozenset[str] = frozenset()
) -> dict[str, list[str]]:
    """Keep out of the complaint every member whose name resembles one of ``names`` (a
    lookalike row each), except for the names in ``different``; those are returned with the
    members' names they were confirmed not to be."""
    if not names:
        return {}
    present = set(
        complaint.people.filter(relation=ComplaintPerson.LOOKALIKE).values_list(
            "user_id", flat=True
        )
    )
    linked = set(complaint.people.exclude(user=None).values_list("user_id", flat=True))
    confirmed: dict[str, list[str]] = {}
    found = lookalikes(names, members_by_name(complaint.organisation))
    by_user = _people_by_user(complaint.organisation_id) if found else {}
    for name, members in found.items():
        if name in different:
            confirmed[name] = [person_name(member) for member in members]
            continue
        for member in members:
            if member.pk in present or member.pk in linked:
                continue
            ComplaintPerson.objects.create(
                complaint=complaint,
                relation=ComplaintPerson.LOOKALIKE,
                name=person_name(member)[: ComplaintPerson._meta.get_field("name").max_length],
                user=member,
                person=by_user.get(member.pk),
            )
            present.add(member.pk)
    return confirmed


def _confirmed_note(confirmed: dict[str, list[str]]) -> str:
    return " ".join(
        _("Bevestigd: '%(name)s' is iemand anders dan %(members)s.")
        % {"name": name, "members": ", ".join(members)}
        for name, members in confirmed.items()
    )


def _with_subject_ids(complaint: Complaint, new: NewEvent) -> NewEvent:
    """A correction of the subjects says whom it keeps out before and after, by identity (the
    engine compares these: ``lifecycle.identity``); worked out here, never taken from the
    caller."""
    details = {key: value for key, value in new.details.items() if key != "subject_ids"}
    change = (details.get("changes") or {}).get("subjects")
    if isinstance(change, dict) and isinstance(change.get("new"), list):
        names = [str(name) for name in change["new"]]
        old = kept_out_ids(complaint.people.all())
        planned = _planned_kept_out(complaint, names, new.subject_people)
        if old or planned:  # nobody identified before or after: the names say it all
            details["subject_ids"] = {"old": old, "new": planned}
    return replace(new, details=details)


def _planned_kept_out(
    complaint: Complaint, names: list[str], chosen_ids: Sequence[int] | None
) -> list[str]:
    """The ids ``kept_out_ids`` will give once ``_replace_subjects`` has made the subjects
    ``names``: worked out before, as the engine needs them with the correction, and the
    subjects' rows change only after the correction is in the log (migration 0016)."""
    rows = list(complaint.people.all())
    chosen = set(
        Person.objects.filter(
            organisation_id=complaint.organisation_id, pk__in=list(chosen_ids or [])
        ).values_list("pk", flat=True)
    )
    keep = set(names)
    subjects = [
        row
        for row in rows
        if row.relation == ComplaintPerson.SUBJECT and (row.name in keep or row.person_id in chosen)
    ]
    ids = {row.person_id for row in subjects if row.person_id is not None} | chosen
    present = {row.name for row in subjects}
    users = members_by_name(complaint.organisation)
    by_user = _people_by_user(complaint.organisation_id)
    unlinked: list[str] = []
    for name in names:
        if name in present:
            continue
        present.add(name)
        user = users.get(name_key(name))
        if user is None:
            unlinked.append(name)
        elif user.pk in by_user:
            ids.add(by_user[user.pk].pk)
    named = [*present, *(row.name for row in rows if row.relation == ComplaintPerson.INVOLVED)]
    ids |= {
        row.person_id
        for row in rows
        if row.relation == ComplaintPerson.LOOKALIKE
        and row.person_id is not None
        and any(may_be_same(name, row.name) for name in named)
    }
    for members in lookalikes(unlinked, users).values():
        ids |= {by_user[member.pk].pk for member in members if member.pk in by_user}
    return sorted(str(pid) for pid in ids)


def _replace_subjects(
    complaint: Complaint, names: list[str], chosen_ids: Sequence[int] | None = None
) -> None:
    """The subjects' rows become the corrected list. A subject who is one of the organisation's
    people stays linked to them while the correction keeps that person (``chosen_ids``),
    whatever names it gives; a new name of a member of the organisation is linked to that user,
    as at registration (the user then no longer opens the handling)."""
    chosen = {
        person.pk: person
        for person in Person.objects.filter(
            organisation_id=complaint.organisation_id, pk__in=list(chosen_ids or [])
        )
    }
    keep = set(names)
    complaint.people.filter(relation=ComplaintPerson.SUBJECT).exclude(name__in=keep).exclude(
        person_id__in=list(chosen)
    ).delete()
    rows = list(complaint.people.filter(relation=ComplaintPerson.SUBJECT))
    present = {row.name for row in rows}
    linked = {row.person_id for row in rows if row.person_id is not None}
    for person in chosen.values():
        if person.pk not in linked and person.name not in present:
            ComplaintPerson.objects.create(
                complaint=complaint,
                relation=ComplaintPerson.SUBJECT,
                name=person.name,
                user_id=person.user_id,
                person=person,
            )
            present.add(person.name)
    users = members_by_name(complaint.organisation)
    by_user = _people_by_user(complaint.organisation_id)
    unlinked: list[str] = []  # new names of nobody the register knows: their lookalikes
    for name in names:
        if name not in present:
            user = users.get(name_key(name))
            ComplaintPerson.objects.create(
                complaint=complaint,
                relation=ComplaintPerson.SUBJECT,
                name=name,
                user=user,
                person=by_user.get(user.pk) if user is not None else None,
            )
            present.add(name)
            if user is None:
                unlinked.append(name)
    # A member kept out for a name the correction removed comes back; a new name's lookalikes
    # are kept out (the coordinator confirms on the complaint page when it is someone else).
    named = list(
        complaint.people.exclude(relation=ComplaintPerson.LOOKALIKE).values_list("name", flat=True)
    )
    for lookalike in complaint.people.filter(relation=ComplaintPerson.LOOKALIKE):
        if not any(may_be_same(name, lookalike.name) for name in named):
            lookalike.delete()
    _add_lookalikes(complaint, unlinked)


def correct_facts(
    complaint: Complaint,
    actor: User,
    expected_sequence: int,
    on: dt.date,
    changes: dict[str, object],
    reason: str,
) -> list[ComplaintEvent]:
    """Record ``facts_corrected``: per changed fact its old and new value, with the reason; the
    complaint's columns take the new values in the same transaction. Raises InvalidDetails when
    nothing changes, and what ``record_event`` raises."""
    recorded = fact_changes(complaint, changes)
    if not recorded:
        raise InvalidDetails(_("Er is niets gewijzigd."))
    details = {"changes": recorded, "reason": reason}
    new = NewEvent(
        Event.FACTS_CORRECTED, on, details, subject_people=chosen_people(changes.get("subjects"))
    )
    return record_event(complaint, actor, expected_sequence, new)


def chosen_people(subjects: object) -> list[int] | None:
    """The ids of the organisation's people among a corrected subject list (``Person`` items
    beside names); None for a list of names only, or no list."""
    if not isinstance(subjects, list | tuple):
        return None
    ids = [item.pk for item in subjects if isinstance(item, Person)]
    return ids or None


def _store(
    complaint: Complaint,
    sequence: int,
    item: EventRecord,
    actor: User | None,
    people: dict[str, Any],
) -> ComplaintEvent:
    """One row of the log; what the engine carried out by itself has no actor and no people."""
    is_system = item.role == SYSTEM_ACTOR
    assert is_system or actor is not None, "only the engine acts without a user"
    # Personal data in the details is kept apart from the log row, where an erasure can
    # remove it without rewriting history (register.personal).
    payload, apart = personal.split(item.event.value, payload_of(item))
    row = ComplaintEvent.objects.create(
        complaint=complaint,
        sequence=sequence,
        event=item.event.value,
        on=item.on,
        role=item.role or "",
        actor=None if is_system else actor,
        actor_name=SYSTEM_ACTOR if is_system or actor is None else person_name(actor),
        payload=payload,
        people={} if is_system else people,
    )
    personal.keep_apart(row, apart)
    return row


class SavedFiles:
    """Files written to storage during a write; removed again when the write does not commit
    (storage is not transactional). Per thread and task, through a context variable."""

    def __init__(self) -> None:
        self.documents: list[Document] = []
        self._token: contextvars.Token | None = None
        self._outer: SavedFiles | None = None

    def __enter__(self) -> SavedFiles:
        # Inside another write (an event sent with its letters), the outer write owns the files:
        # they go only when the whole of it does not commit.
        self._outer = _saved_files.get()
        if self._outer is not None:
            self.documents = self._outer.documents
        self._token = _saved_files.set(self)
        return self

    def __exit__(self, kind: object, error: object, traceback: object) -> None:
        assert self._token is not None
        _saved_files.reset(self._token)
        if error is not None and self._outer is None:
            for document in self.documents:
                document.file.storage.delete(document.file.name)


_saved_files: contextvars.ContextVar[SavedFiles | None] = contextvars.ContextVar(
    "saved_files", default=None
)


def attach(
    complaint: Complaint,
    upload: File,
    actor: User,
    event: ComplaintEvent | None = None,
    description: str = "",
) -> Document:
    document = Document(
        complaint=complaint,
        event=event,
        name=upload.name or "bestand",
        content_type=getattr(upload, "content_type", "") or "",
        size=upload.size or 0,
        description=description,
        uploaded_by=actor,
    )
    document.file.save(upload.name or "bestand", upload, save=False)
    saved = _saved_files.get()
    if saved is not None:
        saved.documents.append(document)
    document.save()
    return document


@dataclass(frozen=True)
class Replayed:
    """A complaint's stored log replayed by the engine, read outside any lock. The log is
    append-only, so while the complaint's ``sequence`` is still ``sequence`` the replay is still
    true: recording an event under the row lock reuses it instead of replaying again, and the
    letters of the event are rendered from it before the lock is taken."""

    complaint: Complaint
    lifecycle: Lifecycle
    sequence: int


def _conflict(reference: str) -> Conflict:
    return Conflict(
        _(
            "Iemand anders heeft klacht %(reference)s intussen gewijzigd. Uw actie is "
            "niet vastgelegd; bekijk de klacht zoals die nu is en probeer het opnieuw."
        )
        % {"reference": reference}
    )


def replay(complaint: Complaint, expected_sequence: int) -> Replayed:
    """The complaint's own log, replayed once, as the person saw it (``Conflict`` when it has
    grown since)."""
    current = Complaint.objects.select_related("organisation", "regulation_version").get(
        pk=complaint.pk
    )
    if current.sequence != expected_sequence:
        raise _conflict(current.reference)
    rows = list(current.events.order_by("sequence"))
    return Replayed(current, lifecycle_of(current, rows), rows[-1].sequence if rows else 0)


def record_event(
    complaint: Complaint,
    actor: User,
    expected_sequence: int,
    new: NewEvent,
    replayed: Replayed | None = None,
) -> list[ComplaintEvent]:
    """Record one event; raises Conflict, Refusal or InvalidDetails and then writes nothing.

    The log is replayed before the row lock is taken (or ``replayed`` is that replay); under
    the lock only the sequence is checked and the event applied and stored, so the lock is held
    for the writes alone."""
    if replayed is None:
        replayed = replay(complaint, expected_sequence)
    with SavedFiles(), transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if locked.sequence != expected_sequence or replayed.sequence != expected_sequence:
            raise _conflict(locked.reference)
        # The replay read the organisation already (the acting kinds need it): not again.
        locked.organisation = replayed.complaint.organisation
        rows = _append(locked, replayed.lifecycle, actor, [new])
    complaint.refresh_from_db()
    return rows


def confirm_different_person(complaint: Complaint, actor: User, person_pk: int) -> None:
    """The coordinator confirms that a member kept out for a resembling name (a lookalike row)
    is someone else: the member is no longer kept out, and a note in the log says who confirmed
    it, when, and for which names. Only a role that may correct the facts may confirm."""
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        lookalike = locked.people.filter(pk=person_pk, relation=ComplaintPerson.LOOKALIKE).first()
        if lookalike is None:
            raise Refusal(_("Dit uitgesloten lid bestaat niet (meer) bij deze klacht."))
        lifecycle = lifecycle_of(locked)
        if _role_or_none(actor, locked, lifecycle, Event.FACTS_CORRECTED) is None:
            raise NotPermitted(
                _("Alleen wie de gegevens van de klacht mag corrigeren, kan dit bevestigen.")
            )
        names = [
            person.name
            for person in locked.people.exclude(relation=ComplaintPerson.LOOKALIKE)
            if may_be_same(person.name, lookalike.name)
        ]
        text = _("Bevestigd: %(member)s is iemand anders dan %(names)s.") % {
            "member": lookalike.name,
            "names": ", ".join(f"'{name}'" for name in names) or "-",
        }
        details: dict[str, Any] = {"kind": "other", "text": text}
        subjects = locked.people.filter(relation=ComplaintPerson.SUBJECT)
        if (
            lookalike.person_id is not None
            and not subjects.filter(person_id=lookalike.person_id).exists()
        ):
            # The engine no longer counts them among the subjects (lifecycle.identity).
            details["cleared"] = [str(lookalike.person_id)]
        lookalike.delete()
        record_event(
            locked, actor, locked.sequence, NewEvent(Event.NOTE_ADDED, clock.today(), details)
        )
    complaint.refresh_from_db()


def add_document(
    complaint: Complaint, actor: User, upload: UploadedFile, description: str = ""
) -> Document:
    with SavedFiles(), transaction.atomic():
        return attach(complaint, upload, actor, description=description)


def _next_reference(organisation: Organisation, year: int) -> tuple[str, int]:
    """The next number of the organisation and year, in one statement: the counter row is
    made or counted on and stays locked until the registration commits (numbers without gaps)."""
    table = ReferenceCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (organisation_id, year, last) VALUES (%s, %s, 1) "
            f"ON CONFLICT (organisation_id, year) DO UPDATE SET last = {table}.last + 1 "
            "RETURNING last",
            [organisation.pk, year],
        )
        (number,) = cursor.fetchone()
    return f"{organisation.short_code}-{year}-{number:04d}", number


def _submitted(organisation: Organisation, actor: User, token: uuid.UUID) -> Complaint | None:
    found = (
        RegistrationSubmission.objects.filter(
            token=token, organisation=organisation, submitted_by=actor
        )
        .select_related("complaint")
        .first()
    )
    return found.complaint if found is not None else None


def register_complaint(
    organisation: Organisation,
    actor: User,
    data: ComplaintData,
    files: Sequence[UploadedFile] = (),
    registered_on: dt.date | None = None,
    submission: uuid.UUID | None = None,
) -> Complaint:
    """Register a complaint: 'received' on the day it came in and, where the user's role may,
    'registered' on ``registered_on`` (default today); under the regulation version in force on
    the day of receipt.

    ``submission``: the registration form's token. The same form submitted again (a double
    click, ten identical requests at once) returns the complaint the first one made instead of
    making another: the token's row is inserted first, so a concurrent twin waits on its unique
    index and then finds the complaint.
    """
    if submission is not None:
        existing = _submitted(organisation, actor, submission)
        if existing is not None:
            return existing
        try:
            return _register(organisation, actor, data, files, registered_on, submission)
        except IntegrityError:
            existing = _submitted(organisation, actor, submission)
            if existing is None:
                raise
            return existing
    return _register(organisation, actor, data, files, registered_on, None)


def _register(
    organisation: Organisation,
    actor: User,
    data: ComplaintData,
    files: Sequence[UploadedFile],
    registered_on: dt.date | None,
    submission: uuid.UUID | None,
) -> Complaint:
    with SavedFiles(), transaction.atomic():
        token = (
            RegistrationSubmission.objects.create(
                token=submission, organisation=organisation, submitted_by=actor
            )
            if submission is not None
            else None
        )
        version = regulation_version_for(organisation, data.received_on)
        reference, number = _next_reference(organisation, data.received_on.year)
        complaint = Complaint.objects.create(
            organisation=organisation,
            regulation_version=version,
            reference=reference,
            year=data.received_on.year,
            number=number,
            received_on=data.received_on,
            channel=data.channel,
            anonymous=data.anonymous,
            complainant_name=data.complainant_name,
            complainant_email=data.complainant_email,
            complainant_phone=data.complainant_phone,
            complainant_address=data.complainant_address,
            complainant_language=data.complainant_language,
            # An anonymous complainant is addressed by no name, so by no form either.
            form_of_address=FORM_OF_ADDRESS_NEUTRAL if data.anonymous else data.form_of_address,
            representative_name=data.representative_name,
            representative_capacity=data.representative_capacity,
            facts_date=data.facts_date,
            description=data.description,
            category=data.category,
            commissioning_party=data.commissioning_party,
            uwv_client=data.uwv_client,
            manager_name=data.manager_name,
            manager=data.manager if data.manager_name else None,
            registered_by=actor,
            state="received",
        )
        by_user = _people_by_user(organisation.pk)
        for relation, chosen, typed in (
            (ComplaintPerson.SUBJECT, data.subject_people, data.subjects),
            (ComplaintPerson.INVOLVED, data.involved_people, data.involved),
        ):
            _add_people(complaint, relation, chosen, typed, by_user)
        # A name linked to a member is that member; the others may be one under another spelling.
        names = [name for name, user in (*data.subjects, *data.involved) if user is None]
        confirmed = _add_lookalikes(complaint, names, data.different_people)
        lifecycle = lifecycle_of(complaint, [])  # a new complaint: no log to read
        received = NewEvent(
            Event.RECEIVED,
            data.received_on,
            details={
                "channel": data.channel,
                "anonymous": data.anonymous,
                "facts_date": data.facts_date,
                **({"learned_on": data.learned_on} if data.learned_on else {}),
                **({"preconditions": dict(data.preconditions)} if data.preconditions else {}),
                # Who confirmed that a resembling member is someone else, and when, is in the log.
                **({"note": _confirmed_note(confirmed)} if confirmed else {}),
            },
            files=files,
            file_description=_("bij de klacht"),
        )
        events = [received]
        registered = NewEvent(Event.REGISTERED, registered_on or clock.today())
        kinds = access.acting_kinds(actor, complaint)
        if _role_or_none(actor, complaint, lifecycle, Event.REGISTERED, kinds) is not None:
            events.append(registered)
        _append(complaint, lifecycle, actor, events, kinds)
        if token is not None:
            token.complaint = complaint
            token.save(update_fields=["complaint"])
    return complaint


def carry_out_due(complaint: Complaint, today: dt.date | None = None) -> list[ComplaintEvent]:
    """Store what the regulation carries out by itself by ``today`` (a silence closure), as
    events of the system actor; nothing when nothing is due. Safe to run from several workers at
    once: the complaint row is locked and the replay shows what another worker already stored."""
    today = today or clock.today()
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        lifecycle = lifecycle_of(locked)
        fired = lifecycle.advance(today)
        rows = []
        for item in fired:
            locked.sequence += 1
            rows.append(_store(locked, locked.sequence, item, None, {}))
        if rows:
            project(locked, lifecycle, rows)
    complaint.refresh_from_db()
    return rows


def trial_snapshot(
    complaint: Complaint, lifecycle: Lifecycle, actor: User, new: NewEvent
) -> Snapshot:
    """The complaint as it would be after ``new``, with nothing stored (a letter preview).
    Raises what ``record_event`` would raise for the event."""
    _check_date(new.on)
    new = _with_identities(complaint, new)
    _check_people(complaint, new)
    if new.event is Event.FACTS_CORRECTED:
        new = _with_subject_ids(complaint, new)
    role = _role_for(actor, complaint, lifecycle, new.event)
    trial = lifecycle.trial()
    try:
        trial.apply(_engine_record(new, role))
    except Refused as exc:
        raise Refusal(exc.refusal.render(_)) from exc
    return trial.status(new.on)


def ensure_membership(user: User, organisation: Organisation, kind: str) -> bool:
    """The user holds a role of ``kind`` (a ``RoleKind`` value) in the organisation; True when
    the membership was added now, False when it was there already."""
    with transaction.atomic():
        _membership, created = Membership.objects.get_or_create(
            user=user, organisation=organisation, kind=kind
        )
    memo.forget()
    return created
