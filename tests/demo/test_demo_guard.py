"""``load_demo`` gives its users public passwords: it refuses a database that is not a demo
database (issue 16 §1)."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from klachtenregister.demo.models import DemoDatabase
from tests.factories import UserFactory

User = get_user_model()


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.django_db
def test_a_register_with_users_of_its_own_is_refused_and_nothing_is_written(regulations):
    UserFactory(username="m.deboer", full_name="Marieke de Boer")

    with pytest.raises(CommandError, match="not a demo database"):
        call_command("load_demo", stdout=StringIO())

    assert list(User.objects.values_list("username", flat=True)) == ["m.deboer"]
    assert not DemoDatabase.objects.exists()


@pytest.mark.django_db
def test_a_new_database_becomes_a_demo_database_and_stays_one(regulations):
    call_command("load_demo", stdout=StringIO())
    assert DemoDatabase.objects.count() == 1

    # Someone added a user to the demo afterwards: it is still the demo, loading again works.
    UserFactory(username="bezoeker")
    out = StringIO()
    call_command("load_demo", stdout=out)

    assert "demo already loaded" in out.getvalue()
    assert DemoDatabase.objects.count() == 1
