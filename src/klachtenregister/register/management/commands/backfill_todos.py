"""``backfill_todos [--batch N] [--all] [--organisation SLUG]``: the to-do rows of complaints
stored before the register kept them (register migration 0012)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from klachtenregister.register.errors import RegisterError
from klachtenregister.register.models import Organisation
from klachtenregister.register.projection import BACKFILL_BATCH, backfill_todos


class Command(BaseCommand):
    help = (
        "Replay each complaint's log through the projection and write its to-do rows (duties "
        "without a term), for complaints stored before the register kept them. By default only "
        "complaints without to-do rows; --all replays every complaint. Batched: one transaction "
        "per batch. Safe to run again."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", type=int, default=BACKFILL_BATCH, help="complaints per transaction"
        )
        parser.add_argument("--all", action="store_true", help="replay every complaint")
        parser.add_argument("--organisation", help="only this organisation (its slug)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            raise CommandError("--batch moet minstens 1 zijn")
        organisation_id = None
        if options["organisation"]:
            organisation = Organisation.objects.filter(slug=options["organisation"]).first()
            if organisation is None:
                raise CommandError(f"onbekende organisatie {options['organisation']!r}")
            organisation_id = organisation.pk
        try:
            result = backfill_todos(options["batch"], options["all"], organisation_id)
        except RegisterError as exc:
            raise CommandError(str(exc)) from None
        if result.failed:
            self.stderr.write(
                "niet opnieuw af te spelen (ongewijzigd): " + ", ".join(result.failed)
            )
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.complaints} klachten opnieuw afgespeeld in {result.batches} "
                f"batch(es); van {result.written} de taken geschreven"
            )
        )
