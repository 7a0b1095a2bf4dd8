"""The daily AVG retention job (issue 16 §5, docs/privacy.md): complaints past their retention
term are erased, and what was kept only for delivery and logins is pruned."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
from axes.models import AccessFailureLog
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session

from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DELIVERED, MISSED_DEADLINE, PENDING
from klachtenregister.correspondence.outbox import queue_message
from klachtenregister.privacy.models import Erasure
from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.personal import ERASED
from klachtenregister.register.services import register_complaint
from klachtenregister.watch import jobs
from tests.support.clock_and_race import Clock
from tests.support.complaints import complaint_data, record

AMSTERDAM = zoneinfo.ZoneInfo("Europe/Amsterdam")


def at(iso: str) -> dt.datetime:
    return dt.datetime.fromisoformat(iso).replace(tzinfo=AMSTERDAM)


@pytest.fixture
def withdrawn(iskander: Organisation, klara: User, clock: Clock) -> Complaint:
    """Withdrawn on Tue 20 Apr 2027."""
    clock.set("2027-04-19")
    complaint = register_complaint(iskander, klara, complaint_data("2027-04-19"))
    clock.set("2027-04-20")
    record(complaint, klara, "withdrawn", "2027-04-20", {"reason": "Klager trekt in."})
    complaint.refresh_from_db()
    return complaint


def test_a_complaint_is_erased_the_day_after_its_retention_term(
    withdrawn: Complaint, settings: Any
) -> None:
    # 730 days after 20 Apr 2027 (2028 has 29 Feb) is Thu 19 Apr 2029, the last day kept.
    settings.RETENTION_DAYS = 730
    jobs.run("retention", at("2029-04-19T03:00"))
    withdrawn.refresh_from_db()
    assert withdrawn.complainant_name == "Mevrouw De Vries"
    jobs.run("retention", at("2029-04-20T03:00"))
    withdrawn.refresh_from_db()
    assert withdrawn.complainant_name == ERASED
    erasure = Erasure.objects.get(complaint=withdrawn)
    assert (erasure.erased_by, erasure.reason) == (None, "bewaartermijn verstreken")


def test_an_organisations_own_term_and_open_complaints_stay(
    withdrawn: Complaint, iskander: Organisation, klara: User, settings: Any
) -> None:
    open_one = register_complaint(iskander, klara, complaint_data("2027-04-20"))
    settings.RETENTION_DAYS = 30
    settings.RETENTION_DAYS_BY_ORGANISATION = {"iskander": 3650}
    jobs.run("retention", at("2030-01-01T03:00"))
    assert not Erasure.objects.exists()
    settings.RETENTION_DAYS_BY_ORGANISATION = {}
    jobs.run("retention", at("2030-01-01T03:00"))
    assert list(Erasure.objects.values_list("complaint", flat=True)) == [withdrawn.pk]
    open_one.refresh_from_db()
    assert open_one.complainant_name == "Mevrouw De Vries"  # still being handled


def _message(key: str, status: str, delivered_at: dt.datetime | None) -> OutboxMessage:
    message = queue_message(
        organisation=None,
        kind=MISSED_DEADLINE,
        key=key,
        to_address="klara@example.org",
        to_name="Klara",
        subject="Termijn",
        body="Beste Klara, de termijn van mevrouw De Vries is verstreken.",
    )
    OutboxMessage.objects.filter(pk=message.pk).update(status=status, delivered_at=delivered_at)
    return message


@pytest.mark.django_db
def test_mail_bodies_sessions_and_login_records_are_pruned(settings: Any) -> None:
    settings.OUTBOX_KEEP_DAYS = 30
    settings.LOGIN_RECORDS_KEEP_DAYS = 90
    now = at("2027-06-01T03:00")
    _message("old", DELIVERED, now - dt.timedelta(days=31))
    _message("recent", DELIVERED, now - dt.timedelta(days=29))
    waiting = _message("waiting", PENDING, None)
    OutboxMessage.objects.filter(pk=waiting.pk).update(created_at=now - dt.timedelta(days=60))
    Session.objects.create(
        session_key="a" * 32, session_data="x", expire_date=now - dt.timedelta(hours=1)
    )
    Session.objects.create(
        session_key="b" * 32, session_data="x", expire_date=now + dt.timedelta(hours=1)
    )
    for days in (91, 89):
        failure = AccessFailureLog.objects.create(username="klara", ip_address="127.0.0.1")
        AccessFailureLog.objects.filter(pk=failure.pk).update(
            attempt_time=now - dt.timedelta(days=days)
        )

    jobs.run("retention", now)

    bodies = dict(OutboxMessage.objects.values_list("key", "body"))
    assert bodies["old"] == ""
    assert "De Vries" in bodies["recent"]
    assert "De Vries" in bodies["waiting"]  # not delivered yet: kept
    assert list(Session.objects.values_list("session_key", flat=True)) == ["b" * 32]
    assert AccessFailureLog.objects.count() == 1
