"""Fixtures for the outbox and the background worker: a real SMTP server in-process.

``mailbox`` is an aiosmtpd server on a free port that records every message it receives; the
settings point the outbox at it. A test stops it to take SMTP down and starts it again on the
same port, and can hook the moment a recipient or a message's end arrives (``on_rcpt``,
``on_data``) and the reply to the message (``data_reply``).
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

BACKOFFICE_TESTS = Path(__file__).resolve().parent.parent / "backoffice"
if str(BACKOFFICE_TESTS) not in sys.path:
    sys.path.insert(0, str(BACKOFFICE_TESTS))

from backoffice_support import complaint_data, day, record  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from outbox_support import Mailbox, free_port  # noqa: E402

from clock_and_race import Clock  # noqa: E402
from klachtenregister.regulations.vocabulary import RoleKind  # noqa: E402
from klachtenregister.web.complaint_log import register_complaint  # noqa: E402
from klachtenregister.web.models import Complaint, Membership, Organisation  # noqa: E402
from klachtenregister.web.services import LoadResult  # noqa: E402

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
