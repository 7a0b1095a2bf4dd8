"""``load_demo``: demo users and complaints for the five organisations; prints who can log in.

Idempotent: a second run adds nothing and says so. One transaction: on an error nothing is
written. Loads the regulations first when none are loaded.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from klachtenregister.demo import loading as demo
from klachtenregister.register.errors import RegulationLoadError
from klachtenregister.register.loading import load_regulations
from klachtenregister.register.models import Organisation


class Command(BaseCommand):
    help = (
        "Create the demo: a user per kind of role in each organisation, a coordinator who holds "
        "every staff role, a user in two organisations, and a few complaints per organisation "
        "in various states and deadline situations as of today. Adds only what is missing. "
        "Prints the demo users with their passwords."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            with transaction.atomic():
                if not Organisation.objects.exists():
                    self.stdout.write("no regulations loaded yet: loading the presets")
                    load_regulations()
                report = demo.load_demo()
        except (demo.DemoError, RegulationLoadError) as exc:
            raise CommandError(f"demo not loaded, nothing written: {exc}") from exc

        if report.changed:
            self.stdout.write(
                self.style.SUCCESS(
                    f"demo loaded: {len(report.users_created)} users created, "
                    f"{len(report.users_updated)} users reset to their demo name and password, "
                    f"{report.memberships_created} memberships added"
                )
            )
            for slug, references in report.complaints_created.items():
                if references:
                    self.stdout.write(
                        f"  {slug}: {len(references)} complaints ({', '.join(references)})"
                    )
                else:
                    self.stdout.write(f"  {slug}: complaints already there, unchanged")
        else:
            self.stdout.write("demo already loaded: nothing changed")

        self.stdout.write("")
        self.stdout.write("Demo users (password: demo-<username>):")
        for line in demo.user_table(report):
            self.stdout.write(f"  {line}")
        self.stdout.write("")
        self.stdout.write(f"Log in at {demo.LOGIN_URL}")
