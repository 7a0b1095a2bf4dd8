"""The figures' room to aggregate (docs/performance.md): 64 MB of work_mem inside a report's or
the dashboard's own transaction, and the server's setting again after it."""

from __future__ import annotations

import pytest
from django.db import connection

from klachtenregister.reports.working_memory import WORK_MEM, room_to_aggregate

# Autocommit, as a request runs: inside a test's own transaction the figures' transaction is a
# savepoint, and a SET LOCAL lasts until the outer transaction ends.
pytestmark = pytest.mark.django_db(transaction=True)


def work_mem() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW work_mem")
        return str(cursor.fetchone()[0])


def test_work_mem_is_raised_for_the_figures_transaction_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("work_mem is PostgreSQL's")
    before = work_mem()
    assert before != WORK_MEM
    with room_to_aggregate():
        assert work_mem() == WORK_MEM
    assert work_mem() == before
