"""``load_regulations [NAME_OR_FILE ...]``: store regulation versions, all or nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from klachtenregister.register.errors import RegulationLoadError
from klachtenregister.register.loading import LoadStatus, load_regulations

EXIT_INVALID = 2  # as the ``klachten`` CLI: invalid input


class Command(BaseCommand):
    help = (
        "Load regulations into the database: every preset, or the given preset names and files. "
        "All are validated first; on any error nothing is written. A version already loaded with "
        "the same text is skipped; with other text it is refused."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "regulations",
            nargs="*",
            metavar="NAME_OR_FILE",
            help="a preset name (e.g. iskander) or a regulation file; default: every preset",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            results = load_regulations(options["regulations"] or None)
        except RegulationLoadError as exc:
            for problem in exc.problems:
                self.stderr.write(problem)
            raise CommandError(
                f"nothing loaded: {len(exc.problems)} problem(s)", returncode=EXIT_INVALID
            ) from None
        if not results:
            self.stdout.write("no regulations to load")
        for result in results:
            owner = result.organisation or "template"
            line = f"{result.status.value:<9} {result.regulation_id} {result.version} ({owner})"
            if result.status is LoadStatus.LOADED:
                self.stdout.write(self.style.SUCCESS(line))
            else:
                self.stdout.write(f"{line}: already loaded, unchanged")
        loaded = sum(r.status is LoadStatus.LOADED for r in results)
        self.stdout.write(f"{loaded} loaded, {len(results) - loaded} unchanged")
