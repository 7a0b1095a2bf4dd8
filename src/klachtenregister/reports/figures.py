"""The figures of the regulations' vocabulary, counted in the database (docs/reports.md).

Every figure reads the register only: the complaint columns the projection keeps (state,
outcome, closed_on, reopened, escalated), the deadline rows and the event log. Each family of
figures is one aggregate query; Python only shapes the grouped rows (a few dozen at most), never
loops over the complaints themselves. The exception is ``complaint_list``, which is a listing.
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
    Count,
    Exists,
    F,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import TruncMonth

from klachtenregister.calendars import WorkingDayCalendar, load_calendar
from klachtenregister.calendars.errors import CalendarRangeError
from klachtenregister.lifecycle.events import SYSTEM_ACTOR
from klachtenregister.register.models import (
    Complaint,
    ComplaintDeadline,
    ComplaintEvent,
    ComplaintPerson,
    Membership,
    Organisation,
    RegulationVersion,
)
from klachtenregister.regulations.vocabulary import DeadlineKind, Event, RoleKind
from klachtenregister.reports.periods import Period

# Which terms say whether a complaint was handled "in term" (docs/reports.md, "In term").
NOT_TAKEN_TERMS = (DeadlineKind.INADMISSIBILITY_NOTICE.value,)
TAKEN_TERMS = (DeadlineKind.DECISION.value, DeadlineKind.FINAL_REPORT.value)

# Treatment (admissibility) classes; they partition the complaints that count.
TAKEN, NOT_TAKEN, UNDECIDED = "taken", "not_taken", "undecided"

# Results (outcomes): every counted complaint has exactly one.
RESULTS = (
    "founded",
    "partly_founded",
    "unfounded",
    "resolved_informally",
    "not_taken_into_treatment",
    "withdrawn",
    "closed",
    "open",
)

# Term classes of a complaint for the "in term" figures; they partition each treatment class.
IN_TERM, LATE, PENDING, WITHDRAWN, NO_TERM = "in_term", "late", "pending", "withdrawn", "no_term"

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


def _literal(value: str) -> str:
    """A vocabulary word as an SQL string literal (they are identifiers: no quoting needed)."""
    assert value.replace("_", "").isalnum(), value
    return f"'{value}'"


def _in(values: Iterable[str]) -> str:
    return "(" + ", ".join(_literal(v) for v in values) + ")"


# Each complaint's classes, computed once per complaint: one pass over its log rows and one
# over its term rows (each an index scan on the complaint), then the treatment, the result and
# the term class from those facts. Written in SQL because the ORM inlines every correlated
# subquery again wherever a class refers to another, which PostgreSQL then plans dozens of
# times over the whole log (docs/performance.md).
_CLASSES_SQL = """
SELECT c.*, ev.silence_closed, tr.treatment, rs.result, tm.term, tm.term_extended
FROM ({base}) c
CROSS JOIN LATERAL (
    SELECT (array_agg(e.event ORDER BY e.sequence DESC)
                FILTER (WHERE e.event IN {admission}))[1] AS last_admission,
        coalesce(bool_or(e.event = {resolved}), false) AS was_resolved,
        coalesce(bool_or(e.event = {closed} AND e.role = {system}), false) AS silence_closed
    FROM {event} e
    WHERE e.complaint_id = c.id AND e.event IN {events}
) ev
CROSS JOIN LATERAL (
    SELECT {flags}
    FROM {deadline} d
    WHERE d.complaint_id = c.id AND d.kind IN {kinds}
) dl
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN ev.last_admission = {inadmissible} THEN {not_taken}
        WHEN ev.last_admission = {accepted} OR c.outcome <> '' OR ev.was_resolved
            THEN {taken}
        ELSE {undecided}
    END AS treatment
) tr
CROSS JOIN LATERAL (
    SELECT CASE
        WHEN c.state = 'withdrawn' THEN 'withdrawn'
        WHEN c.outcome <> '' THEN c.outcome
        WHEN ev.was_resolved THEN 'resolved_informally'
        WHEN tr.treatment = {not_taken} THEN 'not_taken_into_treatment'
        WHEN c.state = 'closed' THEN 'closed'
        ELSE 'open'
    END AS result
) rs
CROSS JOIN LATERAL (
    SELECT CASE
            WHEN tr.treatment = {not_taken} THEN {nt_term}
            WHEN tr.treatment = {taken} THEN {t_term}
            ELSE ''
        END AS term,
        CASE
            WHEN tr.treatment = {not_taken} THEN dl.nt_extended
            WHEN tr.treatment = {taken} THEN dl.t_extended
            ELSE false
        END AS term_extended
) tm
"""


# The complaint columns the figures read beside the classes.
_CLASS_COLUMNS = (
    "id",
    "reference",
    "received_on",
    "year",
    "number",
    "category",
    "commissioning_party",
    "state",
    "outcome",
    "closed_on",
    "reopened",
    "escalated",
    "complainant_name",
    "anonymous",
    "regulation_version_id",
)


def _classes(complaints: QuerySet[Complaint], as_of: dt.date) -> tuple[str, tuple[Any, ...]]:
    """The SQL (and its parameters) of the counted complaints with their classes: treatment,
    result, term and term_extended, besides the complaint columns the figures read."""
    base, params = complaints.order_by().values(*_CLASS_COLUMNS).query.sql_with_params()
    day = f"DATE '{as_of.isoformat()}'"
    flags = []
    term_cases = {}
    for prefix, kinds in (("nt", NOT_TAKEN_TERMS), ("t", TAKEN_TERMS)):
        # The rows are projected as of the complaint's last event: a term still running past
        # its due date on the report's day is late too.
        conditions = {
            "has": "true",
            "late": f"(d.status = 'missed' OR (d.running AND d.due < {day}))",
            "pending": f"(d.running AND d.due >= {day})",
            "extended": "d.extensions > 0",
        }
        for name, condition in conditions.items():
            flags.append(
                f"coalesce(bool_or(d.kind IN {_in(kinds)} AND {condition}), false)"
                f" AS {prefix}_{name}"
            )
        term_cases[f"{prefix}_term"] = (
            f"CASE WHEN rs.result = 'withdrawn' THEN {_literal(WITHDRAWN)}"
            f" WHEN dl.{prefix}_late THEN {_literal(LATE)}"
            f" WHEN dl.{prefix}_pending OR rs.result = 'open' THEN {_literal(PENDING)}"
            f" WHEN NOT dl.{prefix}_has THEN {_literal(NO_TERM)}"
            f" ELSE {_literal(IN_TERM)} END"
        )
    admission = (Event.ACCEPTED.value, Event.DECLARED_INADMISSIBLE.value)
    sql = _CLASSES_SQL.format(
        event=ComplaintEvent._meta.db_table,
        deadline=ComplaintDeadline._meta.db_table,
        admission=_in(admission),
        events=_in((*admission, Event.RESOLVED_INFORMALLY.value, Event.CLOSED.value)),
        resolved=_literal(Event.RESOLVED_INFORMALLY.value),
        closed=_literal(Event.CLOSED.value),
        system=_literal(SYSTEM_ACTOR),
        flags=",\n        ".join(flags),
        kinds=_in((*NOT_TAKEN_TERMS, *TAKEN_TERMS)),
        inadmissible=_literal(Event.DECLARED_INADMISSIBLE.value),
        accepted=_literal(Event.ACCEPTED.value),
        not_taken=_literal(NOT_TAKEN),
        taken=_literal(TAKEN),
        undecided=_literal(UNDECIDED),
        base=base,
        **term_cases,
    )
    return sql, tuple(params)


def _rows(sql: str, params: tuple[Any, ...]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


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
        within |= Q(received_on__gte=p.start, received_on__lte=p.end)
        which.append(
            f"WHEN received_on BETWEEN DATE '{p.start.isoformat()}'"
            f" AND DATE '{p.end.isoformat()}' THEN {i}"
        )
    complaints = counted(organisation, ordered[0].start, ordered[-1].end, opdrachtgever)
    classes, params = _classes(complaints.filter(within), as_of)
    rows = _rows(
        f"""
        SELECT CASE {" ".join(which)} END AS period, treatment, result, term, count(*) AS n,
            count(*) FILTER (WHERE term_extended) AS extended,
            count(*) FILTER (WHERE reopened) AS reopened_n,
            count(*) FILTER (WHERE state = 'closed' AND silence_closed) AS silence_n,
            count(*) FILTER (WHERE escalated) AS escalated_n
        FROM ({classes}) k
        GROUP BY 1, treatment, result, term
        """,
        params,
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
        .annotate(n=Count("pk"))
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


def _working_days(calendar_name: str, start: dt.date, end: dt.date) -> int | None:
    try:
        return _calendar(calendar_name).working_days_between(start, end)
    except CalendarRangeError:
        return None


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
    working: dict[int, int] = defaultdict(int)
    days: dict[int, int] = defaultdict(int)
    for row in rows:
        n = row["n"]
        days[(row["end"] - row["start"]).days] += n
        count = _working_days(row["calendar"], row["start"], row["end"])
        if count is not None:
            working[count] += n
    return {"working_days": _statistics(working), "calendar_days": _statistics(days)}


def throughput_times(scope: Scope) -> dict[str, Any]:
    """From receipt to closing per complaint, and from start to met per kind of term.

    Grouped in the database by (calendar, start, end): the distinct pairs of days are few
    compared to the complaints, and only they are counted on the calendar here.
    """
    complaints = complaints_of(scope)
    whole = (
        complaints.filter(closed_on__isnull=False)
        .order_by()
        .values(
            calendar=F("regulation_version__calendar"), start=F("received_on"), end=F("closed_on")
        )
        .annotate(n=Count("pk"))
    )
    terms = (
        ComplaintDeadline.objects.filter(complaint__in=complaints, met_on__isnull=False)
        .order_by()
        .values(
            "kind",
            calendar=F("complaint__regulation_version__calendar"),
            end=F("met_on"),
            start_day=F("start"),
        )
        .annotate(n=Count("pk"))
    )
    by_kind: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for row in terms:
        by_kind[row["kind"]].append({**row, "start": row["start_day"]})
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
        for row in complaints.order_by().values("category").annotate(n=Count("pk"))
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
    classes, params = _classes(
        counted(scope.organisation, earliest.start, scope.period.end, scope.opdrachtgever),
        scope.as_of,
    )
    counts = ", ".join(
        f"count(*) FILTER (WHERE received_on BETWEEN DATE '{p.start.isoformat()}'"
        f" AND DATE '{p.end.isoformat()}') AS p{i}"
        for i, p in enumerate(periods)
    )
    rows = _rows(
        f"SELECT category, treatment, {counts} FROM ({classes}) k GROUP BY category, treatment",
        params,
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
    classes, params = _classes(complaints_of(scope), scope.as_of)
    rows = _rows(
        f"""
        SELECT k.*, v.calendar FROM ({classes}) k
        JOIN {RegulationVersion._meta.db_table} v ON v.id = k.regulation_version_id
        ORDER BY k.received_on, k.year, k.number
        """,
        params,
    )
    listing = []
    for row in rows:
        closed = row["closed_on"]
        item: dict[str, Any] = {
            "reference": row["reference"],
            "received_on": row["received_on"].isoformat(),
            "category": row["category"],
            "opdrachtgever": row["commissioning_party"],
            "state": row["state"],
            "treatment": row["treatment"],
            "outcome": row["result"],
            "in_term": row["term"] or None,
            "closed_on": closed.isoformat() if closed else None,
            "throughput_working_days": (
                _working_days(row["calendar"], row["received_on"], closed) if closed else None
            ),
            "throughput_calendar_days": (closed - row["received_on"]).days if closed else None,
            "reopened": row["reopened"],
            "escalated": row["escalated"],
        }
        if names:
            item["complainant"] = "" if row["anonymous"] else row["complainant_name"]
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
