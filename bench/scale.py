"""A register at national scale for the benches (issue 13 §4, issue 17), on PostgreSQL.

``fill(n)`` writes N complaints (default 1,000,000; BENCH_COMPLAINTS) over the five preset
organisations and three years of receipt, with realistic histories: acknowledgements, handlers
and committees, consultations, hearings, extensions, inadmissibles, withdrawals, informal
settlements, decisions in term and late, a closure by silence, and ≈10% still open (mostly the
last weeks' complaints, some stuck older ones).

The rows are the services' rows, by construction and checked:

1. **Templates through the services.** Per organisation a few paths (``PATHS``: events at a
   number of working days after receipt) are each registered and recorded once through
   ``register_complaint`` / ``record_event`` / ``carry_out_due``, the code behind the pages,
   on a clock set to their days. These template complaints stay in the register.
2. **Variants through the engine.** A generated complaint is a template's path received on
   another day (its events the same working days after receipt, cut off at the end of the
   period). Per (path, day of receipt, cut) the template's stored events are replayed with those
   dates through the lifecycle engine, which must carry out the same events in the same roles
   (else another day is taken). The log rows take the template row's actor and people and the
   engine's payload; the deadline rows and the complaint's derived columns come from
   ``register.projection.derive`` and ``participants_of``, the functions ``project`` stores.
3. **Written in bulk**, in one transaction. The complaints by COPY in batches of 50,000 as they
   are drawn (with their search text from the projection's own ``complaint_search_text``), then
   their log, deadline and participant rows by ``INSERT ... SELECT`` from small staging tables
   of the variants; the secondary indexes of those four tables are dropped first and built again
   after; the reference counters are set to the numbers given, so a later registration
   continues after them.
4. **Checked.** ``check(sample)`` replays a random sample of the generated complaints from the
   stored log (``lifecycle_of``, as the complaint page does) and compares the stored deadline
   rows, projection columns, participants and search text with what the engine and the
   projection compute; it prints every mismatch. ``python bench/scale.py`` exits 1 on any.

Run on its own (makes its scratch database next to the one DATABASE_URL names, like the other
benches; ``--keep`` keeps it for ``bench/complaint_list.py --reuse`` and ``bench/reports.py
--reuse``):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/scale.py \\
        [--complaints N] [--database NAME] [--check K] [--keep]

Other benches import it: ``setup_django``, ``fill_checked`` (``fill``, then ``check`` of 200
complaints, exit 1 on a mismatch), ``summary`` and ``drop_database``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

DEFAULT_COMPLAINTS = 1_000_000
YEARS = 3
# The share of each organisation in the register (the first is the big one).
ORGANISATIONS = {
    "iskander": 0.35,
    "smartplus": 0.25,
    "loket3": 0.2,
    "integratiewerk": 0.15,
    "infocus-samen": 0.05,
}
# Complaints received in the last RECENT working days are open with RECENT_OPEN; before that
# with OLD_OPEN (stuck: their terms ran out). Together ≈10% open.
RECENT = 30
RECENT_OPEN = 0.85
OLD_OPEN = 0.055

# One step of a path: (event, working days after receipt, details, people by detail). The
# people are "staff" (the organisation's bench user with every kind of role) or "committee"
# (both of the committee).
Step = tuple[str, int, dict[str, Any], dict[str, str]]
STAFF_NAME = "Sam Stafmedewerker"
COMMITTEE_NAME = "Bas Hendriks"
HANDLER: dict[str, Any] = {"handler": STAFF_NAME}
TO_HANDLER = {"handler": "staff"}
COMMITTEE: dict[str, Any] = {"members": [STAFF_NAME, COMMITTEE_NAME]}
TO_COMMITTEE = {"members": "committee"}
SILENCE = "silence"  # carry_out_due on that working day: the regulation acts by itself


@dataclass(frozen=True)
class Path:
    name: str
    weight: float
    open: bool  # the path ends with the complaint still open
    steps: tuple[Step, ...]


def path(name: str, weight: float, steps: list[Step], open: bool = False) -> Path:
    return Path(name, weight, open, tuple(steps))


def _s(event: str, after: int, people: dict[str, str] | None = None, **details: Any) -> Step:
    return (event, after, details, people or {})


PATHS: dict[str, list[Path]] = {
    "iskander": [
        path(
            "decided",
            0.4,
            [
                _s("acknowledged", 1),
                _s("handler_assigned", 1, TO_HANDLER, **HANDLER),
                _s("consultation_held", 3, outcome="no_agreement"),
                _s("accepted", 3),
                _s("consultation_confirmation_sent", 5),
                _s("follow_up_information_sent", 5),
                _s("hearing_invitation_sent", 12),
                _s("hearing_declined", 12),
                _s("decision_made", 15, outcome="unfounded"),
                _s("decision_sent", 16),
                _s("closed", 17),
            ],
        ),
        path(
            "decided_late",
            0.1,
            [
                _s("acknowledged", 1),
                _s("handler_assigned", 1, TO_HANDLER, **HANDLER),
                _s("consultation_held", 3, outcome="no_agreement"),
                _s("accepted", 3),
                _s("consultation_confirmation_sent", 5),
                _s("follow_up_information_sent", 5),
                _s("hearing_invitation_sent", 20),
                _s("hearing_declined", 20),
                _s("decision_made", 24, outcome="founded"),
                _s("decision_sent", 25),
                _s("closed", 26),
            ],
        ),
        path(
            "resolved_silence",
            0.2,
            [
                _s("acknowledged", 2),
                _s("handler_assigned", 2, TO_HANDLER, **HANDLER),
                _s("consultation_held", 4, outcome="agreement"),
                _s("resolved_informally", 4),
                _s("agreement_letter_sent", 8),
                _s("registered_letter_delivered", 12),
                _s(SILENCE, 40),
            ],
        ),
        path(
            "inadmissible",
            0.15,
            [
                _s("acknowledged", 1),
                _s("declared_inadmissible", 1, ground="geen_vervolg_gewenst"),
                _s("inadmissibility_notice_sent", 6),
                _s("closed", 7),
            ],
        ),
        path("withdrawn", 0.15, [_s("withdrawn", 2, reason="Opgelost.")]),
        path("open_received", 0.3, [], open=True),
        path("open_acknowledged", 0.3, [_s("acknowledged", 1)], open=True),
        path(
            "open_accepted",
            0.4,
            [
                _s("acknowledged", 1),
                _s("handler_assigned", 1, TO_HANDLER, **HANDLER),
                _s("consultation_held", 3, outcome="no_agreement"),
                _s("accepted", 3),
            ],
            open=True,
        ),
    ],
    "loket3": [
        path(
            "decided",
            0.5,
            [
                _s("handler_assigned", 0, TO_HANDLER, **HANDLER),
                _s("acknowledged", 2),
                _s("accepted", 2),
                _s("hearing_held", 5, heard=["de klager"]),
                _s("decision_made", 10, outcome="founded", motivation="Zie het gesprek."),
                _s("measures_recorded", 11, type="corrective", description="Excuses gemaakt."),
                _s("decision_sent", 12),
                _s("report_sent", 14),
                _s("closed", 15, reason="Verslag verstuurd."),
            ],
        ),
        path(
            "decided_late",
            0.15,
            [
                _s("handler_assigned", 0, TO_HANDLER, **HANDLER),
                _s("acknowledged", 2),
                _s("accepted", 2),
                _s("hearing_held", 15, heard=["de klager"]),
                _s("decision_made", 25, outcome="unfounded", motivation="Zie het gesprek."),
                _s("decision_sent", 26),
                _s("report_sent", 27),
                _s("closed", 28, reason="Verslag verstuurd."),
            ],
        ),
        path("withdrawn", 0.2, [_s("withdrawn", 3, reason="Toch niet.")]),
        path(
            "withdrawn_later",
            0.15,
            [
                _s("handler_assigned", 0, TO_HANDLER, **HANDLER),
                _s("acknowledged", 2),
                _s("withdrawn", 4, reason="Opgelost."),
            ],
        ),
        path("open_received", 0.3, [_s("handler_assigned", 0, TO_HANDLER, **HANDLER)], True),
        path(
            "open_accepted",
            0.7,
            [
                _s("handler_assigned", 0, TO_HANDLER, **HANDLER),
                _s("acknowledged", 2),
                _s("accepted", 2),
            ],
            open=True,
        ),
    ],
    "smartplus": [
        path(
            "decided",
            0.45,
            [
                _s("handler_assigned", 1, TO_HANDLER, **HANDLER),
                _s("acknowledged", 3),
                _s("accepted", 3),
                _s("decision_made", 18, outcome="founded"),
                _s("decision_sent", 19),
                _s("closed", 20),
            ],
        ),
        path(
            "decided_late",
            0.1,
            [
                _s("handler_assigned", 1, TO_HANDLER, **HANDLER),
                _s("acknowledged", 3),
                _s("accepted", 3),
                _s("decision_made", 32, outcome="partly_founded"),
                _s("decision_sent", 33),
                _s("closed", 34),
            ],
        ),
        path(
            "resolved",
            0.2,
            [
                _s("handler_assigned", 0, TO_HANDLER, **HANDLER),
                _s("acknowledged", 1),
                _s("resolved_informally", 5),
                _s("closed", 6),
            ],
        ),
        path(
            "inadmissible",
            0.15,
            [
                _s("acknowledged", 1),
                _s("declared_inadmissible", 3, ground="eerder_behandeld"),
                _s("inadmissibility_notice_sent", 5),
                _s("closed", 6),
            ],
        ),
        path(
            "inadmissible_late",
            0.1,
            [
                _s("acknowledged", 1),
                _s("declared_inadmissible", 7, ground="eerder_behandeld"),
                _s("inadmissibility_notice_sent", 24),
                _s("closed", 25),
            ],
        ),
        path(
            "open_accepted",
            1.0,
            [
                _s("handler_assigned", 1, TO_HANDLER, **HANDLER),
                _s("acknowledged", 3),
                _s("accepted", 3),
            ],
            open=True,
        ),
    ],
    "integratiewerk": [
        path(
            "decided_extended",
            0.3,
            [
                _s("acknowledged", 2),
                _s("consultation_held", 3, outcome="no_agreement"),
                _s("accepted", 3),
                _s("referred_to_committee", 3),
                _s(
                    "extended",
                    15,
                    deadline="advies_klachtencommissie",
                    by={"amount": 3, "unit": "weken"},
                    reason="Betrokken medewerker met verlof.",
                ),
                _s("committee_advice_given", 28),
                _s("decision_made", 30, outcome="founded"),
                _s("decision_sent", 32),
                _s("closed", 33),
            ],
        ),
        path(
            "decided",
            0.4,
            [
                _s("acknowledged", 2),
                _s("consultation_held", 3, outcome="no_agreement"),
                _s("accepted", 3),
                _s("referred_to_committee", 3),
                _s("committee_advice_given", 15),
                _s("decision_made", 17, outcome="unfounded"),
                _s("decision_sent", 19),
                _s("closed", 20),
            ],
        ),
        path(
            "withdrawn",
            0.3,
            [
                _s("consultation_held", 5, outcome="no_agreement"),
                _s("withdrawn", 8, reason="Toch niet."),
            ],
        ),
        path("open_acknowledged", 1.0, [_s("acknowledged", 2)], open=True),
    ],
    "infocus-samen": [
        path(
            "decided",
            0.45,
            [
                _s("committee_appointed", 0, TO_COMMITTEE, **COMMITTEE),
                _s("acknowledged", 1),
                _s("accepted", 2),
                _s("hearing_held", 7, heard=["de klager"]),
                _s("decision_made", 8, outcome="founded"),
                _s("decision_sent", 9),
                _s("closed", 10),
            ],
        ),
        path(
            "decided_extended",
            0.15,
            [
                _s("committee_appointed", 0, TO_COMMITTEE, **COMMITTEE),
                _s("acknowledged", 2),
                _s("accepted", 2),
                _s("hearing_held", 9, heard=["de klager"]),
                _s(
                    "extended",
                    17,
                    deadline="uitspraak",
                    by={"amount": 3, "unit": "weeks"},
                    reason="Werkgever pas over twee weken bereikbaar.",
                ),
                _s("decision_made", 26, outcome="partly_founded"),
                _s("decision_sent", 27),
                _s("closed", 28),
            ],
        ),
        path(
            "inadmissible",
            0.2,
            [
                _s("committee_appointed", 0, TO_COMMITTEE, **COMMITTEE),
                _s("acknowledged", 1),
                _s("declared_inadmissible", 3, reason="Geen klacht."),
                _s("inadmissibility_notice_sent", 4),
                _s("closed", 5),
            ],
        ),
        path(
            "withdrawn",
            0.2,
            [
                _s("committee_appointed", 0, TO_COMMITTEE, **COMMITTEE),
                _s("withdrawn", 2, reason="Opgelost."),
            ],
        ),
        path(
            "open_accepted",
            1.0,
            [
                _s("committee_appointed", 0, TO_COMMITTEE, **COMMITTEE),
                _s("acknowledged", 1),
                _s("accepted", 2),
            ],
            open=True,
        ),
    ],
}

FIRST_NAMES = [
    "Jan", "Piet", "Klaas", "Henk", "Gerrit", "Willem", "Johannes", "Cornelis", "Pieter",
    "Hendrik", "Daan", "Sem", "Lucas", "Levi", "Finn", "Milan", "Thijs", "Bram", "Ruben",
    "Stijn", "Mohamed", "Youssef", "Ahmet", "Mehmet", "Anouk", "Fleur", "Sanne", "Lotte",
    "Emma", "Julia", "Sophie", "Tess", "Noor", "Evi", "Lieke", "Maria", "Johanna", "Anna",
    "Cornelia", "Wilhelmina", "Geertje", "Aaltje", "Fatima", "Aïcha", "Zoë", "Chloë", "Noëlle",
    "Renée", "Mariëlle", "Inès", "José", "Ingrid", "Marieke", "Femke", "Joost", "Ruud", "Sjoerd",
    "Bart", "Kees", "Wouter",
]  # fmt: skip
LAST_NAMES = [
    "de Jong", "Jansen", "de Vries", "van den Berg", "van Dijk", "Bakker", "Janssen", "Visser",
    "Smit", "Meijer", "de Boer", "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks",
    "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
    "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
    "van den Broek", "de Bruijn", "de Bruin", "van der Heijden", "Schouten", "van Beek",
    "Willems", "van Vliet", "van de Ven", "Hoekstra", "Maas", "Verhoeven", "Koster", "van Dam",
    "van der Wal", "Prins", "Blom", "Huisman", "Peeters", "de Jonge", "Kuipers", "van Veen",
    "Post", "Kuiper", "Veenstra", "Kramer", "van den Brink", "Scholten", "van Wijk", "Postma",
    "Martens", "Vink", "de Ruiter", "Timmermans", "Groen", "Gerritsen", "Jonker", "van Loon",
    "Boer", "van der Velde", "Willemsen", "Smeets", "de Lange", "de Vos", "Bosch", "van Dongen",
    "Schipper", "de Koning", "van der Laan", "Koning", "van der Velden", "Driessen", "van Doorn",
    "Hermans", "Evers", "van den Bosch", "van der Meulen", "Hofman", "Bosman", "Wolters",
    "Sanders", "van der Horst", "Mol", "Kuijpers", "Molenaar", "van de Pol", "El Idrissi",
    "Yılmaz",
]  # fmt: skip
CATEGORIES = [
    "bejegening", "communicatie", "bereikbaarheid", "privacy", "traject", "afspraken",
    "facturatie", "planning",
]  # fmt: skip
PARTIES = ["", "UWV", "Gemeente Utrecht", "Gemeente Rotterdam", "Werkgever"]
DESCRIPTIONS = [
    "De klager is niet teruggebeld na meerdere verzoeken.",
    "De coach was onvriendelijk tijdens het gesprek.",
    "Afspraken uit het trajectplan zijn niet nagekomen.",
    "Persoonsgegevens zijn zonder toestemming gedeeld met de werkgever.",
    "De factuur klopt niet met de geleverde uren.",
    "Het verslag van het intakegesprek bevat onjuistheden.",
    "De klager kon de organisatie telefonisch niet bereiken.",
    "De planning van de afspraken werd steeds gewijzigd.",
]
CHANNELS = ["written", "email", "oral", "portal"]
BATCH = 50_000  # complaints per COPY


# --- the database and Django -------------------------------------------------------------------


def scratch_database(name: str, reuse: bool = False, script: str = "bench/scale.py") -> str:
    """Drop and create the scratch database next to the one DATABASE_URL names (``reuse``: keep
    it as it is); its URL. Exits 2 without PostgreSQL."""
    import dj_database_url
    import psycopg

    url = os.environ.get("DATABASE_URL", "")
    config = dj_database_url.parse(url) if url else {}
    if "postgresql" not in config.get("ENGINE", ""):
        print(f"{script} needs PostgreSQL: set DATABASE_URL, e.g.")
        print("  DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres make bench")
        print(f"It creates (and drops) its own database {name!r} next to the one named.")
        sys.exit(2)
    if not reuse:
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
    return url[: url.rindex("/") + 1] + name + (url[url.index("?") :] if "?" in url else "")


def drop_database(name: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(os.environ["BENCH_ADMIN_URL"], autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def database_arguments(parser: argparse.ArgumentParser) -> None:
    """The scratch database options every bench that measures a register takes."""
    parser.add_argument("--database", default="klachtenregister_bench")
    parser.add_argument("--keep", action="store_true", help="do not drop the scratch database")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure a database kept by an earlier --keep run (migrated first, not regenerated)",
    )


def release(args: argparse.Namespace) -> None:
    """At the end of a bench: keep the scratch database (--keep, --reuse) or drop it."""
    if args.keep or args.reuse:
        print(f"kept database {args.database}")
    else:
        drop_database(args.database)


def setup_django(database: str, reuse: bool = False, script: str = "bench/scale.py") -> None:
    """Point Django at the scratch database, with the production-like settings the benches
    measure (no debug, no second factor for the bench users), and set it up."""
    url = os.environ.get("DATABASE_URL", "")
    os.environ["BENCH_ADMIN_URL"] = url
    os.environ["DATABASE_URL"] = scratch_database(database, reuse, script)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "klachtenregister.config.settings")
    os.environ["KLACHTENREGISTER_ENV"] = "development"
    os.environ["DJANGO_DEBUG"] = "false"
    os.environ["DJANGO_SECRET_KEY"] = "bench-only-secret-key-" + "x" * 40
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver"
    os.environ["KLACHTENREGISTER_REQUIRE_2FA"] = "false"

    import django

    django.setup()


# --- people --------------------------------------------------------------------------------------


@dataclass
class Bench:
    """What ``fill`` made: per organisation its id, the staff user (every kind of role) and
    the committee member; the coordinator who sees every organisation."""

    organisations: dict[str, int] = field(default_factory=dict)
    staff: dict[str, int] = field(default_factory=dict)
    committee: dict[str, int] = field(default_factory=dict)
    coordinator: int = 0
    complaints: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)


def _user(username: str, full_name: str) -> Any:
    from django.contrib.auth.models import User

    first, _sep, last = full_name.partition(" ")
    user, _created = User.objects.get_or_create(
        username=username,
        defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"},
    )
    return user


def people() -> Bench:
    """The presets loaded; per organisation Sam (every kind of role) and Bas (committee); Kees
    the coordinator of all five. Made once; read back from a kept database."""
    from klachtenregister.register.loading import load_regulations
    from klachtenregister.register.models import Membership, Organisation
    from klachtenregister.regulations.vocabulary import RoleKind

    if not Organisation.objects.filter(slug__in=ORGANISATIONS).exists():
        load_regulations()
    bench = Bench()
    kees = _user("kees", "Kees Coördinator")
    bench.coordinator = kees.pk
    for slug in ORGANISATIONS:
        organisation = Organisation.objects.get(slug=slug)
        bench.organisations[slug] = organisation.pk
        sam = _user(f"staf-{slug}", STAFF_NAME)
        bas = _user(f"commissie-{slug}", COMMITTEE_NAME)
        for user, kinds in (
            (sam, list(RoleKind)),
            (bas, [RoleKind.COMMITTEE]),
            (kees, [RoleKind.COORDINATOR]),
        ):
            for kind in kinds:
                Membership.objects.get_or_create(
                    user=user, organisation=organisation, kind=kind.value
                )
        bench.staff[slug], bench.committee[slug] = sam.pk, bas.pk
    return bench


# --- templates through the services -----------------------------------------------------------


@contextmanager
def clock_at(day: dt.date) -> Iterator[None]:
    """The services' today (register.clock) set to ``day``: they refuse dates after it."""
    from klachtenregister.register import clock

    original = clock.today
    clock.today = lambda: day  # type: ignore[assignment]
    try:
        yield
    finally:
        clock.today = original  # type: ignore[assignment]


@dataclass
class Template:
    """A path's complaint as the services wrote it."""

    slug: str
    path: Path
    complaint_id: int
    received_on: dt.date
    # Per stored log row: (event, role, actor id, actor name, payload, people), in order.
    rows: list[tuple[str, str, int | None, str, dict[str, Any], dict[str, Any]]]
    # Per row, the index of the path step it came from (-1: registration; None: the engine).
    step_of_row: list[int | None]


def _people_ids(bench: Bench, slug: str, people: dict[str, str]) -> dict[str, Any]:
    ids: dict[str, Any] = {}
    for key, who in people.items():
        if who == "staff":
            ids[key] = bench.staff[slug]
        else:
            ids[key] = [bench.staff[slug], bench.committee[slug]]
    return ids


def templates(bench: Bench, base: dt.date) -> dict[tuple[str, str], Template]:
    """Every path of every organisation once through the services, received on ``base`` (or
    the first working day after)."""
    from django.contrib.auth.models import User

    from klachtenregister.register.models import Complaint, Organisation
    from klachtenregister.register.personal import with_personal_data
    from klachtenregister.register.selectors.history import regulation_of
    from klachtenregister.register.services import (
        ComplaintData,
        NewEvent,
        carry_out_due,
        record_event,
        register_complaint,
    )
    from klachtenregister.regulations.terms import calendar_of
    from klachtenregister.regulations.vocabulary import Event

    made: dict[tuple[str, str], Template] = {}
    for slug in ORGANISATIONS:
        organisation = Organisation.objects.get(pk=bench.organisations[slug])
        sam = User.objects.get(pk=bench.staff[slug])
        for number, one in enumerate(PATHS[slug]):
            received = base + dt.timedelta(days=7 * number)
            with clock_at(received):
                complaint = register_complaint(
                    organisation,
                    sam,
                    ComplaintData(
                        received_on=received,
                        channel="written",
                        description=DESCRIPTIONS[0],
                        complainant_name="Sjabloon " + one.name,
                        category=CATEGORIES[0],
                    ),
                    registered_on=received,
                )
            calendar = calendar_of(regulation_of(complaint))
            if not calendar.is_working_day(received):
                raise SystemExit(f"{slug}: template day {received} is not a working day")
            step_of_row: list[int | None] = [-1] * complaint.sequence
            for index, (event, after, details, people_keys) in enumerate(one.steps):
                on = calendar.add_working_days(received, after)
                with clock_at(on):
                    before = complaint.sequence
                    if event == SILENCE:
                        carry_out_due(complaint, on)
                    else:
                        new = NewEvent(
                            Event(event), on, details, _people_ids(bench, slug, people_keys)
                        )
                        try:
                            record_event(complaint, sam, complaint.sequence, new)
                        except Exception as exc:
                            raise SystemExit(
                                f"{slug} path {one.name}: {event} on {on} refused: {exc}"
                            ) from exc
                    complaint.refresh_from_db()
                    added = complaint.sequence - before
                    # What the engine carried out by itself comes before the step's own event.
                    step_of_row += [None] * (added - 1) + [index if event != SILENCE else None]
            stored = Complaint.objects.get(pk=complaint.pk)
            # The whole details, with the personal data kept apart from the log put back.
            rows = [
                (e.event, e.role, e.actor_id, e.actor_name, e.payload, e.people)
                for e in with_personal_data(list(stored.events.order_by("sequence")))
            ]
            made[(slug, one.name)] = Template(slug, one, complaint.pk, received, rows, step_of_row)
    return made


# --- variants through the engine ---------------------------------------------------------------


@dataclass
class Variant:
    """The rows of a template's path received on another day, cut after ``cut`` steps."""

    key: int
    # For the log: the row's details, and the personal data kept apart (register.personal).
    events: list[tuple[int, str, dt.date, str, int | None, str, str, str, str | None]]
    derived: Any  # register.projection.Derived
    participants: list[tuple[int, str]]
    payloads: list[dict[str, Any]]


class Refit(Exception):
    """The path does not fit the day: the engine carries out other events; take another day."""


def variant(
    key: int,
    template: Template,
    regulation: Any,
    calendar: Any,
    received: dt.date,
    end: dt.date,
    uwv_client: bool,
) -> Variant:
    """The template's history received on ``received``, with nothing after ``end``, for a
    complaint without subjects or involved people (as the templates)."""
    from klachtenregister.lifecycle import ComplaintFacts, Lifecycle, Refused, record
    from klachtenregister.lifecycle.events import SYSTEM_ACTOR
    from klachtenregister.register.personal import split
    from klachtenregister.register.projection import derive, participants_of
    from klachtenregister.register.selectors.history import payload_of

    steps = template.path.steps
    dates = [calendar.add_working_days(received, after) for _e, after, _d, _p in steps]
    lifecycle = Lifecycle(
        regulation, ComplaintFacts.of(subjects=[], involved=[], uwv_client=uwv_client), calendar
    )
    produced: list[Any] = []
    try:
        for row, step in zip(template.rows, template.step_of_row, strict=True):
            event, role, _actor, _name, payload, _people = row
            if step is None:
                continue  # carried out by the engine: it must do so again, checked below
            on = received if step == -1 else dates[step]
            if on > end:
                break
            details = dict(payload)
            if details.get("facts_date"):
                shift = (received - template.received_on).days
                details["facts_date"] = (
                    dt.date.fromisoformat(details["facts_date"]) + dt.timedelta(days=shift)
                ).isoformat()
            produced += lifecycle.apply(record(on, event, role=role, **details))
        silence = [i for i, s in enumerate(steps) if s[0] == SILENCE]
        if silence and dates[silence[0]] <= end:
            produced += lifecycle.advance(dates[silence[0]])
    except Refused as exc:
        raise Refit(str(exc)) from exc
    expected = [(row[0], row[1]) for row in template.rows[: len(produced)]]
    if [(r.event.value, r.role or "") for r in produced] != expected:
        raise Refit("the engine carries out other events")
    events = []
    payloads = []
    for sequence, (item, row) in enumerate(zip(produced, template.rows, strict=False), start=1):
        is_system = item.role == SYSTEM_ACTOR
        payload = payload_of(item)
        payloads.append(as_jsonb(payload))
        kept, apart = split(item.event.value, payload)
        people = {} if is_system else row[5]
        events.append(
            (
                sequence,
                item.event.value,
                item.on,
                item.role or "",
                None if is_system else row[2],
                SYSTEM_ACTOR if is_system else row[3],
                json.dumps(kept),
                json.dumps(people),
                json.dumps(apart) if apart else None,
            )
        )
    participants = participants_of((e[1], json.loads(e[7])) for e in events)
    return Variant(key, events, derive(lifecycle), participants, payloads)


def as_jsonb(value: Any) -> Any:
    """``value`` with its keys in the order PostgreSQL's jsonb keeps them (shorter keys first,
    then bytewise): the order the projection reads the log back in for the search text."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (len(key.encode()), key.encode()))
        return {key: as_jsonb(value[key]) for key in keys}
    if isinstance(value, list):
        return [as_jsonb(item) for item in value]
    return value


# --- filling ----------------------------------------------------------------------------------


def _days(calendar: Any, start: dt.date, end: dt.date) -> list[dt.date]:
    day, days = start, []
    while day <= end:
        if calendar.is_working_day(day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _copy_rows(rows: list[tuple[Any, ...]]) -> str:
    """Rows as COPY's text format."""

    def cell(value: Any) -> str:
        if value is None:
            return "\\N"
        if isinstance(value, bool):
            return "t" if value else "f"
        text = str(value)
        return (
            text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "")
        )

    return "".join("\t".join(cell(v) for v in row) + "\n" for row in rows)


def _copy(cursor: Any, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    with cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for start in range(0, len(rows), 20_000):
            copy.write(_copy_rows(rows[start : start + 20_000]))


def complaint_columns() -> list[str]:
    """The complaint table's columns in the order ``fill`` writes them: the facts, then what
    the projection derives (register.projection.COMPLAINT_COLUMNS)."""
    from klachtenregister.register.projection import COMPLAINT_COLUMNS

    return [
        "organisation_id", "regulation_version_id", "reference", "year", "number", "received_on",
        "channel", "anonymous", "complainant_name", "complainant_email", "complainant_phone",
        "complainant_address", "complainant_language", "form_of_address", "representative_name",
        "representative_capacity", "facts_date", "description", "category", "commissioning_party",
        "uwv_client", "registered_by_id", "created_at", "sequence", "search_text", "manager_name",
        *COMPLAINT_COLUMNS,
    ]  # fmt: skip


def fill(
    n: int = DEFAULT_COMPLAINTS, end: dt.date | None = None, seed: int = 42, quiet: bool = False
) -> Bench:
    """Write ``n`` complaints received in the ``YEARS`` years up to ``end`` (default: the last
    working day of last month, so the current year has months of data); see the module's
    docstring. Needs a migrated, empty register."""
    from django.db import connection, transaction

    from klachtenregister.register.models import (
        Complaint,
        Organisation,
        ReferenceCounter,
    )
    from klachtenregister.register.projection import DEADLINE_COLUMNS, complaint_search_text
    from klachtenregister.register.selectors.history import regulation_of_version
    from klachtenregister.register.selectors.regulations import regulation_version_for
    from klachtenregister.regulations.terms import calendar_of

    say = (lambda *a: None) if quiet else print
    rng = random.Random(seed)
    today = dt.date.today()
    end = end or (today.replace(day=1) - dt.timedelta(days=1))
    start = dt.date(end.year - YEARS + 1, 1, 1)
    began = time.perf_counter()
    bench = people()
    base = start + dt.timedelta(days=(7 - start.weekday()) % 7 + 14)  # a Monday in January
    with transaction.atomic():
        made = templates(bench, base)
    bench.seconds["templates"] = time.perf_counter() - began
    say(f"templates:  {len(made)} paths through the services in {bench.seconds['templates']:.1f} s")

    began = time.perf_counter()
    organisations = {slug: Organisation.objects.get(slug=slug) for slug in ORGANISATIONS}
    counts = {slug: int(n * share) for slug, share in ORGANISATIONS.items()}
    counts["iskander"] += n - sum(counts.values())
    variants: dict[tuple[str, str, dt.date, int, bool], Variant] = {}
    next_number: Counter[tuple[str, int]] = Counter(
        {
            (slug, year): last
            for slug in ORGANISATIONS
            for year, last in ReferenceCounter.objects.filter(
                organisation=organisations[slug]
            ).values_list("year", "last")
        }
    )
    refits = 0

    def rows() -> Iterator[tuple[tuple[Any, ...], tuple[str, int]]]:
        """Each complaint's row and (reference, variant key), drawn as they are written."""
        nonlocal refits
        for slug, count in counts.items():
            organisation = organisations[slug]
            version = regulation_version_for(organisation, end)
            regulation = regulation_of_version(version)
            calendar = calendar_of(regulation)
            days = _days(calendar, start, end)
            recent_from = days[-RECENT] if len(days) > RECENT else days[0]
            closed_paths = [p for p in PATHS[slug] if not p.open]
            open_paths = [p for p in PATHS[slug] if p.open]
            versions: dict[dt.date, Any] = {}
            rules: dict[int, tuple[Any, Any]] = {}
            for _i in range(count):
                received = days[rng.randrange(len(days))]
                recent = received >= recent_from
                is_open = rng.random() < (RECENT_OPEN if recent else OLD_OPEN)
                choices = open_paths if is_open else closed_paths
                for _attempt in range(20):
                    chosen = rng.choices(choices, weights=[p.weight for p in choices])[0]
                    template = made[(slug, chosen.name)]
                    if received not in versions:
                        versions[received] = regulation_version_for(organisation, received)
                    version = versions[received]
                    if version.pk not in rules:
                        regulation = regulation_of_version(version)
                        rules[version.pk] = (regulation, calendar_of(regulation))
                    party = rng.choice(PARTIES)
                    identity = (slug, chosen.name, received, version.pk, party == "UWV")
                    if identity not in variants:
                        try:
                            variants[identity] = variant(
                                len(variants), template, *rules[version.pk], received, end,
                                party == "UWV",
                            )  # fmt: skip
                        except Refit:
                            refits += 1
                            received = days[rng.randrange(len(days))]
                            continue
                    break
                else:
                    raise SystemExit(f"{slug}: no day fits the paths")
                found = variants[identity]
                next_number[(slug, received.year)] += 1
                number = next_number[(slug, received.year)]
                reference = f"{organisation.short_code}-{received.year}-{number:04d}"
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                anonymous = rng.random() < 0.02
                name = "" if anonymous else f"{first} {last}"
                email = (
                    ""
                    if anonymous
                    else f"{first.lower()}.{last.replace(' ', '').lower()}{number}@example.nl"
                )
                values = Complaint(
                    reference=reference,
                    complainant_name=name,
                    complainant_email=email,
                    description=rng.choice(DESCRIPTIONS),
                    category=rng.choice(CATEGORIES),
                    commissioning_party=party,
                )
                derived = found.derived
                yield (
                    (
                        organisation.pk, version.pk, reference, received.year, number, received,
                        rng.choice(CHANNELS), anonymous, name, email, "", "", "nl", "neutral", "",
                        "", None, values.description, values.category, party, party == "UWV",
                        bench.staff[slug], "now", len(found.events),
                        complaint_search_text(values, [], found.payloads), "",
                        *derived.columns().values(),
                    )
                ), (reference, found.key)  # fmt: skip
                bench.complaints[slug] += 1

    with transaction.atomic(), connection.cursor() as django_cursor:
        cursor = django_cursor.cursor  # psycopg's, for COPY
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(
            """SELECT i.indexname, i.indexdef FROM pg_indexes i
            WHERE i.tablename IN ('register_complaint', 'register_complaintdeadline',
                                  'register_complaintevent', 'register_complaintparticipant')
            AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)"""
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute(
            """CREATE TEMP TABLE bench_key (reference varchar(32), key int) ON COMMIT DROP;
            CREATE TEMP TABLE bench_event (key int, sequence int, event text, "on" date,
                role text, actor_id int, actor_name text, payload jsonb, people jsonb,
                personal jsonb)
                ON COMMIT DROP;
            CREATE TEMP TABLE bench_deadline (key int, position int, deadline_id text,
                kind text, label text, label_en text, start date, due date, met_on date,
                status text, running bool, extensions int, working_days int) ON COMMIT DROP;
            CREATE TEMP TABLE bench_todo (key int, position int, todo_id text, kind text,
                label text, label_en text, source text, created_on date, done_on date,
                status text, roles jsonb) ON COMMIT DROP;
            CREATE TEMP TABLE bench_participant (key int, user_id int, capacity text)
                ON COMMIT DROP"""
        )
        # Written in batches as they are drawn: memory stays that of one batch and the
        # variants, whatever N.
        batch: list[tuple[Any, ...]] = []
        keys: list[tuple[str, int]] = []
        written = 0
        for row, key in rows():
            batch.append(row)
            keys.append(key)
            if len(batch) == BATCH:
                _copy(cursor, "register_complaint", complaint_columns(), batch)
                _copy(cursor, "bench_key", ["reference", "key"], keys)
                written += len(batch)
                batch, keys = [], []
        _copy(cursor, "register_complaint", complaint_columns(), batch)
        _copy(cursor, "bench_key", ["reference", "key"], keys)
        written += len(batch)
        bench.seconds["complaints"] = time.perf_counter() - began
        say(
            f"complaints: {written:,} drawn and copied with {len(variants):,} (path, day) "
            f"histories through the engine ({refits} days refitted) in "
            f"{bench.seconds['complaints']:.1f} s"
        )
        began = time.perf_counter()
        found_variants = list(variants.values())
        _copy(
            cursor,
            "bench_event",
            ["key", "sequence", "event", '"on"', "role", "actor_id", "actor_name", "payload",
             "people", "personal"],
            [(v.key, *e) for v in found_variants for e in v.events],
        )  # fmt: skip
        deadline_fields = list(DEADLINE_COLUMNS)
        _copy(
            cursor,
            "bench_deadline",
            ["key", *deadline_fields],
            [
                (v.key, *(row[f] for f in deadline_fields))
                for v in found_variants
                for row in v.derived.deadlines
            ],
        )
        todo_fields = [
            "position", "todo_id", "kind", "label", "label_en", "source", "created_on",
            "done_on", "status", "roles",
        ]  # fmt: skip
        _copy(
            cursor,
            "bench_todo",
            ["key", *todo_fields],
            [
                (v.key, *(json.dumps(row[f]) if f == "roles" else row[f] for f in todo_fields))
                for v in found_variants
                for row in v.derived.todos
            ],
        )
        _copy(
            cursor,
            "bench_participant",
            ["key", "user_id", "capacity"],
            [(v.key, *p) for v in found_variants for p in v.participants],
        )
        cursor.execute("ANALYZE bench_key; ANALYZE bench_event")
        cursor.execute(
            """INSERT INTO register_complaintevent (complaint_id, sequence, event, "on", role,
                actor_id, actor_name, payload, people, recorded_at)
            SELECT c.id, e.sequence, e.event, e."on", e.role, e.actor_id, e.actor_name,
                e.payload, e.people, now()
            FROM bench_key k JOIN register_complaint c ON c.reference = k.reference
            JOIN bench_event e ON e.key = k.key"""
        )
        # The personal data of the events' details, kept apart from the log as the services do.
        cursor.execute(
            """INSERT INTO register_personaldata (event_id, complaint_id, "values")
            SELECT r.id, c.id, e.personal
            FROM bench_key k JOIN register_complaint c ON c.reference = k.reference
            JOIN bench_event e ON e.key = k.key AND e.personal IS NOT NULL
            JOIN register_complaintevent r ON r.complaint_id = c.id AND r.sequence = e.sequence"""
        )
        cursor.execute(
            f"""INSERT INTO register_complaintdeadline (complaint_id, {", ".join(deadline_fields)})
            SELECT c.id, {", ".join("d." + f for f in deadline_fields)}
            FROM bench_key k JOIN register_complaint c ON c.reference = k.reference
            JOIN bench_deadline d ON d.key = k.key"""
        )
        cursor.execute(
            f"""INSERT INTO register_complainttodo (complaint_id, organisation_id,
                {", ".join(todo_fields)})
            SELECT c.id, c.organisation_id, {", ".join("t." + f for f in todo_fields)}
            FROM bench_key k JOIN register_complaint c ON c.reference = k.reference
            JOIN bench_todo t ON t.key = k.key"""
        )
        cursor.execute(
            """INSERT INTO register_complaintparticipant (complaint_id, user_id, capacity)
            SELECT c.id, p.user_id, p.capacity
            FROM bench_key k JOIN register_complaint c ON c.reference = k.reference
            JOIN bench_participant p ON p.key = k.key"""
        )
        for (slug, year), last in next_number.items():
            cursor.execute(
                """INSERT INTO register_referencecounter (organisation_id, year, last)
                VALUES (%s, %s, %s) ON CONFLICT (organisation_id, year)
                DO UPDATE SET last = EXCLUDED.last""",
                (bench.organisations[slug], year, last),
            )
        # The foreign keys are checked at commit (deferred); an index cannot be built over rows
        # with checks pending.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for _name, definition in indexes:
            cursor.execute(definition)
    # A register in service is vacuumed by autovacuum as its rows age; a freshly written one
    # is not, and without the visibility map every index-only scan (the figures' covering
    # indexes) reads the table's pages too. VACUUM makes the generated register the steady
    # state the benches mean to measure. (Inside a transaction, as in the tests, VACUUM cannot
    # run: statistics only.)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)")
    bench.seconds["write"] = time.perf_counter() - began
    say(
        f"written:    their log, deadlines, participants and indexes in "
        f"{bench.seconds['write']:.1f} s"
    )
    return bench


# --- the check ---------------------------------------------------------------------------------


def check(sample: int = 200, seed: int = 7, quiet: bool = False) -> list[str]:
    """Replay ``sample`` random complaints from their stored log through the engine and compare
    the stored deadline rows, projection columns, participants and search text with what the
    projection computes; the mismatches (printed unless ``quiet``)."""
    from klachtenregister.register.models import Complaint
    from klachtenregister.register.personal import with_personal_data
    from klachtenregister.register.projection import (
        COMPLAINT_COLUMNS,
        DEADLINE_COLUMNS,
        complaint_search_text,
        derive,
        participants_of,
    )
    from klachtenregister.register.selectors.history import lifecycle_of

    ids = list(Complaint.objects.values_list("pk", flat=True))
    chosen = random.Random(seed).sample(ids, min(sample, len(ids)))
    problems: list[str] = []
    fields = list(DEADLINE_COLUMNS)
    for complaint in Complaint.objects.filter(pk__in=chosen).select_related("regulation_version"):
        events = list(with_personal_data(list(complaint.events.order_by("sequence"))))
        derived = derive(lifecycle_of(complaint, events))
        stored = [
            dict(zip(fields, row, strict=True))
            for row in complaint.deadlines.order_by("position").values_list(*fields)
        ]
        if stored != derived.deadlines:
            problems.append(f"{complaint.reference}: deadlines {stored} != {derived.deadlines}")
        todo_fields = ["position", "todo_id", "kind", "label", "label_en", "source"]
        todo_fields += ["created_on", "done_on", "status", "roles"]
        stored_todos = [
            dict(zip(todo_fields, row, strict=True))
            for row in complaint.todos.order_by("position").values_list(*todo_fields)
        ]
        if stored_todos != derived.todos:
            problems.append(f"{complaint.reference}: to-dos {stored_todos} != {derived.todos}")
        for name in COMPLAINT_COLUMNS:
            if getattr(complaint, name) != getattr(derived, name):
                problems.append(
                    f"{complaint.reference}: {name} {getattr(complaint, name)!r} != "
                    f"{getattr(derived, name)!r}"
                )
        if complaint.sequence != len(events) or [e.sequence for e in events] != list(
            range(1, len(events) + 1)
        ):
            problems.append(f"{complaint.reference}: sequence {complaint.sequence}, log {events}")
        participants = sorted(participants_of((e.event, e.people) for e in events))
        stored_participants = sorted(complaint.participants.values_list("user_id", "capacity"))
        if participants != stored_participants:
            problems.append(
                f"{complaint.reference}: participants {stored_participants} != {participants}"
            )
        people = complaint.people.values_list("name", flat=True)
        text = complaint_search_text(complaint, people, [e.payload for e in events])
        if text != complaint.search_text:
            problems.append(f"{complaint.reference}: search text differs")
    if not quiet:
        for problem in problems:
            print("MISMATCH " + problem)
    return problems


def fill_checked(n: int, sample: int = 200) -> Bench:
    """``fill`` then ``check``, for the benches: exits 1 on any mismatch, before measuring."""
    bench = fill(n)
    began = time.perf_counter()
    problems = check(sample)
    print(
        f"check:      {sample} complaints replayed in {time.perf_counter() - began:.1f} s, "
        f"{len(problems)} mismatches"
    )
    if problems:
        sys.exit(1)
    return bench


def summary() -> str:
    """The register's shape: complaints per organisation, open share, states and events."""
    from django.db.models import Count

    from klachtenregister.register.models import OPEN_STATES, Complaint, ComplaintEvent

    total = Complaint.objects.count()
    open_ = Complaint.objects.filter(state__in=OPEN_STATES).count()
    states = dict(Complaint.objects.values_list("state").annotate(n=Count("pk")).order_by("-n"))
    events = ComplaintEvent.objects.count()
    return (
        f"register:   {total:,} complaints, {open_ / max(total, 1):.1%} open, {events:,} events; "
        f"states {states}"
    )


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument(
        "--complaints",
        type=int,
        default=int(os.environ.get("BENCH_COMPLAINTS") or DEFAULT_COMPLAINTS),
    )
    parser.add_argument("--database", default="klachtenregister_bench")
    parser.add_argument("--check", type=int, default=500, help="complaints replayed in the check")
    parser.add_argument("--keep", action="store_true", help="do not drop the scratch database")
    return parser.parse_args()


def main() -> None:
    args = arguments()
    setup_django(args.database)
    from django.core.management import call_command

    try:
        call_command("migrate", verbosity=0)
        fill(args.complaints)
        print(summary())
        began = time.perf_counter()
        problems = check(args.check)
        print(
            f"check:      {args.check} complaints replayed in {time.perf_counter() - began:.1f} s, "
            f"{len(problems)} mismatches"
        )
    finally:
        if args.keep:
            print(f"kept database {args.database}")
        else:
            drop_database(args.database)
    if problems:
        sys.exit(1)


if __name__ == "__main__":
    main()
