"""Fixtures for the back office driven through HTTP (Django's test client)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import translation

from klachtenregister.register.loading import LoadResult
from klachtenregister.register.models import Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.support.webflows import Staff, UserFactory, make_user_factory


@pytest.fixture(autouse=True)
def keep_language() -> Iterator[None]:
    """A request under /en/ leaves English active in this thread after the test client returns;
    put back what was active so no later test (ours or another folder's) inherits it."""
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Users are made by the dozen; the slow production hasher adds nothing to these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def organisation(regulations: list[LoadResult]) -> Any:
    """``organisation("iskander")``: a loaded organisation by its slug."""

    def get(slug: str) -> Organisation:
        return Organisation.objects.get(slug=slug)

    return get


@pytest.fixture
def iskander(organisation: Any) -> Organisation:
    return organisation("iskander")


@pytest.fixture
def make_user(db: None) -> UserFactory:
    """``make_user("piet", [(iskander, RoleKind.HANDLER)], full_name="")``."""
    return make_user_factory()


@pytest.fixture
def staff(make_user: UserFactory) -> Staff:
    """``staff(organisation)``: a user of the organisation holding every kind of role."""

    def make(organisation: Organisation, username: str = "") -> User:
        name = username or f"beheer-{organisation.slug}"
        return make_user(name, [(organisation, kind) for kind in RoleKind])

    return make
