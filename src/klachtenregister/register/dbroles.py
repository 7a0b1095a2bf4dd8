"""The application's least-privilege PostgreSQL role (issue 16 §4, docs/operations.md).

The tables' owner can TRUNCATE the event log, disable its append-only trigger and change the
schema; the web processes and workers should not be able to. They connect as a role that owns
nothing and may only read and write rows, and on the event log only read and append.
``grant_app_role`` (run by the owner, after every ``migrate``) gives such a role exactly that.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection, transaction
from psycopg import sql

from klachtenregister.register.errors import RegisterError

# Append-only tables: the application reads and appends, never changes or removes a row.
APPEND_ONLY_TABLES = ("register_complaintevent",)


@dataclass(frozen=True)
class GrantResult:
    role: str
    created: bool
    tables: int


def grant_app_role(role: str, *, create: bool = False, password: str = "") -> GrantResult:
    """Give ``role`` what the application needs in this database's ``public`` schema and nothing
    more; with ``create``, make it first (a login role, with ``password`` if given). Refuses the
    owner itself and superusers: they would keep every right whatever is granted."""
    if connection.vendor != "postgresql":
        raise RegisterError(
            "database roles are PostgreSQL's: DATABASE_URL is not a PostgreSQL database"
        )
    if not role or len(role) > 63:
        raise RegisterError("give the role's name (at most 63 characters)")
    name = sql.Identifier(role)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "SELECT rolsuper, rolname = current_user FROM pg_roles WHERE rolname = %s", [role]
        )
        found = cursor.fetchone()
        created = False
        if found is None:
            if not create:
                raise RegisterError(f"role {role!r} does not exist (--create makes it)")
            statement = sql.SQL("CREATE ROLE {} LOGIN").format(name)
            if password:
                statement = sql.SQL("{} PASSWORD {}").format(statement, sql.Literal(password))
            cursor.execute(statement)
            created = True
        elif found[0] or found[1]:
            raise RegisterError(
                f"role {role!r} is a superuser or the owner itself: the application needs a role "
                "of its own"
            )
        cursor.execute(
            "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tableowner = %s",
            [role],
        )
        if owned := [row[0] for row in cursor.fetchall()]:
            raise RegisterError(
                f"role {role!r} owns {', '.join(sorted(owned))}: the application's role must own "
                "no tables"
            )
        cursor.execute(
            "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'",
        )
        tables = int(cursor.fetchone()[0])
        database = sql.Identifier(connection.settings_dict["NAME"])
        for statement in (
            sql.SQL("GRANT CONNECT, TEMPORARY ON DATABASE {} TO {}").format(database, name),
            sql.SQL("GRANT USAGE ON SCHEMA public TO {}").format(name),
            # Everything granted before is taken back first: no TRUNCATE, REFERENCES or TRIGGER.
            sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {}").format(name),
            sql.SQL(
                "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {}"
            ).format(name),
            sql.SQL("GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {}").format(name),
            *(
                sql.SQL("REVOKE UPDATE, DELETE ON {} FROM {}").format(sql.Identifier(table), name)
                for table in APPEND_ONLY_TABLES
            ),
        ):
            cursor.execute(statement)
    return GrantResult(role=role, created=created, tables=tables)
