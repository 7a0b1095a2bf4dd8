"""Fixtures for the back office core: loaded regulations, organisations, people, the clock.

The tests here drive ``klachtenregister.register.services`` (writes), ``complaint_history``
(replay), ``complaint_projection`` (derived rows) and ``access`` (who sees and does what) against
a real database: SQLite by default, PostgreSQL when ``DATABASE_URL`` points to one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.loading import LoadResult
from klachtenregister.register.models import Membership, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.support.clock_and_race import Clock


@pytest.fixture
def today(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """The clock, set to Mon 19 Apr 2027 until a test sets another day with ``today.set``."""
    clock = Clock(dt.date(2027, 4, 19))
    monkeypatch.setattr("klachtenregister.register.clock.today", clock)
    return clock


@pytest.fixture
def iskander(regulations: list[LoadResult]) -> Organisation:
    return Organisation.objects.get(slug="iskander")


@pytest.fixture
def integratiewerk(regulations: list[LoadResult]) -> Organisation:
    return Organisation.objects.get(slug="integratiewerk")


@pytest.fixture
def infocus(regulations: list[LoadResult]) -> Organisation:
    return Organisation.objects.get(slug="infocus-samen")


@pytest.fixture
def smartplus(regulations: list[LoadResult]) -> Organisation:
    return Organisation.objects.get(slug="smartplus")


Memberships = Iterable[tuple[Organisation, RoleKind | str]]
UserFactory = Callable[..., User]


@pytest.fixture
def make_user(db: None) -> UserFactory:
    """``make_user("piet", "Piet Pietersen", [(iskander, RoleKind.HANDLER)])``: a user with
    memberships; the full name is how events name the user (``person_name``)."""

    def make(username: str, full_name: str = "", memberships: Memberships = ()) -> User:
        first, _, last = full_name.partition(" ")
        # No password: these tests never log in, and hashing one costs a third of a second.
        user = User.objects.create_user(username=username, first_name=first, last_name=last)
        for organisation, kind in memberships:
            Membership.objects.create(
                user=user, organisation=organisation, kind=RoleKind(kind).value
            )
        return user

    return make


@pytest.fixture
def coordinator(make_user: UserFactory, iskander: Organisation) -> User:
    """Iskander's klachtenfunctionaris (kind coordinator)."""
    return make_user("klara", "Klara Klachtenfunctionaris", [(iskander, RoleKind.COORDINATOR)])


@pytest.fixture
def handler(make_user: UserFactory, iskander: Organisation) -> User:
    """An Iskander procesverantwoordelijke (kind handler), not yet assigned to anything."""
    return make_user("piet", "Piet Pietersen", [(iskander, RoleKind.HANDLER)])
