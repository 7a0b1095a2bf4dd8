"""The figures of the regulations' vocabulary, counted in the database (docs/reports.md).

Every figure reads the register only: the complaint columns the projection keeps (state,
outcome, closed_on, reopened, escalated, and how the complaint counts: its treatment, result
and term classes and its throughput, lifecycle.classes), the deadline rows and, for the
measures, the event log. Each family of figures is one aggregate query; Python only shapes the
grouped rows (a few dozen at most), never loops over the complaints themselves. The exception
is ``complaint_list``, which is a listing.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

from django.db import connection
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import TruncMonth

from klachtenregister.calendars import WorkingDayCalendar, load_calendar
from klachtenregister.lifecycle.classes import (
    IN_TERM,
    LATE,
    NO_TERM,
    NOT_TAKEN,
    PENDING,
    RESULTS,
    TAKEN,
    UNDECIDED,
    WITHDRAWN,
)
from klachtenregister.register.models import (
    Complaint,
    ComplaintDeadline,
    ComplaintEvent,
    ComplaintPerson,
    Membership,
    Organisation,
)
from klachtenregister.regulations.vocabulary import Event, RoleKind
from klachtenregister.reports.periods import Period

# The most senior kind of role first: a subject holding several counts under the first.
ROLE_ORDER = (
    RoleKind.DIRECTOR,
    RoleKind.MANAGER,
    RoleKind.COORDINATOR,
    RoleKind.HANDLER,
    RoleKind.COMMITTEE,
    RoleKind.EXTERNAL_PARTY,
    RoleKind.EMPLOYEE,
)
NO_SUBJECT, UNKNOWN_ROLE = "none", "unknown"
TREND_PERIODS = 3  # this period and the two before it


@dataclass(frozen=True)
class Scope:
    """Which complaints a report counts, and the day it is made (for terms still running)."""

    organisation: Organisation
    period: Period
    as_of: dt.date
    opdrachtgever: str = ""


def counted(
    organisation: Organisation, start: dt.date, end: dt.date, opdrachtgever: str = ""
) -> QuerySet[Complaint]:
    """The complaints received in [start, end] that count: a voided registration counts nowhere."""
    complaints = Complaint.objects.filter(
        organisation=organisation, received_on__gte=start, received_on__lte=end
    ).exclude(state="voided")
    if opdrachtgever:
        complaints = complaints.filter(commissioning_party__iexact=opdrachtgever)
    return complaints


def complaints_of(scope: Scope) -> QuerySet[Complaint]:
    return counted(scope.organisation, scope.period.start, scope.period.end, scope.opdrachtgever)


def term_on_day(as_of: dt.date) -> Case:
    """The term class on ``as_of`` from the classes the projection stored (lifecycle.classes):
    a term still running past its due date by then is late (``lifecycle.classes.term_on``)."""
    return Case(
        When(term_class=PENDING, term_running_due__lt=as_of, then=Value(LATE)),
        default=F("term_class"),
        output_field=CharField(),
    )


def _days(later: str, earlier: str) -> RawSQL:
    """Calendar days between two date columns of the queried table (PostgreSQL and SQLite
    subtract dates differently)."""
    if connection.vendor == "postgresql":
        return RawSQL(f"({later} - {earlier})", (), output_field=IntegerField())
    return RawSQL(
        f"CAST(julianday({later}) - julianday({earlier}) AS INTEGER)",
        (),
        output_field=IntegerField(),
    )


# --- the treatment family: received, (not) taken into treatment, in term, outcomes ----------


def treatment_family(scope: Scope) -> dict[str, Any]:
    """complaints_received, (not_)taken_into_treatment(_in_term) and outcomes: one query."""
    return treatment_families(scope.organisation, [scope.period], scope.as_of, scope.opdrachtgever)[
        0
    ]


def treatment_families(
    organisation: Organisation,
    periods: list[Period],
    as_of: dt.date,
    opdrachtgever: str = "",
) -> list[dict[str, Any]]:
    """``treatment_family`` for each of a few periods that do not overlap, in one query (the
    dashboard's this year and last year)."""
    ordered = sorted(periods, key=lambda p: p.start)
    if any(a.end >= b.start for a, b in pairwise(ordered)):
        raise ValueError("overlapping periods")
    within = Q()
    which = []
    for i, p in enumerate(periods):
        span = Q(received_on__gte=p.start, received_on__lte=p.end)
        within |= span
        which.append(When(span, then=Value(i)))
    complaints = counted(organisation, ordered[0].start, ordered[-1].end, opdrachtgever)
    rows = list(
        complaints.filter(within)
        .annotate(term=term_on_day(as_of), period=Case(*which, output_field=IntegerField()))
        .order_by()
        .values("period", "treatment", "result", "term")
        .annotate(
            # COUNT(*), and a never-null column of the index for the filtered counts: the
            # figures' index (register_complaint_figures) then answers without the table.
            n=Count("*"),
            extended=Count("received_on", filter=Q(term_extended=True)),
            reopened_n=Count("received_on", filter=Q(reopened=True)),
            silence_n=Count("received_on", filter=Q(state="closed", silence_closed=True)),
            escalated_n=Count("received_on", filter=Q(escalated=True)),
        )
    )
    return [_family([row for row in rows if row["period"] == i]) for i in range(len(periods))]


def _family(rows: list[dict[str, Any]]) -> dict[str, Any]:
    received = 0
    treatment: dict[str, int] = defaultdict(int)
    results: dict[str, int] = dict.fromkeys(RESULTS, 0)
    terms: dict[str, dict[str, int]] = {
        t: dict.fromkeys((IN_TERM, "extended", LATE, PENDING, WITHDRAWN, NO_TERM), 0)
        for t in (TAKEN, NOT_TAKEN)
    }
    reopened = escalated = silence = 0
    for row in rows:
        n = row["n"]
        received += n
        treatment[row["treatment"]] += n
        results[row["result"]] += n
        reopened += row["reopened_n"]
        silence += row["silence_n"]
        escalated += row["escalated_n"]
        if row["treatment"] in terms:
            terms[row["treatment"]][row["term"]] += n
            if row["term"] == IN_TERM:
                terms[row["treatment"]]["extended"] += row["extended"]

    def in_term(treatment_class: str) -> dict[str, int]:
        counts = terms[treatment_class]
        return {"total": counts[IN_TERM], **{k: v for k, v in counts.items() if k != IN_TERM}}

    return {
        "complaints_received": {
            "total": received,
            "open": results["open"],
            "undecided": treatment[UNDECIDED],
        },
        "not_taken_into_treatment": {"total": treatment[NOT_TAKEN]},
        "not_taken_into_treatment_in_term": in_term(NOT_TAKEN),
        "taken_into_treatment": {"total": treatment[TAKEN]},
        "taken_into_treatment_in_term": in_term(TAKEN),
        "outcomes": {
            **results,
            "closed_by_silence": silence,
            "reopened": reopened,
            "escalated": escalated,
        },
    }


def received_per_month(scope: Scope) -> list[dict[str, Any]]:
    """Complaints received per month of the period, every month listed (also with 0)."""
    counts = {
        row["month"].strftime("%Y-%m"): row["n"]
        for row in complaints_of(scope)
        .order_by()
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("*"))
    }
    months = []
    year, month = scope.period.start.year, scope.period.start.month
    while (year, month) <= (scope.period.end.year, scope.period.end.month):
        key = f"{year:04d}-{month:02d}"
        months.append({"month": key, "count": counts.get(key, 0)})
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


# --- throughput times -----------------------------------------------------------------------


@lru_cache(maxsize=16)
def _calendar(name: str) -> WorkingDayCalendar:
    return load_calendar(name)


def _statistics(values: dict[int, int]) -> dict[str, Any]:
    """Median, 90th percentile (nearest rank) and maximum of values weighted by their counts."""
    total = sum(values.values())
    if not total:
        return {"count": 0, "median": None, "p90": None, "max": None}

    def rank(fraction: float) -> int:
        # Nearest rank: the smallest value with at least ``fraction`` of the values at or below.
        needed = max(1, -(-int(fraction * 1000) * total // 1000))
        seen = 0
        for value in sorted(values):
            seen += values[value]
            if seen >= needed:
                return value
        return max(values)

    return {"count": total, "median": rank(0.5), "p90": rank(0.9), "max": max(values)}


def _throughput(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """The statistics of rows counted per (working days, calendar days); working days are None
    where the calendar does not reach."""
    working: dict[int, int] = defaultdict(int)
    days: dict[int, int] = defaultdict(int)
    for row in rows:
        n = row["n"]
        days[row["days"]] += n
        if row["working"] is not None:
            working[row["working"]] += n
    return {"working_days": _statistics(working), "calendar_days": _statistics(days)}


def throughput_times(scope: Scope) -> dict[str, Any]:
    """From receipt to closing per complaint, and from start to met per kind of term.

    Counted in the database per (working days, calendar days): the working days are stored by
    the projection (on the complaint and on each met term), so only a few hundred distinct
    values come back."""
    complaints = complaints_of(scope)
    whole = (
        complaints.filter(closed_on__isnull=False)
        .order_by()
        .values(working=F("throughput_working_days"), days=_days("closed_on", "received_on"))
        .annotate(n=Count("*"))
    )
    table = ComplaintDeadline._meta.db_table
    terms = (
        ComplaintDeadline.objects.filter(
            complaint__in=complaints.order_by().values("pk"), met_on__isnull=False
        )
        .order_by()
        .values(
            "kind",
            working=F("working_days"),
            days=_days(f'"{table}"."met_on"', f'"{table}"."start"'),
        )
        .annotate(n=Count("*"))
    )
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in terms:
        by_kind[row["kind"]].append(row)
    return {
        "complaint": _throughput(whole),
        "terms": {kind: _throughput(by_kind[kind]) for kind in sorted(by_kind)},
    }


# --- nature of complaints -------------------------------------------------------------------


def nature_of_complaints(scope: Scope) -> dict[str, Any]:
    """Complaints per category and per kind of role of the people complained about."""
    complaints = complaints_of(scope)
    by_category = {
        row["category"]: row["n"]
        for row in complaints.order_by().values("category").annotate(n=Count("*"))
    }
    seniority = Case(
        *(When(kind=kind.value, then=Value(i)) for i, kind in enumerate(ROLE_ORDER)),
        default=Value(len(ROLE_ORDER)),
    )
    role = Subquery(
        Membership.objects.filter(user=OuterRef("user"), organisation=scope.organisation)
        .annotate(seniority=seniority)
        .order_by("seniority")
        .values("kind")[:1]
    )
    subjects = ComplaintPerson.objects.filter(
        complaint__in=complaints, relation=ComplaintPerson.SUBJECT
    )
    by_role = {
        (row["role"] or UNKNOWN_ROLE): row["n"]
        for row in subjects.annotate(role=role)
        .order_by()
        .values("role")
        .annotate(n=Count("complaint", distinct=True))
    }
    without = complaints.exclude(
        Exists(
            ComplaintPerson.objects.filter(
                complaint=OuterRef("pk"), relation=ComplaintPerson.SUBJECT
            )
        )
    ).count()
    if without:
        by_role[NO_SUBJECT] = without
    return {
        "by_category": dict(sorted(by_category.items(), key=lambda kv: (-kv[1], kv[0]))),
        "by_subject_role": dict(sorted(by_role.items(), key=lambda kv: (-kv[1], kv[0]))),
    }


# --- trends ---------------------------------------------------------------------------------


def trends(scope: Scope) -> dict[str, Any]:
    """Received, taken and not taken into treatment, per category, for this period and the two
    same periods of the years before: one query."""
    periods = [scope.period.shifted_years(i) for i in range(TREND_PERIODS)]
    earliest = periods[-1]
    rows = (
        counted(scope.organisation, earliest.start, scope.period.end, scope.opdrachtgever)
        .order_by()
        .values("category", "treatment")
        .annotate(
            **{
                f"p{i}": Count(
                    "received_on", filter=Q(received_on__gte=p.start, received_on__lte=p.end)
                )
                for i, p in enumerate(periods)
            }
        )
    )
    totals = [{"received": 0, TAKEN: 0, NOT_TAKEN: 0} for _ in periods]
    categories: dict[str, list[int]] = defaultdict(lambda: [0] * len(periods))
    for row in rows:
        for i in range(len(periods)):
            n = row[f"p{i}"]
            totals[i]["received"] += n
            if row["treatment"] in (TAKEN, NOT_TAKEN):
                totals[i][row["treatment"]] += n
            categories[row["category"]][i] += n
    return {
        "periods": [
            {
                "from": p.start.isoformat(),
                "to": p.end.isoformat(),
                "complaints_received": totals[i]["received"],
                "taken_into_treatment": totals[i][TAKEN],
                "not_taken_into_treatment": totals[i][NOT_TAKEN],
            }
            for i, p in enumerate(periods)
        ],
        "by_category": {
            category: per_period
            for category, per_period in sorted(
                categories.items(), key=lambda kv: (-kv[1][0], kv[0])
            )
        },
    }


# --- the list -------------------------------------------------------------------------------


def complaint_list(scope: Scope, names: bool) -> list[dict[str, Any]]:
    """Every counted complaint of the period, by date of receipt; the complainant's name only
    when ``names`` (a role allowed personal data, a duty that is not anonymised)."""
    # Tuples, not dicts, from the database: at a large organisation's year (120,000 rows) the
    # per-row work here is most of the report's time (docs/performance.md).
    rows = (
        complaints_of(scope)
        .annotate(term=term_on_day(scope.as_of))
        .order_by("received_on", "year", "number")
        .values_list(
            "reference",
            "received_on",
            "category",
            "commissioning_party",
            "state",
            "treatment",
            "result",
            "term",
            "closed_on",
            "throughput_working_days",
            "reopened",
            "escalated",
            "complainant_name",
            "anonymous",
        )
    )
    listing = []
    for (
        reference,
        received,
        category,
        party,
        state,
        treatment,
        result,
        term,
        closed,
        working,
        reopened,
        escalated,
        complainant,
        anonymous,
    ) in rows:
        item: dict[str, Any] = {
            "reference": reference,
            "received_on": received.isoformat(),
            "category": category,
            "opdrachtgever": party,
            "state": state,
            "treatment": treatment,
            "outcome": result,
            "in_term": term or None,
            "closed_on": closed.isoformat() if closed else None,
            "throughput_working_days": working,
            "throughput_calendar_days": (closed - received).days if closed else None,
            "reopened": reopened,
            "escalated": escalated,
        }
        if names:
            item["complainant"] = "" if anonymous else complainant
        listing.append(item)
    return listing


# --- measures and reviews ------------------------------------------------------------------


def measures(scope: Scope, kind: str) -> dict[str, Any]:
    """The measures of a kind (corrective, preventive) recorded in the log of the counted
    complaints, with their follow-up (``MeasureResult``): one query."""
    from klachtenregister.reports.models import MeasureResult

    events = ComplaintEvent.objects.filter(
        complaint__in=complaints_of(scope),
        event=Event.MEASURES_RECORDED.value,
        payload__type=kind,
    )
    no_result = Q(measure_result__isnull=True)

    def with_value(field_name: str, value: str) -> Count:
        return Count("pk", filter=Q(**{f"measure_result__{field_name}": value}))

    counts = events.aggregate(
        measures=Count("pk"),
        complaints=Count("complaint", distinct=True),
        carried_out=Count("pk", filter=Q(measure_result__carried_out_on__isnull=False)),
        improved=with_value("effect", MeasureResult.IMPROVED),
        no_change=with_value("effect", MeasureResult.NO_CHANGE),
        effect_unknown=Count(
            "pk", filter=no_result | Q(measure_result__effect=MeasureResult.UNKNOWN)
        ),
        satisfied=with_value("satisfaction", MeasureResult.SATISFIED),
        not_satisfied=with_value("satisfaction", MeasureResult.NOT_SATISFIED),
        not_asked=Count(
            "pk", filter=no_result | Q(measure_result__satisfaction=MeasureResult.NOT_ASKED)
        ),
        no_result=Count("pk", filter=no_result),
    )
    return dict(counts)


def corrective_measures_satisfaction(scope: Scope) -> dict[str, Any]:
    counts = measures(scope, "corrective")
    keep = ("complaints", "measures", "carried_out", "satisfied", "not_satisfied", "not_asked")
    return {key: counts[key] for key in (*keep, "no_result")}


def preventive_measures_effect(scope: Scope) -> dict[str, Any]:
    counts = measures(scope, "preventive")
    keep = ("complaints", "measures", "carried_out", "improved", "no_change", "effect_unknown")
    return {key: counts[key] for key in (*keep, "no_result")}


def regulation_review(scope: Scope) -> dict[str, Any]:
    """The reviews in the period, the last one up to its end, and the years of the period that
    have ended without one."""
    from klachtenregister.reports.models import RegulationReview

    reviews = RegulationReview.objects.filter(
        organisation=scope.organisation, reviewed_on__lte=scope.period.end
    ).select_related("regulation_version")
    in_period = [
        {
            "date": r.reviewed_on.isoformat(),
            "by": r.reviewed_by,
            "meeting": r.meeting,
            "conclusion": r.conclusion,
            "new_version": r.new_version,
            "version": r.regulation_version.version,
        }
        for r in reviews.filter(reviewed_on__gte=scope.period.start).order_by("reviewed_on")
    ]
    last = reviews.order_by("-reviewed_on").values_list("reviewed_on", flat=True).first()
    reviewed_years = {str(r["date"])[:4] for r in in_period}
    ended = [
        year
        for year in range(scope.period.start.year, scope.period.end.year + 1)
        if dt.date(year, 12, 31) < scope.as_of
    ]
    return {
        "reviews": in_period,
        "last": last.isoformat() if last else None,
        "years_without_review": [year for year in ended if str(year) not in reviewed_years],
    }
