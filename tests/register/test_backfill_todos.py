"""``backfill_todos``: complaints stored before the register kept to-do rows (migration 0012)
get them by replaying their log through the projection, in batches."""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import CommandError, call_command

from klachtenregister.register.models import Complaint, ComplaintTodo

FIELDS = ("position", "todo_id", "kind", "status", "created_on", "done_on", "roles")


def rows(complaint: Complaint) -> list[tuple[object, ...]]:
    return list(complaint.todos.order_by("position").values_list(*FIELDS))


@pytest.mark.django_db
def test_complaints_without_to_do_rows_get_them_from_their_log(
    register: Callable[..., Complaint],
) -> None:
    complaints = [register("2027-04-20"), register("2027-04-21"), register("2027-04-22")]
    projected = {c.pk: rows(c) for c in complaints}
    assert all(projected.values()), "Iskander's notification makes a to-do at receipt"
    # As before migration 0012: the rows do not exist.
    ComplaintTodo.objects.all().delete()

    out = io.StringIO()
    call_command("backfill_todos", "--batch", "2", stdout=out)

    assert {c.pk: rows(c) for c in complaints} == projected
    assert "3 klachten opnieuw afgespeeld in 2 batch(es); van 3 de taken geschreven" in (
        out.getvalue()
    )
    # Again: nothing left without rows, nothing written.
    out = io.StringIO()
    call_command("backfill_todos", stdout=out)
    assert "0 klachten opnieuw afgespeeld in 0 batch(es)" in out.getvalue()
    call_command("backfill_todos", "--all", stdout=out)
    assert "3 klachten opnieuw afgespeeld in 1 batch(es); van 0 de taken geschreven" in (
        out.getvalue()
    )


@pytest.mark.django_db
def test_backfill_refuses_a_batch_of_nothing_and_an_unknown_organisation() -> None:
    with pytest.raises(CommandError):
        call_command("backfill_todos", "--batch", "0")
    with pytest.raises(CommandError, match="onbekende organisatie"):
        call_command("backfill_todos", "--organisation", "bestaat-niet")
