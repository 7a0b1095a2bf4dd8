"""``avg_export ORG (--person ID | --name NAME | --email ADDRESS) -o FILE.zip``: one person's
data across an organisation's complaints, for a request under AVG art. 15 (docs/privacy.md);
``--person`` finds them by who they are (issue 16 §2). The export is recorded in the access log
under ``--by`` (a user name)."""

from __future__ import annotations

import shutil
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from klachtenregister.privacy.export import person_zip
from klachtenregister.privacy.services import record_export
from klachtenregister.register.models import Organisation, Person


class Command(BaseCommand):
    help = "Exporteer de gegevens van één persoon (AVG art. 15) als ZIP met JSON en PDF."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("organisation", help="de organisatie (slug)")
        parser.add_argument("--name", default="", help="naam als klager of beklaagde")
        parser.add_argument("--email", default="", help="e-mailadres als klager")
        parser.add_argument(
            "--person",
            type=int,
            default=None,
            help="id van een persoon van de organisatie (gevonden op wie het is, niet op naam)",
        )
        parser.add_argument("-o", "--output", required=True, help="het ZIP-bestand")
        parser.add_argument("--by", required=True, help="gebruikersnaam van wie exporteert")

    def handle(self, *args: Any, **options: Any) -> None:
        organisation = Organisation.objects.filter(slug=options["organisation"]).first()
        if organisation is None:
            raise CommandError(f"Onbekende organisatie: {options['organisation']}")
        person = None
        if options["person"] is not None:
            person = Person.objects.filter(pk=options["person"], organisation=organisation).first()
            if person is None:
                raise CommandError(f"Geen persoon {options['person']} bij deze organisatie.")
        if not (options["name"].strip() or options["email"].strip() or person):
            raise CommandError("Geef --person, --name of --email.")
        user = User.objects.filter(username=options["by"]).first()
        if user is None:
            raise CommandError(f"Onbekende gebruiker: {options['by']}")
        archive, found = person_zip(
            organisation, options["name"], options["email"], timezone.now(), person=person
        )
        with archive, open(options["output"], "wb") as target:
            shutil.copyfileobj(archive, target)
        who = " / ".join(filter(None, [person.name if person else "", options["name"]]))
        record_export(user, organisation, who or options["email"], found)
        self.stdout.write(f"{options['output']}: {len(found)} klacht(en)")
