"""Fixtures for the reports: small registers written through the services (tests/support)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.models import Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.registers import Desk


@pytest.fixture
def desk(clock: Clock, staff: Callable[..., User], organisation: Any) -> Callable[[str], Desk]:
    def make(slug: str) -> Desk:
        org = organisation(slug)
        return Desk(org, staff(org), clock)

    return make


@pytest.fixture
def employee() -> Callable[[Organisation, str, RoleKind], User]:
    """A user of the organisation holding one kind of role, named ``full_name``."""

    def make(organisation: Organisation, full_name: str, kind: RoleKind) -> User:
        return UserFactory(
            username=full_name.split()[0].lower(),
            full_name=full_name,
            memberships=[(organisation, kind)],
        )

    return make
