"""``klachten simulate REGULATION SCENARIO.yaml``: replay a complaint's events under a regulation.

Exit codes: 0 every event allowed, 2 invalid input, 3 an event was refused (the output shows
the complaint as it stood before that event, and why it was refused).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
from collections.abc import Callable
from typing import TextIO

from pydantic import JsonValue

from klachtenregister.i18n import format_date, translation
from klachtenregister.lifecycle import Replay, replay
from klachtenregister.lifecycle.deadlines import DEADLINE_STATUS_LABELS
from klachtenregister.lifecycle.events import SYSTEM_ACTOR
from klachtenregister.lifecycle.rules import RECORDED_WITH_A_LETTER
from klachtenregister.lifecycle.scenario import read_scenario
from klachtenregister.lifecycle.states import STATE_LABELS
from klachtenregister.regulations.labels import EVENT_LABELS, event_label, own_label
from klachtenregister.regulations.loader import load_regulation
from klachtenregister.regulations.schema import EventRef

EXIT_REFUSED = 3


class SimulationInputError(ValueError):
    """A scenario that cannot be replayed as asked (e.g. --as-of before its last event)."""


def cmd_simulate(args: argparse.Namespace, out: TextIO) -> int:
    regulation = load_regulation(args.regulation)
    scenario = read_scenario(args.scenario)
    try:
        result = replay(regulation, scenario.events, scenario.facts, as_of=args.as_of)
    except ValueError as exc:
        raise SimulationInputError(f"{args.scenario}: {exc}") from None
    if args.json:
        out.write(json.dumps(as_json(result, args.lang), ensure_ascii=False, indent=2) + "\n")
    else:
        _write_text(result, args.lang, out)
    return 0 if result.refused is None else EXIT_REFUSED


def as_json(result: Replay, language: str) -> dict[str, JsonValue]:
    """The contracted machine-readable shape (README, `klachten simulate --json`): nothing
    more, nothing less."""
    snapshot = result.snapshot
    gettext = translation(language).gettext
    return {
        "regulation": snapshot.regulation.id,
        "version": snapshot.regulation.version,
        "state": snapshot.state.value,
        "deadlines": [
            {
                "id": view.id,
                "kind": view.kind.value,
                "label": own_label(view, language),
                "start": view.start.isoformat(),
                "due": view.due.isoformat(),
                "status": view.status.value,
                "met_on": None if view.met_on is None else view.met_on.isoformat(),
                "source": view.source,
            }
            for view in snapshot.deadlines
        ],
        "todos": [
            {
                "id": todo.id,
                "kind": todo.kind.value,
                "created_on": todo.created_on.isoformat(),
                "done_on": None if todo.done_on is None else todo.done_on.isoformat(),
                "source": todo.source,
            }
            for todo in snapshot.todos
        ],
        "refused": None
        if result.refused is None
        else {
            "event_index": result.refused.index,
            "reason": result.refused.refusal.render(gettext),
        },
    }


def _write_text(result: Replay, language: str, out: TextIO) -> None:
    snapshot = result.snapshot
    regulation = snapshot.regulation
    translations = translation(language)
    _ = translations.gettext

    def day(value: dt.date) -> str:
        return format_date(value, language)

    out.write(
        _("{name} (versie {version})").format(name=regulation.name, version=regulation.version)
        + "\n"
    )
    out.write(_("Stand op: {date}").format(date=day(snapshot.as_of)) + "\n")
    out.write(_("Status: {state}").format(state=_(STATE_LABELS[snapshot.state])) + "\n\n")

    out.write(_("Gebeurtenissen:") + "\n")
    width = max(len(day(record.on)) for record in snapshot.history)
    for record in snapshot.history:
        line = f"  {day(record.on):<{width}}  " + event_label(
            regulation, EventRef(event=record.event, outcome=record.outcome), language, _
        )
        if record.role == SYSTEM_ACTOR:
            line += "  [" + _("automatisch, volgens het reglement") + "]"
        elif record.role:
            line += f"  [{record.role}]"
        reason = getattr(record.details, "reason", None)
        out.write(line + (f": {reason}" if reason else "") + "\n")

    out.write("\n" + _("Termijnen:") + "\n")
    if not snapshot.deadlines:
        out.write("  " + _("geen") + "\n")
    for view in snapshot.deadlines:
        status = _(DEADLINE_STATUS_LABELS[view.status])
        if view.met_on is not None:
            status += " " + _("op {date}").format(date=day(view.met_on))
        out.write(f"  {own_label(view, language)}\n")
        out.write(
            "    "
            + _("van {start} tot en met {due}: {status}").format(
                start=day(view.start), due=day(view.due), status=status
            )
            + f"  ({view.source})\n"
        )
        for extension in view.extensions:
            out.write(
                "    "
                + _("verlengd op {date} met {by}: {reason}").format(
                    date=day(extension.on), by=str(extension.by), reason=extension.reason
                )
                + "\n"
            )

    if snapshot.suggested_grounds:
        out.write("\n" + _("Mogelijke gronden om de klacht niet in behandeling te nemen:") + "\n")
        for suggestion in snapshot.suggested_grounds:
            ground = suggestion.ground
            out.write(f"  {ground.id}: {own_label(ground, language)} ({ground.source})\n")

    if result.refused is not None:
        refused = result.refused
        out.write(
            "\n"
            + _("Geweigerd: gebeurtenis {number} ({event} op {date}): {reason}").format(
                number=refused.index + 1,
                event=_(EVENT_LABELS[refused.record.event]),
                date=day(refused.record.on),
                reason=refused.refusal.render(_),
            )
            + "\n"
        )
        return
    out.write("\n" + _("Nu mogelijk:") + "\n")
    for allowed in snapshot.allowed:
        if allowed.event in RECORDED_WITH_A_LETTER:
            continue  # not a step: the register records it with a letter's delivery date
        label = event_label(regulation, EventRef(event=allowed.event), language, _)
        out.write(f"  {allowed.event.value:<32} {label}  [{', '.join(allowed.roles)}]\n")


def add_parser(
    commands: argparse._SubParsersAction[argparse.ArgumentParser],
    parents: list[argparse.ArgumentParser],
    date_type: Callable[[str], dt.date],
) -> None:
    simulate = commands.add_parser(
        "simulate",
        help="replay a complaint's events (a scenario file) under a regulation",
        parents=parents,
    )
    simulate.add_argument("regulation", metavar="REGULATION", help="a preset name or a file")
    simulate.add_argument("scenario", metavar="SCENARIO.yaml", help="the complaint's events")
    simulate.add_argument(
        "--as-of",
        type=date_type,
        default=None,
        metavar="YYYY-MM-DD",
        help="evaluate deadlines and time-triggered rules up to this date "
        "(default: the date of the last event)",
    )
    simulate.add_argument("--json", action="store_true", help="machine-readable output")
    simulate.set_defaults(handler=cmd_simulate)
