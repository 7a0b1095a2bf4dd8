"""``klachten report``: a report of an organisation's register for a period (docs/reports.md)."""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

FORMATS = ("json", "csv", "xlsx", "pdf")


class ReportInputError(Exception):
    """An unknown organisation, duty, opdrachtgever or a bad period: exit 2."""


def add_parser(commands: Any, parents: Sequence[argparse.ArgumentParser]) -> None:
    report = commands.add_parser(
        "report",
        help="the figures of an organisation's register for a period (reads DATABASE_URL)",
        parents=list(parents),
    )
    report.add_argument("organisation", metavar="ORGANISATION", help="the organisation's id")
    report.add_argument(
        "--period",
        required=True,
        metavar="PERIOD",
        help="2026, 2026-Q2, 2026-03 or 2026-01-01:2026-06-30 (by date of receipt)",
    )
    report.add_argument("--duty", default="", metavar="ID", help="a reporting duty's id")
    report.add_argument(
        "--opdrachtgever", default="", metavar="NAME", help="only this opdrachtgever's complaints"
    )
    report.add_argument("--format", choices=FORMATS, default="json")
    report.add_argument("-o", "--output", metavar="FILE", help="write here instead of stdout")
    report.set_defaults(handler=cmd_report)


def _render(args: argparse.Namespace) -> bytes:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachtenregister.config.settings")
    # Imported here, not at the top: every other command runs without Django.
    import django

    django.setup()
    from django.utils import translation

    from klachtenregister.reports import exports
    from klachtenregister.reports.periods import PeriodError, parse_period
    from klachtenregister.reports.selectors import (
        ReportError,
        ReportRequest,
        compute,
        organisation_by_slug,
    )

    with translation.override(args.lang):
        try:
            period = parse_period(args.period)
            organisation = organisation_by_slug(args.organisation)
            report = compute(
                ReportRequest(organisation, period, args.duty, args.opdrachtgever, names=False)
            )
        except (PeriodError, ReportError) as exc:
            raise ReportInputError(str(exc)) from None
        return exports.render(report, args.format, organisation)


def cmd_report(args: argparse.Namespace, out: TextIO) -> int:
    try:
        content = _render(args)
    except ReportInputError as exc:
        sys.stderr.write(f"klachten report: {exc}\n")
        return 2
    if args.output:
        Path(args.output).write_bytes(content)
    elif args.format in ("json", "csv"):
        out.write(content.decode())
    else:
        sys.stderr.write(f"klachten report: --format {args.format} needs -o FILE\n")
        return 2
    return 0


def as_json(report: dict[str, Any]) -> str:
    return json.dumps(report, ensure_ascii=False, indent=2) + "\n"
