"""Room for the figures' aggregates: a report or the dashboard groups a year or two of an
organisation's complaints (240,000 rows at a million complaints). With PostgreSQL's default
work_mem (4 MB) the planner sorts them on disk and aggregates the sorted rows; with room for a
hash table it groups them in one pass, 2.7x faster (docs/performance.md). The setting holds
for the figures' own transaction, not for the connection (called inside an outer transaction,
until that one ends: the requests run in autocommit)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.db import connection, transaction

WORK_MEM = "64MB"


@contextmanager
def room_to_aggregate() -> Iterator[None]:
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # set_config(..., true): SET LOCAL, ended with this transaction.
                cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
        yield
