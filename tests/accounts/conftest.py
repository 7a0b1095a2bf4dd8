"""Fixtures for the accounts tests: users who log in through the login page (with a password)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def keep_language() -> Iterator[None]:
    """A request under /en/ leaves English active in this thread; put back what was active."""
    before = translation.get_language()
    yield
    if before:
        translation.activate(before)
    else:
        translation.deactivate()


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """The slow production hasher adds nothing to these tests."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def iskander(db: None) -> Any:
    """Only Iskander's regulation loaded (the suite's ``iskander`` loads all five)."""
    from klachtenregister.register.loading import load_regulations
    from tests.factories import loaded_organisation

    load_regulations(["iskander"])
    return loaded_organisation("iskander")
