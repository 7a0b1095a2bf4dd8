"""Loading the demo for ``make run``: the people of the five organisations and their complaints
(``data/*.yaml``), dated relative to today.

Every complaint goes through the services the back office's pages use (``register_complaint``,
then ``record_with_letters`` for each later event), so the engine checks every demo event as it
would a user's, the derived rows (deadlines, participants) are what the back office itself would
store, and every event that sends a letter sends it: its PDF is kept and e-mail waits in the
outbox for the worker.

Loading twice changes nothing: users and memberships are only added when missing, and an
organisation's complaints only when none of its demo users has registered one yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import replace

from django.contrib.auth.models import User
from django.db import transaction

from klachtenregister.correspondence.services import default_orders, record_with_letters
from klachtenregister.demo.datafiles import DemoData, DemoError, DemoFileError, read_demo
from klachtenregister.demo.models import DemoDatabase
from klachtenregister.demo.report import Report, user_table
from klachtenregister.demo.services import ensure_letterhead, ensure_user
from klachtenregister.demo.stories import DemoEvent, Story, stories_of
from klachtenregister.demo.users import (
    DemoUser,
    demo_users,
    password_for,
    people_problems,
    username_for,
)
from klachtenregister.register import access, clock
from klachtenregister.register.errors import LogError
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.selectors.people import participant_users
from klachtenregister.register.selectors.regulations import (
    regulation_version_for,
    stored_regulation,
)
from klachtenregister.register.services import NewEvent, register_complaint
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import RoleKind

__all__ = [
    "LOGIN_URL",
    "DemoError",
    "Report",
    "load_demo",
    "password_for",
    "user_table",
    "username_for",
]

LOGIN_URL = "http://127.0.0.1:8000/inloggen/"


def regulation_for(organisation: Organisation, on: dt.date) -> Regulation:
    stored = stored_regulation(regulation_version_for(organisation, on))
    if stored.regulation is None:
        raise DemoError(f"{organisation.slug}: {'; '.join(stored.problems)}")
    return stored.regulation


class _ComplaintWriter:
    """Enters one organisation's demo complaints as its demo users."""

    def __init__(
        self,
        organisation: Organisation,
        regulation: Regulation,
        code: str,
        users: Mapping[str, User],
        letter_texts: Mapping[str, str],
    ) -> None:
        self.organisation = organisation
        self.regulation = regulation
        self.users = users
        self.letter_texts = letter_texts
        self.coordinator = users[username_for(code, RoleKind.COORDINATOR)]
        # Its users of one kind of role, in a fixed order: who records an event without an
        # actor must not depend on the database.
        prefix = f"{code.lower()}-"
        self.single = [
            user
            for username, user in sorted(users.items())
            if username.startswith(prefix) and user is not self.coordinator
        ]

    def actor(self, complaint: Complaint, event: DemoEvent) -> User:
        """Who records the event: the named user; else a participant (handler, committee member);
        else a demo user of the organisation with one kind of role; the coordinator last."""
        if event.actor is not None:
            return self.users[event.actor]
        for user in [*participant_users(complaint), *self.single, self.coordinator]:
            kinds = access.acting_kinds(user, complaint)
            if access.role_for_event(self.regulation, kinds, event.record.event) is not None:
                return user
        raise DemoError(f"{complaint.reference}: no demo user may record {event.record.event}")

    def build(self, story: Story) -> Complaint:
        def people(names: tuple[tuple[str, str | None], ...]) -> list[tuple[str, User | None]]:
            return [(name, None if user is None else self.users[user]) for name, user in names]

        data = replace(story.data, subjects=people(story.subjects), involved=people(story.involved))
        if story.manager is not None:
            [(manager_name, manager)] = people((story.manager,))
            data = replace(data, manager_name=manager_name, manager=manager)
        try:
            complaint = register_complaint(
                self.organisation, self.users[story.registrar], data, registered_on=data.received_on
            )
        except LogError as exc:
            raise DemoError(f"{self.organisation.slug}: registration: {exc.message}") from exc
        for event in story.events:
            record = event.record
            new = NewEvent(
                record.event,
                record.on,
                details=event.details,
                people={key: self._pks(usernames) for key, usernames in event.people.items()},
            )
            orders = default_orders(complaint, self.regulation, record.event, self.letter_texts)
            try:
                actor = self.actor(complaint, event)
                record_with_letters(complaint, actor, complaint.sequence, new, orders)
            except LogError as exc:
                raise DemoError(
                    f"{complaint.reference}: {record.event.value} on {record.on}: {exc.message}"
                ) from exc
        return complaint

    def _pks(self, usernames: str | list[str]) -> int | list[int]:
        if isinstance(usernames, str):
            return self.users[usernames].pk
        return [self.users[username].pk for username in usernames]


def plan(
    data: DemoData, regulations: Mapping[str, Regulation], today: dt.date
) -> tuple[list[DemoUser], dict[str, list[Story]]]:
    """The demo users and each organisation's complaints as of ``today``, before anything is
    written; a mistake in any file is reported with every other (``DemoFileError``)."""
    users = demo_users(data, regulations)
    names = {user.username: user.full_name for user in users}
    problems = []
    stories: dict[str, list[Story]] = {}
    for organisation in data.organisations:
        regulation = regulations[organisation.slug]
        problems += people_problems(organisation, regulation)
        try:
            stories[organisation.slug] = stories_of(organisation, regulation, names, today)
        except DemoFileError as exc:
            problems += exc.problems
    if problems:
        raise DemoFileError(problems)
    return users, stories


def claim_demo_database(demo_usernames: set[str]) -> None:
    """Refuse a database that is not a demo database; mark a new one as one.

    A demo database has the marker row ``load_demo`` wrote. A database without it is taken for
    one only when every user in it is a demo user (a new database, or one from before the
    marker): a register with a user of its own is a real one, and the demo's public passwords
    must never reach it.
    """
    if DemoDatabase.objects.exists():
        return
    strangers = User.objects.exclude(username__in=demo_usernames).order_by("username")
    if strangers.exists():
        names = ", ".join(strangers.values_list("username", flat=True)[:3])
        raise DemoError(
            "this database is not a demo database: it has users the demo did not make "
            f"({names}), and the demo would give its accounts public passwords"
        )
    DemoDatabase.objects.create()


def load_demo(today: dt.date | None = None) -> Report:
    """Create what is missing of the demo, in one transaction; needs the regulations loaded."""
    today = today or clock.today()
    data = read_demo()
    with transaction.atomic():
        slugs = [organisation.slug for organisation in data.organisations]
        organisations = {org.slug: org for org in Organisation.objects.filter(slug__in=slugs)}
        missing = [slug for slug in slugs if slug not in organisations]
        if missing:
            raise DemoError(f"regulations not loaded for: {', '.join(missing)}")
        regulations = {slug: regulation_for(organisations[slug], today) for slug in slugs}
        users, stories = plan(data, regulations, today)
        claim_demo_database({user.username for user in users})

        mail_domain = data.demo.mail_domain
        for organisation in data.organisations:
            ensure_letterhead(
                organisations[organisation.slug], organisation.file.letterhead, mail_domain
            )
        report = Report(users, data.codes)
        stored = {user.username: ensure_user(user, mail_domain, report) for user in users}
        multi = stored[data.demo.multi_organisation_user.username]
        for organisation in data.organisations:
            slug, code = organisation.slug, organisation.file.code
            own = [user for name, user in stored.items() if name.startswith(f"{code.lower()}-")]
            already = Complaint.objects.filter(
                organisation=organisations[slug], registered_by__in=[*own, multi]
            ).exists()
            if already:
                report.complaints_created[slug] = []
                continue
            writer = _ComplaintWriter(
                organisations[slug], regulations[slug], code, stored, data.letter_texts()
            )
            built = [writer.build(story) for story in stories[slug]]
            report.complaints_created[slug] = [complaint.reference for complaint in built]
    return report
