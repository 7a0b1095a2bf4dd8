"""Benchmark: replaying a complaint's event log through the lifecycle engine.

The back office replays a complaint's whole log on every event, so a replay of a few hundred
events must take milliseconds. Prints the time per replay and per event, and the ratio to that
goal.

Run: .venv/bin/python bench/lifecycle.py [--events N] [--repeat R]
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from klachtenregister.lifecycle import ComplaintFacts, EventRecord, record, replay
from klachtenregister.regulations.loader import load_preset

GOAL_MS = 10.0  # a replay of a few hundred events "takes milliseconds"


def long_history(events: int) -> list[EventRecord]:
    """An Iskander complaint with a long handling: many hearings, each with its report term."""
    start = dt.date(2027, 1, 4)
    history = [
        record(start, "received", channel="written", facts_date=start),
        record(start, "registered"),
        record(start + dt.timedelta(days=1), "acknowledged"),
        record(start + dt.timedelta(days=1), "accepted"),
        record(start + dt.timedelta(days=1), "handler_assigned", handler="piet"),
    ]
    day = start + dt.timedelta(days=2)
    while len(history) < events - 2:
        history.append(record(day, "hearing_held", heard=["klager", "jan"]))
        history.append(record(day, "hearing_report_sent"))
        history.append(record(day, "progress_notice_sent"))
        day += dt.timedelta(days=1)
    history.append(record(day, "decision_made", outcome="partly_founded"))
    history.append(record(day, "decision_sent"))
    return history


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--events", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=50)
    args = parser.parse_args()

    regulation = load_preset("iskander")
    facts = ComplaintFacts.of(["jan"])
    history = long_history(args.events)
    result = replay(regulation, history, facts)  # warm-up, and a check that it is all allowed
    assert result.refused is None, result.refused

    timings = []
    for _ in range(args.repeat):
        began = time.perf_counter()
        replay(regulation, history, facts)
        timings.append((time.perf_counter() - began) * 1000)
    median = statistics.median(timings)
    print(f"events per replay:    {len(history)}")
    print(f"deadlines started:    {len(result.snapshot.deadlines)}")
    print(f"replay, median:       {median:.2f} ms ({min(timings):.2f} .. {max(timings):.2f})")
    print(f"per event:            {median * 1000 / len(history):.1f} µs")
    ratio = GOAL_MS / median
    print(f"goal:                 {GOAL_MS:.0f} ms per replay; goal/actual {ratio:.1f}x")


if __name__ == "__main__":
    main()
