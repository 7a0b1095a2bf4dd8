"""Recording an event with letters replays the complaint's log once, and renders the letters'
PDFs before it locks the complaint's row (issue 17): another action on the same complaint (or the
worker's) is not held up for the rendering (PostgreSQL only: SQLite has no row locks).

Loket3's acknowledgement goes to the complainant by e-mail.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import weasyprint
from django.db import DatabaseError, connection, transaction
from django.test.utils import CaptureQueriesContext

from klachtenregister.correspondence.models import Letter
from klachtenregister.correspondence.services import default_orders, record_with_letters
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.selectors.history import regulation_of
from klachtenregister.register.services import NewEvent, register_complaint
from klachtenregister.regulations.vocabulary import Content, Event
from tests.factories import Staff
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, day

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="needs PostgreSQL: SQLite has no row locks (select_for_update is a no-op)",
    ),
    pytest.mark.django_db(transaction=True),
]


def _row_is_free(pk: int) -> bool:
    """Whether another connection can lock the complaint's row right now (without waiting)."""
    found: list[bool] = []

    def probe() -> None:
        try:
            with transaction.atomic():
                Complaint.objects.select_for_update(nowait=True).get(pk=pk)
            found.append(True)
        except DatabaseError:
            found.append(False)
        finally:
            connection.close()

    thread = threading.Thread(target=probe)
    thread.start()
    thread.join()
    return found[0]


def test_the_pdf_is_rendered_before_the_row_is_locked_and_the_log_read_once(
    staff: Staff, loket3: Organisation, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    office = staff(loket3)
    clock.set("2027-04-19")
    complaint = register_complaint(
        loket3,
        office,
        complaint_data(
            "2027-04-19", complainant_name="Marloes Bakker", complainant_email="m@example.nl"
        ),
    )
    orders = default_orders(
        complaint,
        regulation_of(complaint),
        Event.ACKNOWLEDGED,
        {content.value: "Zoals met u besproken." for content in Content},
    )
    assert orders
    # WeasyPrint (not our code) is wrapped: while it renders, is the complaint's row free?
    free_while_rendering: list[bool] = []
    write_pdf = weasyprint.HTML.write_pdf

    def watched(self: Any, *args: Any, **kwargs: Any) -> Any:
        free_while_rendering.append(_row_is_free(complaint.pk))
        return write_pdf(self, *args, **kwargs)

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", watched)
    with CaptureQueriesContext(connection) as captured:
        record_with_letters(
            complaint,
            office,
            complaint.sequence,
            NewEvent(Event.ACKNOWLEDGED, day("2027-04-19")),
            orders,
        )
    assert Letter.objects.filter(complaint=complaint).exists()
    assert free_while_rendering and all(free_while_rendering)
    # The whole log is read for a replay once: not again under the lock, nor after the event is
    # stored. (The projection reads the stored payloads for the search text, and the
    # assignments for the participants: those are not replays.)
    replays = [
        q["sql"]
        for q in captured.captured_queries
        if q["sql"].startswith('SELECT "register_complaintevent"."id"')
        and '"register_complaintevent"."event" IN' not in q["sql"]
    ]
    assert len(replays) == 1, replays
