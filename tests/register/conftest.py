"""Fixtures for the back office core: loaded regulations, organisations, people, the clock.

The tests here drive ``klachtenregister.register``: ``services`` (writes), ``selectors.history``
(replay), ``projection`` (derived rows) and ``access`` (who sees and does what) against a real
database: SQLite by default, PostgreSQL when ``DATABASE_URL`` points to one. People are made with
``tests.factories.UserFactory``; Klara and Piet come from tests/conftest.py.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.models import Organisation
from tests.support.clock_and_race import Clock

OrganisationGetter = Callable[[str], Organisation]


@pytest.fixture
def today(clock: Clock) -> Clock:
    """The suite's clock (Mon 19 Apr 2027 until a test sets another day with ``today.set``),
    under the name these tests give it."""
    return clock


@pytest.fixture
def integratiewerk(organisation: OrganisationGetter) -> Organisation:
    return organisation("integratiewerk")


@pytest.fixture
def infocus(organisation: OrganisationGetter) -> Organisation:
    return organisation("infocus-samen")


@pytest.fixture
def smartplus(organisation: OrganisationGetter) -> Organisation:
    return organisation("smartplus")


@pytest.fixture
def coordinator(klara: User) -> User:
    """Iskander's klachtenfunctionaris (kind coordinator): Klara (tests/conftest.py)."""
    return klara


@pytest.fixture
def handler(piet: User) -> User:
    """An Iskander procesverantwoordelijke (kind handler), not yet assigned to anything: Piet
    (tests/conftest.py)."""
    return piet
