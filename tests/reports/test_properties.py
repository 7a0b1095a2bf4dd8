"""Properties of the figures over random IN FOCUS registers written through the services:
taken + not taken + undecided = received − voided; in term ≤ total; throughput ≥ 0."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klachtenregister.regulations.vocabulary import RoleKind
from klachtenregister.reports import figures
from klachtenregister.reports.periods import Period, parse_period
from klachtenregister.reports.selectors import ReportRequest, compute

pytestmark = pytest.mark.django_db

START = dt.date(2027, 1, 4)

# (event, days after receipt, details) per path; the committee is appointed on receipt first.
PATHS: dict[str, list[tuple[str, int, dict[str, Any]]]] = {
    "open": [],
    "withdrawn": [("withdrawn", 2, {"reason": "Opgelost."})],
    "accepted": [("acknowledged", 1, {}), ("accepted", 2, {})],
    "decided": [
        ("acknowledged", 1, {}),
        ("accepted", 2, {}),
        ("hearing_held", 9, {"heard": ["de klager"]}),  # IN FOCUS, De procedure 5
        ("decision_made", 10, {"outcome": "founded"}),
        ("decision_sent", 11, {}),
        ("closed", 12, {}),
    ],
    "decided_late": [
        ("acknowledged", 1, {}),
        ("accepted", 2, {}),
        ("hearing_held", 39, {"heard": ["de klager"]}),
        ("decision_made", 40, {"outcome": "unfounded"}),
        ("decision_sent", 41, {}),
    ],
    "inadmissible": [
        ("acknowledged", 1, {}),
        ("declared_inadmissible", 3, {"reason": "Geen klacht."}),
        ("inadmissibility_notice_sent", 4, {}),
    ],
    "inadmissible_late": [
        ("declared_inadmissible", 3, {"reason": "Geen klacht."}),
        ("inadmissibility_notice_sent", 35, {}),
        ("closed", 36, {}),
    ],
    "voided": [("registration_voided", 0, {"reason": "Dubbel."})],
}

complaints = st.lists(
    st.tuples(st.integers(0, 150), st.sampled_from(sorted(PATHS)), st.sampled_from(["a", "b"])),
    min_size=1,
    max_size=6,
)


class Rollback(Exception):
    pass


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(complaints=complaints, as_of_offset=st.integers(200, 400))
def test_the_classes_partition_the_counted_complaints(
    desk: Any, employee: Any, complaints: list[tuple[int, str, str]], as_of_offset: int
) -> None:
    try:
        with transaction.atomic():
            d = desk("infocus-samen")
            bas = employee(d.organisation, "Bas Hendriks", RoleKind.COMMITTEE)
            _check(d, bas, complaints, START + dt.timedelta(days=as_of_offset))
            raise Rollback
    except Rollback:
        pass


def _check(d: Any, bas: Any, complaints: list[tuple[int, str, str]], as_of: dt.date) -> None:
    members = {"members": [d.sam.pk, bas.pk]}
    for offset, path, category in complaints:
        received = START + dt.timedelta(days=offset)
        c = d.receive(received.isoformat(), category=category)
        if path != "voided":
            d.act(
                c,
                received.isoformat(),
                "committee_appointed",
                members,
                members=["Sam Stafmedewerker", "Bas Hendriks"],
            )
        for event, after, details in PATHS[path]:
            d.act(c, (received + dt.timedelta(days=after)).isoformat(), event, **details)
    d.clock.set(as_of.isoformat())
    report = compute(ReportRequest(d.organisation, parse_period("2027")), as_of=as_of)
    f = report["figures"]
    voided = sum(1 for _o, path, _c in complaints if path == "voided")
    received = f["complaints_received"]["total"]
    assert received == len(complaints) - voided
    taken = f["taken_into_treatment"]["total"]
    not_taken = f["not_taken_into_treatment"]["total"]
    assert taken + not_taken + f["complaints_received"]["undecided"] == received
    for total, in_term in (
        (taken, f["taken_into_treatment_in_term"]),
        (not_taken, f["not_taken_into_treatment_in_term"]),
    ):
        assert 0 <= in_term["extended"] <= in_term["total"] <= total
        parts = ("total", "late", "pending", "withdrawn", "no_term")
        assert sum(in_term[k] for k in parts) == total
    assert (
        sum(
            v
            for k, v in f["outcomes"].items()
            if k not in ("closed_by_silence", "reopened", "escalated")
        )
        == received
    )
    throughput = f["throughput_times"]
    for stats in [throughput["complaint"], *throughput["terms"].values()]:
        for unit in ("working_days", "calendar_days"):
            s = stats[unit]
            if s["count"]:
                assert 0 <= s["median"] <= s["p90"] <= s["max"]
    assert sum(f["nature_of_complaints"]["by_category"].values()) == received
    assert len(f["complaint_list"]) == received
    # The dashboard counts two periods in one query: the same figures as one query each.
    halves = [
        Period(dt.date(2027, 1, 1), dt.date(2027, 3, 31)),
        Period(dt.date(2027, 4, 1), dt.date(2027, 12, 31)),
    ]
    assert figures.treatment_families(d.organisation, halves, as_of) == [
        figures.treatment_family(figures.Scope(d.organisation, p, as_of)) for p in halves
    ]
    both = sum(
        family["complaints_received"]["total"]
        for family in figures.treatment_families(d.organisation, halves, as_of)
    )
    assert both == received


def test_the_periods_counted_together_may_not_overlap(desk: Any) -> None:
    d = desk("infocus-samen")
    overlapping = [
        Period(dt.date(2027, 1, 1), dt.date(2027, 6, 30)),
        Period(dt.date(2027, 6, 30), dt.date(2027, 12, 31)),
    ]
    with pytest.raises(ValueError):
        figures.treatment_families(d.organisation, overlapping, START)
