"""The demo users, as data (``services`` writes them).

Per organisation a user per kind of role in its regulation, named ``<code>-<kind>``, and a
``<code>-coordinator`` who holds every kind needed to take a complaint from registration to
closure; plus one user in two organisations. Their names are in the organisations' files.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from klachtenregister.demo.datafiles import DemoData, OrganisationData
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import RoleKind
from klachtenregister.yamlio import Problem

# For a kind of role a regulation gained after its organisation's file was written.
FALLBACK_NAME = ("Demo", "Gebruiker")


def password_for(username: str) -> str:
    return f"demo-{username}"


def username_for(short_code: str, kind: RoleKind | str) -> str:
    return f"{short_code.lower()}-{RoleKind(kind).value}"


def staff_kinds(regulation: Regulation) -> list[RoleKind]:
    """The kinds of role one person needs to take a complaint from registration to closure under
    ``regulation``: every kind in it, except employees unless an employee role records something
    (SmartPLUS: a medewerker records receipt and registration)."""
    needed = {
        role.kind
        for role in regulation.roles
        if role.kind is not RoleKind.EMPLOYEE or role.performs
    }
    return [kind for kind in RoleKind if kind in needed]


def kinds_present(regulation: Regulation) -> list[RoleKind]:
    """Every kind of role the regulation has, in the order of ``RoleKind``."""
    present = {role.kind for role in regulation.roles}
    return [kind for kind in RoleKind if kind in present]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, tuple[RoleKind, ...]], ...]  # (organisation slug, kinds)

    @property
    def password(self) -> str:
        return password_for(self.username)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def demo_users(data: DemoData, regulations: Mapping[str, Regulation]) -> list[DemoUser]:
    """Every demo user, in the order of the printed table."""
    users: list[DemoUser] = []
    for organisation in data.organisations:
        regulation = regulations[organisation.slug]
        kinds = [RoleKind.COORDINATOR]
        kinds += [kind for kind in kinds_present(regulation) if kind is not RoleKind.COORDINATOR]
        for kind in kinds:
            held = tuple(staff_kinds(regulation)) if kind is RoleKind.COORDINATOR else (kind,)
            first, last = organisation.file.people.get(kind, FALLBACK_NAME)
            username = username_for(organisation.file.code, kind)
            users.append(DemoUser(username, first, last, ((organisation.slug, held),)))
    multi = data.demo.multi_organisation_user
    memberships = tuple(
        (slug, tuple(staff_kinds(regulations[slug]))) for slug in multi.organisations
    )
    users.append(DemoUser(multi.username, *multi.name, memberships))
    return users


def people_problems(organisation: OrganisationData, regulation: Regulation) -> list[Problem]:
    """What in the organisation's file does not fit its regulation: another short code, or a
    name for a kind of role the regulation does not have."""
    document = organisation.document
    problems = []
    expected = regulation.organisation.short_code
    if organisation.file.code != expected:
        problems.append(
            Problem(
                document.path,
                ("code",),
                document.line_of(("code",)),
                f"the regulation's short code is {expected!r}",
            )
        )
    present = {RoleKind.COORDINATOR, *kinds_present(regulation)}
    for kind in organisation.file.people:
        if kind not in present:
            location = ("people", kind.value)
            problems.append(
                Problem(
                    document.path,
                    location,
                    document.line_of(location),
                    f"the regulation has no role of kind {kind.value!r}",
                )
            )
    return problems
