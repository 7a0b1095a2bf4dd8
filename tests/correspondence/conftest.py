"""Fixtures for the letter tests: the person who takes a complaint through its regulation.

The tests here send letters through the services the complaint page uses
(``klachtenregister.register.services.register_complaint``,
``klachtenregister.correspondence.services.record_with_letters``) against a real database, render
them with WeasyPrint and read the PDFs back with pypdf. Helpers live in ``tests.support.letters``;
people are made with ``tests.factories.UserFactory``, and those named in a test get
``email=""`` unless the test gives them an address, so their letters go by post.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.models import Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory


@pytest.fixture
def staff(db: None) -> Callable[[Organisation], User]:
    """``staff(organisation)``: the person who takes a complaint through its regulation, holding
    every kind of role, so each step is recorded in the role the regulation gives it."""

    def make(organisation: Organisation) -> User:
        return UserFactory(
            username=f"staf-{organisation.slug}",
            full_name="Sam Stafmedewerker",
            memberships=[(organisation, kind) for kind in RoleKind],
            email=f"staf@{organisation.slug}.example",
        )

    return make
