"""Fixtures for the outbox and the background worker: a real SMTP server in-process.

``mailbox`` is an aiosmtpd server on a free port that records every message it receives; the
settings point the outbox at it. A test stops it to take SMTP down and starts it again on the
same port, and can hook the moment a recipient or a message's end arrives (``on_rcpt``,
``on_data``) and the reply to the message (``data_reply``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.loading import LoadResult
from klachtenregister.register.models import Complaint, Membership, Organisation
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.vocabulary import RoleKind
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, day, record
from tests.support.mail import Mailbox, free_port

__all__ = ["complaint_data", "day", "record"]


@pytest.fixture
def mailbox(settings: Any) -> Iterator[Mailbox]:
    box = Mailbox(free_port())
    box.start()
    settings.SMTP_HOST = "127.0.0.1"
    settings.SMTP_PORT = box.port
    settings.SMTP_TIMEOUT = 10
    settings.SMTP_STARTTLS = False
    settings.SMTP_USER = ""
    yield box
    box.stop()


@pytest.fixture
def iskander(regulations: list[LoadResult]) -> Organisation:
    return Organisation.objects.get(slug="iskander")


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """``make_user("piet", "Piet Pietersen", [(iskander, RoleKind.HANDLER)], email=...)``."""

    def make(
        username: str,
        full_name: str = "",
        memberships: list[tuple[Organisation, RoleKind]] | tuple = (),
        email: str | None = None,
    ) -> User:
        first, _, last = full_name.partition(" ")
        user = User.objects.create_user(
            username=username,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org" if email is None else email,
        )
        for organisation, kind in memberships:
            Membership.objects.create(user=user, organisation=organisation, kind=kind.value)
        return user

    return make


@pytest.fixture
def klara(make_user: Callable[..., User], iskander: Organisation) -> User:
    return make_user("klara", "Klara Klachtenfunctionaris", [(iskander, RoleKind.COORDINATOR)])


@pytest.fixture
def piet(make_user: Callable[..., User], iskander: Organisation) -> User:
    return make_user("piet", "Piet Pietersen", [(iskander, RoleKind.HANDLER)])


@pytest.fixture
def register(clock: Clock, klara: User, iskander: Organisation) -> Callable[..., Complaint]:
    """``register("2027-04-20")``: an Iskander complaint received and registered that day."""

    def make(received_on: str, **fields: Any) -> Complaint:
        clock.set(received_on)
        return register_complaint(iskander, klara, complaint_data(received_on, **fields))

    return make
