"""The bench's generator (bench/scale.py) writes what the services write: a small register is
generated and a sample replayed through the engine, on PostgreSQL (it writes with COPY)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from django.db import connection

from klachtenregister.register.models import OPEN_STATES, Complaint, ComplaintDeadline

pytestmark = pytest.mark.django_db

END = dt.date(2026, 11, 30)


def scale() -> ModuleType:
    path = Path(__file__).resolve().parents[2] / "bench" / "scale.py"
    spec = importlib.util.spec_from_file_location("bench_scale", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look their module up
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def generated(regulations: Any) -> ModuleType:
    if connection.vendor != "postgresql":
        pytest.skip("the generator writes with PostgreSQL's COPY")
    module = scale()
    module.fill(200, end=END, quiet=True)
    return module


def test_a_generated_sample_replays_to_its_stored_rows(generated: ModuleType) -> None:
    assert generated.check(sample=200, quiet=True) == []
    complaints = Complaint.objects.exclude(complainant_name__startswith="Sjabloon")
    assert complaints.count() == 200
    assert {c.organisation.slug for c in complaints.select_related("organisation")} == set(
        generated.ORGANISATIONS
    )
    assert min(c.received_on for c in complaints) >= dt.date(2024, 1, 1)
    assert max(c.received_on for c in complaints) <= END
    share = complaints.filter(state__in=OPEN_STATES).count() / 200
    assert 0.03 <= share <= 0.25, share
    states = set(complaints.values_list("state", flat=True))
    assert {"closed", "withdrawn"} <= states
    events = set(complaints.values_list("events__event", flat=True))
    assert {"acknowledged", "declared_inadmissible", "decision_sent", "extended"} <= events
    missed = ComplaintDeadline.objects.filter(complaint__in=complaints, status="missed")
    assert missed.exists()


def test_the_check_finds_a_row_the_services_would_not_write(generated: ModuleType) -> None:
    """The check can fail: one deadline moved by a day, one state changed, both reported."""
    deadline = ComplaintDeadline.objects.filter(running=False).order_by("pk").first()
    assert deadline is not None
    ComplaintDeadline.objects.filter(pk=deadline.pk).update(due=deadline.due + dt.timedelta(1))
    closed = Complaint.objects.filter(state="closed").order_by("pk").first()
    assert closed is not None
    Complaint.objects.filter(pk=closed.pk).update(state="accepted")
    problems = generated.check(sample=10_000, quiet=True)
    assert any(p.startswith(f"{deadline.complaint.reference}: deadlines") for p in problems)
    assert f"{closed.reference}: state 'accepted' != 'closed'" in problems
