"""Benchmark: an organisation's yearly report and the dashboard at national scale (issue 13 §4),
on PostgreSQL.

Goals at 1,000,000 complaints: the yearly report (``reports.selectors.compute``, every figure of
``reports/figures.py``) in <= 1 s and the dashboard (``reports.dashboard.dashboard``) in <= 100 ms,
each within 1.5x of hand-written SQL that reads the same figures from the same stored columns
(one query per figure family: received and decided by the classes the projection stores,
outcomes, throughput counted per value, nature, per month, the complaint list; for the
dashboard the open complaints by state, the handlers' overdue and soon terms, this year against
last, per month and the old to-dos). Prints p50/p95 and the ratios, no asserts.

The register is made by bench/scale.py (the generator every bench shares: N complaints over
five organisations and three years, the services' rows, checked against the engine on a
sample) in a scratch database next to the one DATABASE_URL names; the report is of the last
complete year at the biggest organisation (iskander).

Run: DATABASE_URL=postgres://user@host:5432/postgres .venv/bin/python bench/reports.py
     [--complaints N] [--repeat R] [--database NAME] [--keep] [--reuse]
(BENCH_COMPLAINTS=N sets the default of --complaints.)
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import time
from collections.abc import Callable
from typing import Any

import scale  # bench/scale.py: python puts the script's folder first on the path

REPORT_GOAL_MS = 1000.0
DASHBOARD_GOAL_MS = 100.0
RATIO_GOAL = 1.5
SLUG = "iskander"

# The yearly report's figures by hand, one query per family, for complaints received in the
# period and not voided.
REPORT_SQL = [
    # received, taken / not taken / undecided with the term class on the day, outcomes: the
    # classes the projection stores with each complaint
    """
    SELECT treatment, result,
        CASE WHEN term_class = 'pending' AND term_running_due < %(today)s THEN 'late'
             ELSE term_class END,
        count(*), count(*) FILTER (WHERE term_extended), count(*) FILTER (WHERE reopened),
        count(*) FILTER (WHERE state = 'closed' AND silence_closed),
        count(*) FILTER (WHERE escalated)
    FROM register_complaint
    WHERE organisation_id = %(org)s AND received_on BETWEEN %(start)s AND %(end)s
      AND state <> 'voided'
    GROUP BY 1, 2, 3
    """,
    # per month
    """
    SELECT date_trunc('month', received_on), count(*) FROM register_complaint
    WHERE organisation_id = %(org)s AND received_on BETWEEN %(start)s AND %(end)s
      AND state <> 'voided'
    GROUP BY 1
    """,
    # throughput: whole complaint and per kind of term, in working days (stored) and days
    """
    SELECT throughput_working_days, closed_on - received_on, count(*)
    FROM register_complaint
    WHERE organisation_id = %(org)s AND received_on BETWEEN %(start)s AND %(end)s
      AND state <> 'voided' AND closed_on IS NOT NULL
    GROUP BY 1, 2
    """,
    """
    SELECT d.kind, d.working_days, d.met_on - d.start, count(*)
    FROM register_complaint c JOIN register_complaintdeadline d ON d.complaint_id = c.id
    WHERE c.organisation_id = %(org)s AND c.received_on BETWEEN %(start)s AND %(end)s
      AND c.state <> 'voided' AND d.met_on IS NOT NULL
    GROUP BY 1, 2, 3
    """,
    # nature: by category, by subject's role
    """
    SELECT category, count(*) FROM register_complaint
    WHERE organisation_id = %(org)s AND received_on BETWEEN %(start)s AND %(end)s
      AND state <> 'voided'
    GROUP BY 1
    """,
    """
    SELECT m.kind, count(DISTINCT c.id)
    FROM register_complaint c
    LEFT JOIN register_complaintperson p ON p.complaint_id = c.id AND p.relation = 'subject'
    LEFT JOIN register_membership m
        ON m.user_id = p.user_id AND m.organisation_id = c.organisation_id
    WHERE c.organisation_id = %(org)s AND c.received_on BETWEEN %(start)s AND %(end)s
      AND c.state <> 'voided'
    GROUP BY 1
    """,
    # trends: received per year, category and treatment, this year and the ones before
    """
    SELECT year, category, treatment, count(*) FROM register_complaint
    WHERE organisation_id = %(org)s AND received_on BETWEEN %(trend_start)s AND %(end)s
      AND state <> 'voided'
    GROUP BY 1, 2, 3
    """,
    # the complaint list
    """
    SELECT c.reference, c.received_on, c.category, c.commissioning_party, c.state, c.treatment,
        c.result, CASE WHEN c.term_class = 'pending' AND c.term_running_due < %(today)s
            THEN 'late' ELSE c.term_class END,
        c.closed_on, c.throughput_working_days, c.reopened, c.escalated, c.complainant_name,
        c.anonymous
    FROM register_complaint c
    WHERE c.organisation_id = %(org)s AND c.received_on BETWEEN %(start)s AND %(end)s
      AND c.state <> 'voided'
    ORDER BY c.received_on, c.year, c.number
    """,
]
DASHBOARD_SQL = [
    """
    SELECT state, count(*) FROM register_complaint
    WHERE organisation_id = %(org)s AND state = ANY(%(open)s) GROUP BY 1
    """,
    """
    SELECT p.user_id, count(DISTINCT d.complaint_id) FILTER (WHERE d.due < %(today)s),
        count(DISTINCT d.complaint_id) FILTER (WHERE d.due >= %(today)s)
    FROM register_complaintdeadline d
    JOIN register_complaint c ON c.id = d.complaint_id
    LEFT JOIN register_complaintparticipant p
        ON p.complaint_id = c.id AND p.capacity = 'handler'
    WHERE c.organisation_id = %(org)s AND c.state = ANY(%(open)s) AND d.running
      AND d.due <= %(soon)s AND c.next_due <= %(soon)s
    GROUP BY 1
    """,
    """
    SELECT received_on >= %(year_start)s, treatment, result,
        CASE WHEN term_class = 'pending' AND term_running_due < %(today)s THEN 'late'
             ELSE term_class END,
        count(*), count(*) FILTER (WHERE term_extended)
    FROM register_complaint c
    WHERE c.organisation_id = %(org)s AND c.state <> 'voided'
      AND (c.received_on BETWEEN %(year_start)s AND %(today)s
           OR c.received_on BETWEEN %(last_start)s AND %(last_today)s)
    GROUP BY 1, 2, 3, 4
    """,
    """
    SELECT date_trunc('month', received_on), count(*) FROM register_complaint
    WHERE organisation_id = %(org)s AND received_on BETWEEN %(year_start)s AND %(today)s
      AND state <> 'voided'
    GROUP BY 1
    """,
    # open to-dos older than the setting, the oldest 50
    """
    SELECT c.reference, t.label, t.created_on
    FROM register_complainttodo t JOIN register_complaint c ON c.id = t.complaint_id
    WHERE t.organisation_id = %(org)s AND t.status = 'open' AND t.created_on < %(todo_before)s
    ORDER BY t.created_on, c.reference, t.position
    LIMIT 50
    """,
]


def percentiles(timings: list[float]) -> tuple[float, float]:
    ordered = sorted(timings)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered), p95


def timed(action: Callable[[], Any], repeat: int, budget: float = 60.0) -> tuple[float, float]:
    """p50 and p95 in ms of ``repeat`` warm runs (at least 3; fewer when over ``budget`` s)."""
    action()
    timings: list[float] = []
    start = time.perf_counter()
    while len(timings) < repeat and (len(timings) < 3 or time.perf_counter() - start < budget):
        began = time.perf_counter()
        action()
        timings.append((time.perf_counter() - began) * 1000)
    return percentiles(timings)


def run_sql(statements: list[str], params: dict[str, Any]) -> None:
    from django.db import connection, transaction

    from klachtenregister.reports.working_memory import WORK_MEM

    # The same room to aggregate as the report and the dashboard take (reports.working_memory):
    # the comparison is of the queries, not of the server's setting.
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config('work_mem', %s, true)", [WORK_MEM])
        for sql in statements:
            cursor.execute(sql, params)
            cursor.fetchall()


def verdict(met: bool) -> str:
    return "met" if met else "NOT met"


def line(name: str, page: tuple[float, float], sql: tuple[float, float], goal: float) -> None:
    ratio = page[0] / sql[0]
    print(
        f"{name:<16} p50 / p95 {page[0]:8.1f} / {page[1]:8.1f} ms; hand-written SQL "
        f"{sql[0]:7.1f} / {sql[1]:7.1f} ms; goal <= {goal:.0f} ms {verdict(page[0] <= goal)}, "
        f"ratio {ratio:.2f}x {verdict(ratio <= RATIO_GOAL)} (<= {RATIO_GOAL}x)"
    )


def measure(args: argparse.Namespace) -> None:
    from django.conf import settings

    from klachtenregister.register import clock
    from klachtenregister.register.models import OPEN_STATES, Complaint, Organisation
    from klachtenregister.register.selectors.watchlist import SOON_WORKING_DAYS
    from klachtenregister.regulations.terms import calendar_of
    from klachtenregister.reports import dashboard
    from klachtenregister.reports.periods import parse_period
    from klachtenregister.reports.selectors import ReportRequest, compute

    organisation = Organisation.objects.get(slug=SLUG)
    last = Complaint.objects.filter(organisation=organisation).order_by("-received_on").first()
    assert last is not None, "an empty register"
    year = last.received_on.year - 1
    period = parse_period(str(year))
    count = Complaint.objects.filter(organisation=organisation, received_on__year=year).count()
    today = clock.today()
    report_params = {
        "org": organisation.pk,
        "start": period.start,
        "end": period.end,
        "trend_start": dt.date(year - 2, 1, 1),
        "today": today,
    }
    request = ReportRequest(organisation, period, names=True)
    report = timed(lambda: compute(request, as_of=today), args.repeat)
    report_sql = timed(lambda: run_sql(REPORT_SQL, report_params), args.repeat)
    print(f"yearly report:   {SLUG} {year}, {count:,} complaints received that year")
    line("yearly report", report, report_sql, REPORT_GOAL_MS)

    from klachtenregister.register.selectors.history import regulation_of_version
    from klachtenregister.register.selectors.regulations import regulation_version_for

    calendar = calendar_of(regulation_of_version(regulation_version_for(organisation, today)))
    year_start = dt.date(today.year, 1, 1)
    dashboard_params = {
        "org": organisation.pk,
        "open": list(OPEN_STATES),
        "today": today,
        "soon": calendar.add_working_days(today, SOON_WORKING_DAYS),
        "year_start": year_start,
        "last_start": year_start.replace(year=today.year - 1),
        "last_today": today.replace(year=today.year - 1),
        "todo_before": today - dt.timedelta(days=settings.TODO_OPEN_DAYS),
    }
    board = timed(lambda: dashboard.dashboard(organisation), args.repeat)
    board_sql = timed(lambda: run_sql(DASHBOARD_SQL, dashboard_params), args.repeat)
    opened = Complaint.objects.filter(organisation=organisation, state__in=OPEN_STATES).count()
    print(f"dashboard:       {SLUG} on {today}, {opened:,} open complaints")
    line("dashboard", board, board_sql, DASHBOARD_GOAL_MS)


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--complaints",
        type=int,
        default=int(os.environ.get("BENCH_COMPLAINTS") or scale.DEFAULT_COMPLAINTS),
    )
    parser.add_argument("--repeat", type=int, default=20)
    scale.database_arguments(parser)
    return parser.parse_args()


def main() -> None:
    args = arguments()
    scale.setup_django(args.database, args.reuse, "bench/reports.py")
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        if not args.reuse:
            began = time.perf_counter()
            scale.fill_checked(args.complaints)
            print(f"generated:       in {time.perf_counter() - began:.1f} s (bench/scale.py)")
        print(scale.summary())
        measure(args)
    finally:
        scale.release(args)


if __name__ == "__main__":
    main()
