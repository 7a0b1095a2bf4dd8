"""The morning digest lists the open to-dos (duties without a term) of the user's roles, beside
the deadlines (issue 14 §2: "listed in the morning digest")."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.contrib.auth.models import User

from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DIGEST
from klachtenregister.register.models import Complaint, ComplaintTodo
from klachtenregister.watch import services as deadline_watch
from tests.support.complaints import day

INFORM = "Procesverantwoordelijke informeert de klachtenfunctionaris"


def open_todo(complaint: Complaint, roles: list[str], label: str = INFORM) -> ComplaintTodo:
    position = complaint.todos.count()
    return ComplaintTodo.objects.create(
        complaint=complaint,
        organisation_id=complaint.organisation_id,
        position=position,
        todo_id=f"taak_{position}",
        kind="notification",
        label=label,
        source="Stroomschema, rij 1",
        created_on=complaint.received_on,
        status=ComplaintTodo.OPEN,
        roles=roles,
    )


@pytest.mark.django_db
def test_iskander_rij_1_an_open_to_do_goes_in_the_digest(
    register: Callable[..., Complaint], klara: User, settings: Any
) -> None:
    settings.SITE_URL = "https://klachten.example.nl"
    # Acknowledgement due Thu 29 Apr: on Fri 23 Apr no deadline is due soon.
    complaint = register("2027-04-21")
    open_todo(complaint, ["klachtenfunctionaris"])
    # A to-do for another role is not Klara's.
    open_todo(complaint, ["procesverantwoordelijke"], label="Iets voor de procesverantwoordelijke")

    [digest] = deadline_watch.send_digests(day("2027-04-23"))

    assert digest.to_address == klara.email
    assert digest.subject == "Termijnbewaking Iskander, vrijdag 23 april 2027: 0 termijnen, 1 taak"
    assert digest.body == (
        "Beste Klara Klachtenfunctionaris,\n"
        "\n"
        "Deze taken (te doen) staan open:\n"
        "\n"
        f"{complaint.reference} - {INFORM}\n"
        "  sinds woensdag 21 april 2027\n"
        f"  https://klachten.example.nl/o/iskander/klachten/{complaint.reference}/\n"
        "\n"
        "Dit overzicht komt elke werkdag van het Klachtenregister.\n"
    )
    assert INFORM in digest.html_body
    assert "procesverantwoordelijke" not in digest.body


@pytest.mark.django_db
def test_a_to_do_done_leaves_the_digest(register: Callable[..., Complaint], klara: User) -> None:
    complaint = register("2027-04-21")
    todo = open_todo(complaint, ["klachtenfunctionaris"])
    todo.status, todo.done_on = ComplaintTodo.DONE, day("2027-04-22")
    todo.save()
    assert deadline_watch.send_digests(day("2027-04-23")) == []
    assert not OutboxMessage.objects.filter(kind=DIGEST).exists()
