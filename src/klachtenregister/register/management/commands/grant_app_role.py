"""``grant_app_role ROLE [--create]``: the application's least-privilege PostgreSQL role."""

from __future__ import annotations

import os
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from klachtenregister.register.dbroles import grant_app_role
from klachtenregister.register.errors import RegisterError

PASSWORD_VARIABLE = "KLACHTENREGISTER_APP_DB_PASSWORD"


class Command(BaseCommand):
    help = (
        "Run as the tables' owner, after every migrate: give ROLE (the role the web processes and "
        "workers connect as) SELECT, INSERT, UPDATE and DELETE on the tables, but only SELECT and "
        "INSERT on the event log, and nothing else (no TRUNCATE, no triggers, no schema changes). "
        f"--create makes the role first, with the password in ${PASSWORD_VARIABLE} if set."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("role", help="the application's role, e.g. klachten_app")
        parser.add_argument("--create", action="store_true", help="create the role if missing")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = grant_app_role(
                options["role"],
                create=options["create"],
                password=os.environ.get(PASSWORD_VARIABLE, ""),
            )
        except RegisterError as exc:
            raise CommandError(str(exc)) from None
        if result.created:
            self.stdout.write(f"role {result.role} created")
        self.stdout.write(
            self.style.SUCCESS(
                f"{result.role}: rows of {result.tables} tables, the event log read and append only"
            )
        )
