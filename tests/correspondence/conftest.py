"""Fixtures for the letter tests: the loaded organisations, their people and the clock.

The tests here send letters through the services the complaint page uses
(``complaint_log.register_complaint``, ``letters.sending.record_with_letters``) against a real
database, render them with WeasyPrint and read the PDFs back with pypdf. Helpers live in
``letters_support`` (imported by basename: pytest puts this folder on ``sys.path``).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from klachtenregister.register.loading import LoadResult
from klachtenregister.register.models import Membership, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.support.letters import Memberships, UserFactory


@pytest.fixture
def organisation(regulations: list[LoadResult]) -> Callable[[str], Organisation]:
    """``organisation("smartplus")``: a loaded organisation by its slug."""

    def get(slug: str) -> Organisation:
        return Organisation.objects.get(slug=slug)

    return get


@pytest.fixture
def make_user(db: None) -> UserFactory:
    """``make_user("eva", "Eva Schouten", [(smartplus, RoleKind.HANDLER)], email=...)``; the full
    name is how letters name the user (``person_name``)."""

    def make(username: str, full_name: str, memberships: Memberships = (), email: str = "") -> User:
        first, _, last = full_name.partition(" ")
        # No password: nobody logs in here, and hashing one costs a third of a second.
        user = User.objects.create_user(
            username=username, first_name=first, last_name=last, email=email
        )
        for organisation, kind in memberships:
            Membership.objects.create(
                user=user, organisation=organisation, kind=RoleKind(kind).value
            )
        return user

    return make


@pytest.fixture
def staff(make_user: UserFactory) -> Callable[[Organisation], User]:
    """``staff(organisation)``: the person who takes a complaint through its regulation, holding
    every kind of role, so each step is recorded in the role the regulation gives it."""

    def make(organisation: Organisation) -> User:
        return make_user(
            f"staf-{organisation.slug}",
            "Sam Stafmedewerker",
            [(organisation, kind) for kind in RoleKind],
            email=f"staf@{organisation.slug}.example",
        )

    return make
