"""Looking at a page writes nothing: the organisation the start page remembers is saved in the
session only when it changes, not on every view (a session UPDATE and COMMIT per request)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from klachtenregister.register.models import Organisation
from tests.factories import Staff
from tests.support.webflows import url

PAGES = [
    "watchlist",
    "complaint_list",
    "outbox",
    "letter_templates",
    "reports",
    "dashboard",
]


@pytest.mark.parametrize("page", PAGES)
def test_a_second_look_writes_nothing(
    client: Client, staff: Staff, iskander: Organisation, page: str
) -> None:
    client.force_login(staff(iskander, email=""))
    address = url(page, iskander.slug)
    assert client.get(address).status_code == 200
    with CaptureQueriesContext(connection) as again:
        assert client.get(address).status_code == 200
    writes = [q["sql"] for q in again.captured_queries if q["sql"].startswith(("UPDATE", "INSERT"))]
    assert writes == []
