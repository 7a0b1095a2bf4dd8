"""Fixtures for the back office driven through HTTP (Django's test client).

People are made with ``tests.factories.UserFactory``, most without an e-mail address
(``email=""``): the letter forms then offer them post only, and no letter to them goes through the
outbox. So is the member holding every kind of role: ``staff(organisation, email="")`` (the
``staff`` fixture, tests/conftest.py). They log in with ``client.force_login``; a test that logs
in through the login page gives its user a password.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


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
    """The users who log in through the login page have a password; the slow production hasher
    adds nothing to these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
