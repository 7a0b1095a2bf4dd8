"""Who gets which lines of the morning digest, now that it is read once per organisation
(issue 17): the access rules of ``register.access.visible_complaints`` hold per line. A person
a complaint is about never sees its handling, not in a digest either; a handler sees only the
complaints they handle; no digest without an address.

Iskander's acknowledgement term is 5 werkdagen: received Thu 15 Apr 2027 -> due Thu 22 Apr, so
on Fri 23 Apr it is overdue (tests/watch/test_periodic.py).
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.contrib.auth.models import User

from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DIGEST
from klachtenregister.register.models import Complaint, ComplaintPerson, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from klachtenregister.watch import services as deadline_watch
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock
from tests.support.complaints import day, record


def digests() -> dict[str, str]:
    return dict(OutboxMessage.objects.filter(kind=DIGEST).values_list("to_address", "body"))


@pytest.mark.django_db
def test_a_coordinator_the_complaint_is_about_does_not_get_its_lines(
    register: Callable[..., Complaint], klara: User, iskander: Organisation
) -> None:
    kees = UserFactory(
        username="kees",
        full_name="Kees Coordinator",
        memberships=[(iskander, RoleKind.COORDINATOR)],
        email="kees@example.org",
    )
    about_kees = register("2027-04-15", subjects=[("Kees Coordinator", kees)])
    other = register("2027-04-15")
    assert about_kees.people.filter(relation=ComplaintPerson.SUBJECT, user=kees).exists()

    deadline_watch.send_digests(day("2027-04-23"))

    sent = digests()
    assert about_kees.reference in sent["klara@example.org"]
    assert other.reference in sent["klara@example.org"]
    assert about_kees.reference not in sent["kees@example.org"]
    assert other.reference in sent["kees@example.org"]


@pytest.mark.django_db
def test_a_handler_gets_only_their_complaints_and_none_without_an_address(
    register: Callable[..., Complaint],
    klara: User,
    piet: User,
    iskander: Organisation,
    clock: Clock,
) -> None:
    piets, nobodys, silent = (register("2027-04-15") for _ in range(3))
    hanna = UserFactory(
        username="hanna",
        full_name="Hanna Zonderadres",
        memberships=[(iskander, RoleKind.HANDLER)],
        email="",
    )
    clock.set("2027-04-16")
    for complaint, handler in ((piets, piet), (silent, hanna)):
        details = {"handler": handler.get_full_name() or handler.username}
        record(complaint, klara, "handler_assigned", "2027-04-16", details, {"handler": handler.pk})

    deadline_watch.send_digests(day("2027-04-23"))

    sent = digests()
    assert sorted(sent) == ["klara@example.org", "piet@example.org"]
    assert piets.reference in sent["piet@example.org"]
    assert nobodys.reference not in sent["piet@example.org"]
    assert silent.reference not in sent["piet@example.org"]
    assert all(c.reference in sent["klara@example.org"] for c in (piets, nobodys, silent))
