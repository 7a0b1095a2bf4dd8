"""Benchmark: the worker's periodic jobs at national scale (issue 17, "Worker at 1M"), on
PostgreSQL.

Goal: each periodic job finishes in <= 10 s at 1,000,000 complaints, in batches with constant
memory, using the indexes rather than a scan of every complaint. Prints per job the seconds of
its first run (what the scheduler's run of the day or hour does), the seconds of a second run
straight after (a rerun finds everything done: the outbox keys and the log make the jobs
idempotent), the number of queries and the peak memory. No asserts.

The jobs, as ``watch.jobs`` runs them: the silence closures (``carry_out_closures``, first in
the hourly deadline watch and the digest), the missed-deadline notices
(``notify_missed_deadlines``), the morning digest (``send_digests``) and the AVG retention
(``privacy.run_retention``), each on today (the generated register runs to the end of last
month, so its open complaints' terms are running or ran out). Each job runs in a child process
forked for it, so its peak memory is its own: the child's peak resident size (Linux's VmHWM,
reset when the child starts) less its size then. Queries are counted by a wrapper on the
connection (no query log kept).

The register is made by bench/scale.py like the other benches: a scratch database next to the
one DATABASE_URL names (dropped at the end unless --keep; --reuse measures a kept one, e.g. the
1,000,000 of ``bench/complaint_list.py --keep``). A reused register's jobs have run before only
if an earlier run of this bench did so on it (then the first run finds little to do: say so).

Run: DATABASE_URL=postgres://user@host:5432/postgres .venv/bin/python bench/worker.py
     [--complaints N] [--database NAME] [--keep] [--reuse] [--jobs closures,notices,...]
(BENCH_COMPLAINTS=N sets the default of --complaints.)
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import time
from collections.abc import Callable
from typing import Any

import scale  # bench/scale.py: python puts the script's folder first on the path

JOB_GOAL_S = 10.0


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--complaints", type=int, default=int(os.environ.get("BENCH_COMPLAINTS") or 1_000_000)
    )
    scale.database_arguments(parser)
    parser.add_argument(
        "--jobs",
        default="closures,notices,digest,retention",
        help="comma-separated: closures, notices, digest, retention",
    )
    return parser.parse_args()


def jobs() -> dict[str, tuple[str, Callable[[Any, Any], object]]]:
    from klachtenregister.privacy import services as privacy
    from klachtenregister.watch import services

    return {
        "closures": (
            "silence closures (carry_out_closures)",
            lambda today, now: len(services.carry_out_closures(today)),
        ),
        "notices": (
            "missed-deadline notices (notify_missed_deadlines)",
            lambda today, now: len(services.notify_missed_deadlines(today, now)),
        ),
        "digest": (
            "digest (send_digests)",
            lambda today, now: len(services.send_digests(today, now)),
        ),
        "retention": ("retention (run_retention)", lambda today, now: privacy.run_retention(now)),
    }


def _memory_mib(field: str) -> float:
    """VmRSS (resident now) or VmHWM (its peak) of this process, in MiB (Linux)."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def _child(name: str, results: Any) -> None:
    """Run one job twice in this forked process; report seconds, queries and peak memory."""
    from django.db import connection
    from django.utils import timezone

    # The peak resident size starts again at the current one (Linux: clear_refs 5), so the
    # job's peak is measured against what the process held before it.
    with open("/proc/self/clear_refs", "w") as clear:
        clear.write("5")
    base_mib = _memory_mib("VmRSS")

    job = jobs()[name][1]
    queries = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries[0] += 1
        return execute(sql, params, many, context)

    now = timezone.now()
    today = timezone.localdate(now)
    with connection.execute_wrapper(count):
        began = time.perf_counter()
        result = job(today, now)
        seconds = time.perf_counter() - began
        first_queries = queries[0]
        peak = _memory_mib("VmHWM") - base_mib
        queries[0] = 0
        began = time.perf_counter()
        again = job(today, now)
        rerun = time.perf_counter() - began
    results.put((seconds, first_queries, peak, str(result), rerun, queries[0], str(again)))


def measure(names: list[str]) -> None:
    from django.db import connections
    from django.urls import reverse
    from django.utils import timezone

    from klachtenregister.register.selectors.regulations import organisations_with_regulations

    # What a running worker has done once at its start: the URLs imported (the mails link to
    # the complaints) and the regulations parsed (cached per process). Done here, before the
    # forks, so each job's time is the job's.
    reverse("start")
    organisations_with_regulations(timezone.localdate())
    context = multiprocessing.get_context("fork")
    for name in names:
        label = jobs()[name][0]
        connections.close_all()  # the child opens its own
        results = context.Queue()
        child = context.Process(target=_child, args=(name, results))
        child.start()
        child.join()
        if child.exitcode != 0:
            print(f"{label}: failed (exit {child.exitcode})")
            continue
        seconds, queries, peak, result, rerun, rerun_queries, again = results.get()
        print(
            f"{label}:\n  first run {seconds:.2f} s, {queries:,} queries, peak memory "
            f"+{peak:.0f} MiB (result {result}); rerun {rerun:.2f} s, {rerun_queries:,} "
            f"queries (result {again}); goal <= {JOB_GOAL_S:.0f} s: "
            f"{'met' if seconds <= JOB_GOAL_S else 'NOT met'}"
        )


def main() -> None:
    args = arguments()
    names = [name.strip() for name in args.jobs.split(",") if name.strip()]
    scale.setup_django(args.database, args.reuse, "bench/worker.py")
    from django.core.management import call_command

    try:
        began = time.perf_counter()
        call_command("migrate", verbosity=0)
        if args.reuse:
            seconds = time.perf_counter() - began
            print(f"database:   {args.database} (kept, migrated in {seconds:.1f} s)")
        else:
            print(f"database:   {args.database} (migrated)")
            began = time.perf_counter()
            scale.fill_checked(args.complaints)
            print(
                f"generated:  {args.complaints:,} complaints in "
                f"{time.perf_counter() - began:.1f} s (bench/scale.py)"
            )
        print(scale.summary())
        measure(names)
    finally:
        scale.release(args)


if __name__ == "__main__":
    main()
