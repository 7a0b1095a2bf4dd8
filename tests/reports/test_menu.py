"""The menu offers the reports only to those who may read them (coordinators, directors and
managers); a handler would only meet a 403 behind the link."""

from __future__ import annotations

import pytest
from django.test import Client

from klachtenregister.register.models import Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory


@pytest.mark.parametrize(
    ("kind", "offered"),
    [
        (RoleKind.COORDINATOR, True),
        (RoleKind.DIRECTOR, True),
        (RoleKind.MANAGER, True),
        (RoleKind.HANDLER, False),
    ],
)
def test_the_reports_link_only_for_readers(
    client: Client, iskander: Organisation, kind: RoleKind, offered: bool
) -> None:
    user = UserFactory(username="u", memberships=[(iskander, kind)])
    client.force_login(user)
    page = client.get("/o/iskander/").content.decode()
    assert ('href="/o/iskander/rapportages/"' in page) is offered
    assert client.get("/o/iskander/rapportages/").status_code == (200 if offered else 403)
