"""Who may see and do what: enforced on the server, for every page and every action.

- A user sees only the complaints of the organisations they belong to (others: 404).
- Coordinators, directors, managers and standing committee members see every complaint of their
  organisation; other staff see the complaints they handle, sit on the committee of, or
  registered themselves (others of their organisation: 403), and act only on those.
- A person a complaint is about (a subject) or who was involved in the conduct never opens its
  handling (403), is never offered as its handler or committee member, and never acts on it.
- Acting on a complaint needs a role of the regulation it was received under that may record the
  event (``acting_role``); the user's memberships say which kinds of role they hold.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from klachtenregister.lifecycle.rules import roles_for
from klachtenregister.register import memo
from klachtenregister.register.errors import Forbidden, NotFound
from klachtenregister.register.models import (
    Complaint,
    ComplaintParticipant,
    ComplaintPerson,
    Membership,
    Organisation,
)
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Event, RoleKind

# A user as a request has one: logged in (the default user model) or not.
AnyUser = User | AnonymousUser

# Kinds of role that oversee the whole register of their organisation. The manager is among them:
# under SmartPLUS the casemanager assigns the handler, so must see complaints before anyone does.
# So is a member of a standing committee (by membership): under IN FOCUS Samen the committee
# registers and acknowledges every complaint; an employee appointed to one complaint's committee
# sees only that one.
SEES_ALL = frozenset(
    {RoleKind.COORDINATOR, RoleKind.DIRECTOR, RoleKind.MANAGER, RoleKind.COMMITTEE}
)
# What taking part in a complaint makes a user, for the regulation's roles.
PARTICIPATION_KINDS = {
    ComplaintParticipant.HANDLER: RoleKind.HANDLER,
    ComplaintParticipant.COMMITTEE: RoleKind.COMMITTEE,
}


def memberships_of(user: AnyUser) -> list[tuple[Organisation, RoleKind]]:
    """The user's memberships as (organisation, kind), organisations by name: one query, once
    per request (``register.memo``): a page asks who the user is five or six times."""
    if not user.is_authenticated:
        return []
    return memo.remembered(("memberships", user.pk), lambda: _read_memberships(user.pk))


def _read_memberships(user_id: int) -> list[tuple[Organisation, RoleKind]]:
    organisations: dict[int, Organisation] = {}  # one object per organisation
    memberships = []
    for membership in (
        Membership.objects.filter(user_id=user_id)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id", "kind")
    ):
        organisation = organisations.setdefault(membership.organisation_id, membership.organisation)
        memberships.append((organisation, RoleKind(membership.kind)))
    return memberships


def organisations_of(user: AnyUser) -> list[Organisation]:
    """The organisations the user belongs to, by name."""
    organisations: dict[int, Organisation] = {}
    for organisation, _kind in memberships_of(user):
        organisations.setdefault(organisation.pk, organisation)
    return list(organisations.values())


def kinds_in(user: AnyUser, organisation: Organisation) -> frozenset[RoleKind]:
    return kinds_in_organisation(user, organisation.pk)


def kinds_in_organisation(user: AnyUser, organisation_id: int) -> frozenset[RoleKind]:
    """As ``kinds_in``, by the organisation's id: a row's ``organisation_id`` needs no query."""
    return frozenset(
        kind for member_of, kind in memberships_of(user) if member_of.pk == organisation_id
    )


def organisation_for(user: AnyUser, slug: str) -> Organisation:
    """The organisation, if the user belongs to it; else ``NotFound`` (its existence is not
    revealed)."""
    organisation = next((o for o in organisations_of(user) if o.slug == slug), None)
    if organisation is None:
        raise NotFound(_("Geen organisatie van u met kenmerk %(slug)s.") % {"slug": slug})
    return organisation


def visible_complaints(user: AnyUser, organisation: Organisation) -> QuerySet[Complaint]:
    kinds = kinds_in(user, organisation)
    if not kinds or not user.is_authenticated:  # no kinds: also every user not logged in
        return Complaint.objects.none()
    complaints = Complaint.objects.filter(organisation=organisation).exclude(people__user=user)
    if kinds & SEES_ALL:
        return complaints
    return complaints.filter(Q(participants__user=user) | Q(registered_by=user)).distinct()


def is_person_of(user: AnyUser, complaint: Complaint) -> bool:
    # complaint_for prefetches the people: then this asks nothing of the database.
    return user.is_authenticated and any(p.user_id == user.pk for p in complaint.people.all())


def _capacities(user: AnyUser, complaint: Complaint) -> list[str]:
    """How the user takes part in handling the complaint (handler, committee member); from the
    participants complaint_for prefetched."""
    return [p.capacity for p in complaint.participants.all() if p.user_id == user.pk]


def _sees(user: AnyUser, complaint: Complaint, kinds: frozenset[RoleKind]) -> bool:
    """``visible_complaints`` for one complaint of the user's organisation, in Python."""
    if not kinds or not user.is_authenticated or is_person_of(user, complaint):
        return False
    if kinds & SEES_ALL:
        return True
    return complaint.registered_by_id == user.pk or bool(_capacities(user, complaint))


def complaint_for(user: AnyUser, organisation: Organisation, reference: str) -> Complaint:
    """The complaint, if this user may open its handling: ``NotFound`` outside the organisation,
    ``Forbidden`` for a subject of it or staff it is not assigned to."""
    complaint = (
        Complaint.objects.filter(organisation=organisation, reference=reference)
        .select_related("organisation", "regulation_version", "registered_by")
        # Who may see it, its facts, handlers and letters all read these two: once each.
        .prefetch_related(
            Prefetch("people", ComplaintPerson.objects.select_related("user").order_by("pk")),
            Prefetch(
                "participants",
                ComplaintParticipant.objects.select_related("user").order_by("pk"),
            ),
        )
        .first()
    )
    if complaint is None:
        raise NotFound(
            _("Geen klacht %(reference)s bij deze organisatie.") % {"reference": reference}
        )
    if is_person_of(user, complaint):
        raise Forbidden(
            _(
                "Deze klacht gaat over u of over iets waarbij u betrokken was; u kunt de "
                "behandeling niet inzien."
            )
        )
    if not _sees(user, complaint, kinds_in(user, organisation)):
        raise Forbidden(
            _("U bent niet bij de behandeling van klacht %(reference)s betrokken.")
            % {"reference": reference}
        )
    return complaint


def acting_kinds(user: AnyUser, complaint: Complaint) -> frozenset[RoleKind]:
    """The kinds of role the user holds for this complaint: memberships and participation; none
    on a complaint the user may not open (a subject's, or one a handler is not assigned to)."""
    held = kinds_in(user, complaint.organisation)
    if not _sees(user, complaint, held):
        return frozenset()
    return held | {PARTICIPATION_KINDS[capacity] for capacity in _capacities(user, complaint)}


def acting_role(
    regulation: Regulation, kinds: Iterable[RoleKind], allowed_roles: Sequence[str]
) -> str | None:
    """The first role of the regulation, of a kind the user holds, that may record the event."""
    held = set(kinds)
    for role in regulation.roles:
        if role.kind in held and role.id in allowed_roles:
            return role.id
    return None


def allowed_roles(regulation: Regulation, event: Event) -> list[str]:
    """The role ids that may record ``event`` under the regulation."""
    return [role.id for role in roles_for(regulation, event)]


def role_for_event(regulation: Regulation, kinds: Iterable[RoleKind], event: Event) -> str | None:
    return acting_role(regulation, kinds, allowed_roles(regulation, event))


# Who keeps the organisation's correspondence: its letter templates, letterhead and outbox.
LETTER_KEEPERS = frozenset({RoleKind.COORDINATOR, RoleKind.DIRECTOR})


def keeps_letters(user: AnyUser, organisation: Organisation) -> bool:
    return bool(kinds_in(user, organisation) & LETTER_KEEPERS)


# Who reads an organisation's reports (the reports app), so the menu offers them only to these.
REPORT_READERS = frozenset({RoleKind.COORDINATOR, RoleKind.DIRECTOR, RoleKind.MANAGER})


def reads_reports(user: AnyUser, organisation: Organisation) -> bool:
    return bool(kinds_in(user, organisation) & REPORT_READERS)


# Whose start page is the organisation's dashboard (issue 13 §2); others start at the watch list.
DASHBOARD_READERS = frozenset({RoleKind.COORDINATOR, RoleKind.DIRECTOR})


def sees_dashboard(user: AnyUser, organisation: Organisation) -> bool:
    return bool(kinds_in(user, organisation) & DASHBOARD_READERS)


def may_register(user: AnyUser, organisation: Organisation, on: dt.date) -> bool:
    """The user holds a role that may register a complaint under the regulation in force."""
    from klachtenregister.register.selectors.regulations import (
        regulation_version_for,
        stored_regulation,
    )

    regulation = stored_regulation(regulation_version_for(organisation, on)).regulation
    if regulation is None:
        return False
    return role_for_event(regulation, kinds_in(user, organisation), Event.RECEIVED) is not None
