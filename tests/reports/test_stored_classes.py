"""The classes a report counts are stored with the complaint by the projection (issue 13 §4):
the report reads them, never the log. Only the term class depends on the report's day, so a
term running past its due date is late on a later day without any new event.

Iskander's decision term "afhandeling" is 4 weeks after receipt: received Mon 7 Jun 2027, due
Mon 5 Jul 2027.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from klachtenregister.register.models import Complaint
from klachtenregister.register.projection import reproject_all
from klachtenregister.reports import figures
from klachtenregister.reports.periods import parse_period

pytestmark = pytest.mark.django_db


def _in_term(desk: Any, as_of: dt.date) -> dict[str, int]:
    scope = figures.Scope(desk.organisation, parse_period("2027"), as_of)
    return figures.treatment_family(scope)["taken_into_treatment_in_term"]


def test_a_running_decision_term_turns_late_on_the_day_after_its_due_date(desk: Any) -> None:
    d = desk("iskander")
    k = d.receive("2027-06-07", category="bejegening")
    d.act(k, "2027-06-08", "acknowledged")
    d.act(k, "2027-06-10", "accepted")

    stored = Complaint.objects.get(pk=k.pk)
    assert (stored.treatment, stored.result, stored.term_class) == ("taken", "open", "pending")
    assert stored.term_running_due == dt.date(2027, 7, 5)

    assert _in_term(d, dt.date(2027, 7, 5))["pending"] == 1
    on_the_day_after = _in_term(d, dt.date(2027, 7, 6))
    assert (on_the_day_after["pending"], on_the_day_after["late"]) == (0, 1)


def test_a_closed_complaint_keeps_its_throughput_in_working_days(desk: Any) -> None:
    d = desk("iskander")
    k = d.receive("2027-06-07", category="bejegening")
    d.act(k, "2027-06-08", "acknowledged")
    d.act(k, "2027-06-10", "withdrawn", reason="Opgelost.")

    stored = Complaint.objects.get(pk=k.pk)
    assert (stored.treatment, stored.result, stored.term_class) == ("undecided", "withdrawn", "")
    assert stored.throughput_working_days == 3  # Tue 8, Wed 9, Thu 10 June
    assert stored.deadlines.get(kind="acknowledgement").working_days == 1


def test_reprojecting_fills_the_columns_of_complaints_stored_before_them(desk: Any) -> None:
    d = desk("iskander")
    k = d.receive("2027-06-07", category="bejegening")
    d.act(k, "2027-06-08", "acknowledged")
    d.act(k, "2027-06-10", "accepted")
    # As a register migrated to 0018 holds them: the new columns at their defaults.
    Complaint.objects.filter(pk=k.pk).update(
        treatment="", result="", term_class="", term_running_due=None
    )
    k.deadlines.update(working_days=None)

    assert reproject_all() == 1

    stored = Complaint.objects.get(pk=k.pk)
    assert (stored.treatment, stored.result, stored.term_class) == ("taken", "open", "pending")
    assert stored.deadlines.get(kind="acknowledgement").working_days == 1
