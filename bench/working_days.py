"""Benchmark: working-day additions per second, against numpy.busday_offset.

Run: .venv/bin/python bench/working_days.py [--calls N]
"""

import argparse
import random
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np

from klachtenregister.calendars import WorkingDayCalendar, load_calendar

TARGET_PER_SECOND = 1_000_000
SEED = 20260101
MAX_N = 500


def make_inputs(cal: WorkingDayCalendar, count: int, seed: int) -> tuple[list[date], list[int]]:
    """Random start dates with n in 1..MAX_N whose results stay inside the calendar's range.

    n >= 1 only: numpy has no equivalent of "n = 0 returns the start day itself" on a
    non-working start day.
    """
    rng = random.Random(seed)
    # 500 working days take under three calendar years; keep that margin before the end.
    span = (cal.last_day - cal.first_day).days - 3 * 366
    starts = [cal.first_day + timedelta(days=rng.randrange(span)) for _ in range(count)]
    counts = [rng.randint(1, MAX_N) for _ in range(count)]
    return starts, counts


def numpy_calendar(cal: WorkingDayCalendar) -> np.busdaycalendar:
    """A numpy business-day calendar with exactly the calendar's non-working days."""
    weekmask = [0 if weekday in cal.weekend else 1 for weekday in range(7)]
    closed = [
        day
        for year in range(cal.first_day.year, cal.last_day.year + 1)
        for day in cal.holidays(year)
    ]
    return np.busdaycalendar(weekmask=weekmask, holidays=np.array(closed, dtype="datetime64[D]"))


def rate(label: str, calls: int, run: Callable[[], object]) -> tuple[float, object]:
    started = time.perf_counter()
    result = run()
    elapsed = time.perf_counter() - started
    per_second = calls / elapsed
    print(f"  {label:<44} {per_second:>14,.0f} /s   ({elapsed:.3f} s for {calls:,})")
    return per_second, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1_000_000)
    parser.add_argument("--numpy-loop-calls", type=int, default=200_000)
    parser.add_argument("--calendar", default="nl-atw")
    args = parser.parse_args()

    cal = load_calendar(args.calendar)
    starts, counts = make_inputs(cal, args.calls, SEED)
    busdaycal = numpy_calendar(cal)
    print(
        f"calendar {cal.name} ({cal.first_day.year}..{cal.last_day.year}), "
        f"{args.calls:,} random (date, n) with n in 1..{MAX_N}, seed {SEED}, "
        f"Python {sys.version.split()[0]}, numpy {np.__version__}"
    )

    add = cal.add_working_days
    ours, ours_results = rate(
        "klachtenregister add_working_days (loop)",
        args.calls,
        lambda: list(map(add, starts, counts)),
    )

    starts_np = np.array(starts, dtype="datetime64[D]")
    counts_np = np.array(counts, dtype=np.int64)

    # roll="backward" first moves a non-working start to the previous working day p; the n-th
    # working day after p is the n-th after the start, because none lies between them. That is
    # "the day of X does not count" for every start day, for n >= 1.
    def vectorised() -> np.ndarray:
        return np.busday_offset(starts_np, counts_np, roll="backward", busdaycal=busdaycal)

    numpy_vector, numpy_results = rate(
        "numpy.busday_offset (one vectorised call)", args.calls, vectorised
    )
    numpy_dates = numpy_results.astype("datetime64[D]").tolist()
    mismatches = sum(1 for a, b in zip(ours_results, numpy_dates, strict=True) if a != b)
    assert mismatches == 0, f"{mismatches} results differ from numpy.busday_offset"

    loop_calls = min(args.numpy_loop_calls, args.calls)
    loop_starts = starts_np[:loop_calls].tolist()
    loop_counts = counts[:loop_calls]

    def per_call() -> list[np.datetime64]:
        offset = np.busday_offset
        return [
            offset(d, n, roll="backward", busdaycal=busdaycal)
            for d, n in zip(loop_starts, loop_counts, strict=True)
        ]

    numpy_loop, loop_results = rate(
        "numpy.busday_offset (one call per input)", loop_calls, per_call
    )
    loop_dates = [r.astype("datetime64[D]").item() for r in loop_results]
    assert loop_dates == ours_results[:loop_calls], "per-call numpy results differ"

    print(f"results identical to numpy for all {args.calls:,} inputs")
    print(f"ratio ours / numpy vectorised: {ours / numpy_vector:.2f}")
    print(f"ratio ours / numpy per call:   {ours / numpy_loop:.2f}")
    verdict = "met" if ours >= TARGET_PER_SECOND else "NOT met"
    print(f"target {TARGET_PER_SECOND:,} add_working_days calls per second: {verdict}")


if __name__ == "__main__":
    main()
