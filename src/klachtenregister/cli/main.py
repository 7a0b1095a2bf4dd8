"""The ``klachten`` command line.

Exit codes: 0 success, 2 invalid input (a bad file, an unknown regulation, a bad date),
3 an event refused by the regulation (``simulate``), 141 when the reader of the output has gone
(``klachten ... | head``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Sequence
from typing import TextIO

from klachtenregister.calendars import CalendarError, CalendarRangeError
from klachtenregister.cli import report as report_command
from klachtenregister.cli import simulate
from klachtenregister.i18n import LANGUAGES, format_date, translation
from klachtenregister.regulations.labels import duration_label, event_label, own_label
from klachtenregister.regulations.loader import (
    RegulationError,
    load_regulation,
    load_regulation_file,
    preset_names,
)
from klachtenregister.regulations.schema import json_schema
from klachtenregister.regulations.terms import calendar_of, deadlines_at_receipt
from klachtenregister.yamlio import DataFileError

EXIT_OK = 0
EXIT_INVALID = 2
EXIT_BROKEN_PIPE = 141  # 128 + SIGPIPE, what a shell reports for a closed pipe


class CliError(Exception):
    """Invalid input: printed to stderr, exit code 2."""


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date in the form YYYY-MM-DD: {text!r}") from None


# --- regulations ------------------------------------------------------------------------------


def _register_versions() -> tuple[list[tuple[str, str, str, str]], str | None]:
    """(regulation id, version, owner, source) of every version loaded into the register.

    The register is the Django database the web application uses; the CLI reads it only here.
    Returns the reason instead when there is no register to read (not set up yet).
    """
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachtenregister.config.settings")
    # Imported here, not at the top: every other command runs without Django.
    import django
    from django.core.exceptions import ImproperlyConfigured
    from django.db import DatabaseError

    try:
        django.setup()
    except ImproperlyConfigured as exc:  # production settings without their environment
        return [], str(exc).strip().splitlines()[0]
    from klachtenregister.register.selectors.regulations import loaded_regulation_versions

    try:
        versions = loaded_regulation_versions()
    except DatabaseError as exc:
        return [], str(exc).strip().splitlines()[0]
    return [
        (
            v.regulation_id,
            v.version,
            v.organisation.name if v.organisation else "",
            v.source_path,
        )
        for v in versions
    ], None


def cmd_regulations_list(args: argparse.Namespace, out: TextIO) -> int:
    _ = translation(args.lang).gettext
    out.write(_("Meegeleverde reglementen:") + "\n")
    for name in preset_names():
        regulation = load_regulation(name)
        out.write(
            f"  {name:<16} "
            + _("{name} (versie {version}, geldig vanaf {date})").format(
                name=regulation.name,
                version=regulation.version,
                date=regulation.effective_from.isoformat(),
            )
            + "\n"
        )
    versions, unavailable = _register_versions()
    out.write("\n" + _("Geladen in het register:") + "\n")
    if unavailable is not None:
        out.write(
            "  "
            + _("het register is niet te lezen ({reason}); `make run` richt het in").format(
                reason=unavailable
            )
            + "\n"
        )
    elif not versions:
        out.write("  " + _("nog geen reglementen; `make run` laadt ze") + "\n")
    for regulation_id, version, owner, source in versions:
        owner = owner or _("modelreglement")
        source = source or _("meegeleverd")
        out.write(f"  {regulation_id:<16} {version:<10} {owner}  [{source}]\n")
    for path in args.files:
        regulation = load_regulation_file(path)
        out.write("\n" + _("Bestand {path}:").format(path=path) + "\n")
        title = _("{name} (versie {version})").format(
            name=regulation.name, version=regulation.version
        )
        out.write(f"  {regulation.id:<16} {title}\n")
    return EXIT_OK


def cmd_regulations_check(args: argparse.Namespace, out: TextIO) -> int:
    _ = translation(args.lang).gettext
    failed = 0
    for path in args.files:
        try:
            regulation = load_regulation_file(path)
        except RegulationError as exc:
            failed += 1
            for problem in exc.problems:
                sys.stderr.write(problem.render(args.lang) + "\n")
            continue
        out.write(
            _("{path}: geldig ({id} versie {version}, {count} termijnen)").format(
                path=path,
                id=regulation.id,
                version=regulation.version,
                count=len(regulation.deadlines),
            )
            + "\n"
        )
    if failed:
        sys.stderr.write(
            _("{failed} van {total} bestanden ongeldig").format(
                failed=failed, total=len(args.files)
            )
            + "\n"
        )
        return EXIT_INVALID
    return EXIT_OK


def cmd_regulations_schema(args: argparse.Namespace, out: TextIO) -> int:
    out.write(json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n")
    return EXIT_OK


# --- deadlines --------------------------------------------------------------------------------


def cmd_deadlines(args: argparse.Namespace, out: TextIO) -> int:
    regulation = load_regulation(args.regulation)
    calendar = calendar_of(regulation)
    due = deadlines_at_receipt(regulation, args.received, calendar)
    if args.json:
        payload = {
            "regulation": regulation.id,
            "version": regulation.version,
            "calendar": calendar.name,
            "deadlines": [
                {
                    "id": item.deadline.id,
                    "kind": item.deadline.kind.value,
                    "label": own_label(item.deadline, args.lang),
                    "due": item.due.isoformat(),
                    "source": item.deadline.source,
                }
                for item in due
            ],
        }
        out.write(json.dumps(payload, ensure_ascii=False, indent=2) + "\n")
        return EXIT_OK

    _ = translation(args.lang).gettext
    out.write(
        _("{name} (versie {version})").format(name=regulation.name, version=regulation.version)
    )
    out.write("\n" + _("Kalender: {calendar}").format(calendar=calendar.name) + "\n")
    received = format_date(args.received, args.lang)
    out.write(_("Ontvangen op: {date}").format(date=received) + "\n\n")
    if not due:
        out.write(_("Geen termijnen die bij ontvangst beginnen.") + "\n")
        return EXIT_OK
    rows = [
        (
            own_label(item.deadline, args.lang)
            + ("" if item.deadline.binding else " (" + _("interne norm") + ")"),
            duration_label(
                item.deadline.duration.amount,
                item.deadline.duration.unit,
                translation(args.lang).ngettext,
            ),
            format_date(item.due, args.lang),
            item.deadline.source,
            item.deadline.applies_when,
        )
        for item in due
    ]
    headers = (_("Termijn"), _("Duur"), _("Uiterlijk"), _("Bron"))
    texts = [row[:3] for row in rows]
    widths = [max(len(h), *(len(t[i]) for t in texts)) for i, h in enumerate(headers[:3])]
    out.write("  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=False)))
    out.write(f"  {headers[3]}\n")
    for label, term, date, source, condition in rows:
        out.write(f"{label.ljust(widths[0])}  {term.ljust(widths[1])}  {date.ljust(widths[2])}")
        out.write(f"  {source}\n")
        if condition is not None:
            when = event_label(regulation, condition, args.lang, _)
            out.write(f"{'':{widths[0]}}  " + _("alleen als: {event}").format(event=when) + "\n")
    return EXIT_OK


# --- wiring -----------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    lang = argparse.ArgumentParser(add_help=False)
    # SUPPRESS: a subcommand's default must not overwrite `klachten --lang en COMMAND`.
    lang.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=argparse.SUPPRESS,
        help="language of the output (default: nl)",
    )
    parser = argparse.ArgumentParser(
        prog="klachten",
        description="Klachtenregister: complaint regulations as data, terms as deadlines.",
        parents=[lang],
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    regulations = commands.add_parser(
        "regulations", help="list, check and describe regulations", parents=[lang]
    )
    reg_commands = regulations.add_subparsers(dest="subcommand", required=True, metavar="ACTION")
    listing = reg_commands.add_parser(
        "list",
        help="the shipped presets, the regulations loaded into the register, and any given files",
        parents=[lang],
    )
    listing.add_argument("files", nargs="*", metavar="FILE", help="regulation files to list too")
    listing.set_defaults(handler=cmd_regulations_list)
    check = reg_commands.add_parser("check", help="validate regulation files", parents=[lang])
    check.add_argument("files", nargs="+", metavar="FILE")
    check.set_defaults(handler=cmd_regulations_check)
    schema = reg_commands.add_parser("schema", help="print the JSON Schema of regulation files")
    schema.set_defaults(handler=cmd_regulations_schema)

    deadlines = commands.add_parser(
        "deadlines", help="the deadlines that start when a complaint is received", parents=[lang]
    )
    deadlines.add_argument("regulation", metavar="REGULATION", help="a preset name or a file")
    deadlines.add_argument("--received", type=_date, required=True, metavar="YYYY-MM-DD")
    deadlines.add_argument("--json", action="store_true", help="machine-readable output")
    deadlines.set_defaults(handler=cmd_deadlines)

    simulate.add_parser(commands, [lang], _date)
    report_command.add_parser(commands, [lang])
    return parser


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not hasattr(args, "lang"):
        args.lang = "nl"
    handler: Callable[[argparse.Namespace, TextIO], int] = args.handler
    try:
        return handler(args, out or sys.stdout)
    except BrokenPipeError:
        # `klachten ... | head`: the reader left. Python's documented recipe: point stdout at
        # devnull so the interpreter's final flush does not fail again, and exit quietly.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE
    except DataFileError as exc:
        for problem in exc.problems:
            sys.stderr.write(problem.render(args.lang) + "\n")
        return EXIT_INVALID
    except (CalendarError, CalendarRangeError, simulate.SimulationInputError) as exc:
        sys.stderr.write(f"klachten: {exc}\n")
        return EXIT_INVALID


if __name__ == "__main__":
    sys.exit(main())
