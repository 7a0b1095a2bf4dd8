"""Demo data for ``make run``: people in every role of the five organisations and a few complaints
per organisation in telling states and deadline situations, relative to today.

Everything goes through the core services (``complaint_log.register_complaint`` and
``letters.sending.record_with_letters``), so the engine checks every demo event as it would a
user's, the derived rows (deadlines, participants) are what the back office itself would store,
and every step that sends a letter sends it: its PDF is kept and e-mail waits in the outbox for
the worker. Demo users and organisations get e-mail addresses and letterheads, so the worker's
digests and notices to directors have somewhere to go (the demo mailbox of ``make run``).

Dates are counted back from ``clock.today()`` on each regulation's own working-day calendar, so
that on any day (a weekend, Christmas Eve) each organisation has a complaint whose running
deadline is overdue, one due within two working days, and one due later; no event lies after
today. Loading twice changes nothing: users and memberships are only added when missing, and an
organisation's complaints only when none of its demo users has registered one yet.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction

from klachtenregister.calendars import WorkingDayCalendar
from klachtenregister.correspondence.services import default_orders, record_with_letters
from klachtenregister.lifecycle.rules import roles_for
from klachtenregister.register import access, clock, selectors
from klachtenregister.register.models import (
    Complaint,
    ComplaintParticipant,
    Membership,
    Organisation,
    person_name,
)
from klachtenregister.register.services import (
    ComplaintData,
    LogError,
    NewEvent,
    register_complaint,
    regulation_version_for,
)
from klachtenregister.register.watchlist import SOON_WORKING_DAYS
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.terms import calendar_of, due_date
from klachtenregister.regulations.vocabulary import Event, RoleKind

LOGIN_URL = "http://127.0.0.1:8000/inloggen/"
# The five organisations in the order the table lists them: (slug, short code).
ORGANISATIONS = (
    ("iskander", "ISK"),
    ("integratiewerk", "IW"),
    ("infocus-samen", "IFS"),
    ("loket3", "L3"),
    ("smartplus", "SP"),
)
MULTI_USERNAME = "demo-multi"
MAIL_DOMAIN = "demo.klachtenregister.local"

# The letterhead of each demo organisation: (postal address, phone, website).
LETTERHEADS: dict[str, tuple[str, str, str]] = {
    "iskander": ("Postbus 1024\n3800 BA Amersfoort", "033 460 10 24", "www.iskander.example"),
    "integratiewerk": (
        "Stationsplein 8\n8011 CW Zwolle",
        "038 421 55 00",
        "www.integratiewerk.example",
    ),
    "infocus-samen": ("Hoofdstraat 52\n7311 KE Apeldoorn", "055 578 12 12", "www.infocus.example"),
    "loket3": ("Ringbaan-Oost 102\n5013 CD Tilburg", "013 530 33 30", "www.loket3.example"),
    "smartplus": (
        "Kerkwervesingel 269\n3086 HN Rotterdam",
        "085 877 03 31",
        "www.smartplus.example",
    ),
}

# What the demo's people write in letters where the register knows nothing to fill in.
LETTER_TEXTS: dict[str, str] = {
    "agreements": "Uw begeleider neemt binnen een week contact met u op om een nieuw "
    "begeleidingsplan te maken. U krijgt daarbij een andere vaste contactpersoon.",
    "consultation_summary": "Wij hebben met u gesproken over de gang van zaken in uw traject. "
    "U gaf aan dat u zich niet gehoord voelde; wij hebben uitgelegd hoe het verder gaat.",
    "next_steps": "Een medewerker die niet bij de zaak betrokken was, onderzoekt de klacht en "
    "hoort u en de betrokken medewerker.",
    "hearing_invitation": "dinsdag om 10.00 uur op ons kantoor; laat het ons weten als dat "
    "moment u niet schikt.",
    "hearing_report": "Beide partijen zijn gehoord. De klager lichtte toe dat afspraken twee keer "
    "zonder bericht niet doorgingen; de medewerker erkende dat en bood excuses aan.",
    "facts": "Twee afspraken gingen niet door zonder dat u daarover bericht kreeg.",
    "findings": "Uit ons onderzoek blijkt dat de rapportage zonder uw reactie is verstuurd.",
    "offer": "Wij bieden u een gesprek met de teamleider en een herziene rapportage aan.",
    "outcome": "nog niet bekend; u hoort dit in onze beslissing",
    "judgement": "De klacht is gegrond.",
    "delay_reason": "Wij wachten nog op de reactie van de betrokken medewerker.",
    "date_place_circumstances": "Op ons kantoor, tijdens het begeleidingsgesprek.",
    "measures": "Geen verdere maatregelen.",
    "steps_taken": "De klacht is met de medewerker en de leidinggevende besproken.",
}
MULTI_ORGANISATIONS = ("iskander", "loket3")

# A realistic Dutch name for each demo user: (first name, last name).
NAMES: dict[str, tuple[str, str]] = {
    "isk-coordinator": ("Marieke", "de Boer"),
    "isk-handler": ("Joost", "van Dijk"),
    "isk-director": ("Hanneke", "Visser"),
    "isk-external_party": ("Ruud", "Smit"),
    "isk-employee": ("Sanne", "Bakker"),
    "iw-coordinator": ("Petra", "van den Berg"),
    "iw-director": ("Gerard", "Mulder"),
    "iw-manager": ("Ingrid", "de Graaf"),
    "iw-committee": ("Annelies", "Brouwer"),
    "iw-employee": ("Thijs", "Vermeulen"),
    "ifs-coordinator": ("Wendy", "Jansen"),
    "ifs-committee": ("Bas", "Hendriks"),
    "ifs-employee": ("Lotte", "Dekker"),
    "l3-coordinator": ("Yvonne", "Koster"),
    "l3-handler": ("Mehmet", "Yilmaz"),
    "l3-manager": ("Esther", "Willems"),
    "l3-director": ("Frank", "Hoekstra"),
    "l3-employee": ("Daan", "Peters"),
    "sp-coordinator": ("Linda", "Maas"),
    "sp-handler": ("Eva", "Schouten"),
    "sp-manager": ("Nicole", "Verhoeven"),
    "sp-director": ("Hans", "Kuipers"),
    "sp-employee": ("Kevin", "Bos"),
    MULTI_USERNAME: ("Sven", "de Wit"),
}
FALLBACK_NAME = ("Demo", "Gebruiker")


class DemoError(Exception):
    """The demo data could not be built: a bug in a scenario, never a user's mistake."""


def password_for(username: str) -> str:
    return f"demo-{username}"


def username_for(short_code: str, kind: RoleKind | str) -> str:
    return f"{short_code.lower()}-{RoleKind(kind).value}"


# --- who: the demo users ---------------------------------------------------------------------


def staff_kinds(regulation: Regulation) -> list[RoleKind]:
    """The kinds of role one person needs to take a complaint from registration to closure under
    ``regulation``: every kind in it, except employees unless an employee role records something
    (SmartPLUS: a medewerker records receipt and registration)."""
    needed = {
        role.kind
        for role in regulation.roles
        if role.kind is not RoleKind.EMPLOYEE or role.performs
    }
    return [kind for kind in RoleKind if kind in needed]


def kinds_present(regulation: Regulation) -> list[RoleKind]:
    """Every kind of role the regulation has, in the order of ``RoleKind``."""
    present = {role.kind for role in regulation.roles}
    return [kind for kind in RoleKind if kind in present]


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    memberships: tuple[tuple[str, tuple[RoleKind, ...]], ...]  # (organisation slug, kinds)

    @property
    def password(self) -> str:
        return password_for(self.username)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def demo_users(regulations: dict[str, Regulation]) -> list[DemoUser]:
    """Per organisation a user per kind of role in its regulation, the ``<code>-coordinator`` with
    every staff kind, and ``demo-multi``, the coordinator of two organisations."""
    users: list[DemoUser] = []
    for slug, code in ORGANISATIONS:
        regulation = regulations[slug]
        coordinator = username_for(code, RoleKind.COORDINATOR)
        usernames = [coordinator]
        usernames += [
            username_for(code, kind)
            for kind in kinds_present(regulation)
            if kind is not RoleKind.COORDINATOR
        ]
        for username in usernames:
            if username == coordinator:
                kinds = tuple(staff_kinds(regulation))
            else:
                kinds = (RoleKind(username.split("-", 1)[1]),)
            first, last = NAMES.get(username, FALLBACK_NAME)
            users.append(DemoUser(username, first, last, ((slug, kinds),)))
    first, last = NAMES[MULTI_USERNAME]
    multi = tuple((slug, tuple(staff_kinds(regulations[slug]))) for slug in MULTI_ORGANISATIONS)
    users.append(DemoUser(MULTI_USERNAME, first, last, multi))
    return users


@dataclass
class Report:
    """What loading the demo did; ``changed`` is False when everything was already there."""

    users: list[DemoUser]
    users_created: list[str] = field(default_factory=list)
    users_updated: list[str] = field(default_factory=list)
    memberships_created: int = 0
    complaints_created: dict[str, list[str]] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(
            self.users_created
            or self.users_updated
            or self.memberships_created
            or any(self.complaints_created.values())
        )


def _ensure_user(demo: DemoUser, report: Report) -> Any:
    User = get_user_model()
    email = f"{demo.username}@{MAIL_DOMAIN}"
    user, created = User.objects.get_or_create(
        username=demo.username,
        defaults={"first_name": demo.first_name, "last_name": demo.last_name, "email": email},
    )
    if created:
        user.set_password(demo.password)
        user.save()
        report.users_created.append(demo.username)
    else:
        changed = False
        if (user.first_name, user.last_name, user.email) != (
            demo.first_name,
            demo.last_name,
            email,
        ):
            user.first_name, user.last_name, user.email = demo.first_name, demo.last_name, email
            changed = True
        if not user.is_active:
            user.is_active = True
            changed = True
        if not user.check_password(demo.password):
            # The printed password must work: put it back if someone changed it.
            user.set_password(demo.password)
            changed = True
        if changed:
            user.save()
            report.users_updated.append(demo.username)
    for slug, kinds in demo.memberships:
        organisation = Organisation.objects.get(slug=slug)
        for kind in kinds:
            _, made = Membership.objects.get_or_create(
                user=user, organisation=organisation, kind=kind.value
            )
            report.memberships_created += made
    return user


# --- when: dates counted back from today on the regulation's calendar ---------------------------


class Dates:
    """Days relative to today on one organisation's calendar; never after today."""

    def __init__(self, today: dt.date, calendar: WorkingDayCalendar) -> None:
        self.today = today
        self.calendar = calendar
        self.soon_limit = calendar.add_working_days(today, SOON_WORKING_DAYS)

    def back(self, n: int) -> dt.date:
        """The n-th working day before today (n >= 1); today itself for n == 0 if it is a
        working day, else the last working day before it."""
        if n == 0:
            return self.calendar.previous_working_day(self.today)
        return self.calendar.add_working_days(self.today, -n)

    def after(self, day: dt.date, n: int) -> dt.date:
        """The n-th working day after ``day``; refused if it lies after today."""
        later = self.calendar.add_working_days(day, n)
        if later > self.today:
            raise DemoError(f"{n} working days after {day} is after today ({self.today})")
        return later

    def due(self, regulation: Regulation, deadline_id: str, start: dt.date) -> dt.date:
        deadline = next(d for d in regulation.deadlines if d.id == deadline_id)
        return due_date(self.calendar, deadline, start)

    def received_for_soon(self, regulation: Regulation, deadline_id: str) -> dt.date:
        """The latest day on or before today (a working day where one fits) on which a complaint
        is received whose ``deadline_id`` term ends within the next two working days."""
        fallback: dt.date | None = None
        for days_back in range(0, 120):
            start = self.today - dt.timedelta(days=days_back)
            due = self.due(regulation, deadline_id, start)
            if due < self.today:
                break  # earlier starts only end earlier
            if due <= self.soon_limit:
                if self.calendar.is_working_day(start):
                    return start
                fallback = fallback or start
        if fallback is None:
            raise DemoError(f"no receipt day makes {deadline_id} due soon after {self.today}")
        return fallback


# --- what: the complaints ----------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One event of a demo complaint; ``by`` names the demo user who records it (else the first
    participant or demo user whose role may, the coordinator last)."""

    event: Event
    on: dt.date
    details: dict[str, Any] = field(default_factory=dict)
    people: dict[str, Any] = field(default_factory=dict)
    by: str | None = None


@dataclass(frozen=True)
class DemoComplaint:
    data: ComplaintData
    steps: Sequence[Step] = ()


class Scenario:
    """What a scenario function gets: today's dates, the regulation and the demo users."""

    def __init__(
        self,
        organisation: Organisation,
        regulation: Regulation,
        dates: Dates,
        users: dict[str, Any],
        code: str,
    ) -> None:
        self.organisation = organisation
        self.regulation = regulation
        self.dates = dates
        self.users = users
        self.code = code.lower()

    def user(self, kind: str) -> Any:
        return self.users[f"{self.code}-{kind}"]

    def name(self, kind: str) -> str:
        return person_name(self.user(kind))

    def subject(self) -> tuple[str, Any]:
        """The organisation's demo employee as the subject of a complaint (a ComplaintPerson
        with the user: the permission rule shows when they log in)."""
        return (self.name("employee"), self.user("employee"))

    def step(self, event: str, on: dt.date, by: str | None = None, **details: Any) -> Step:
        return Step(Event(event), on, details=details, by=by)

    def assign(self, on: dt.date, kind: str, by: str | None = None) -> Step:
        user = self.user(kind)
        return Step(
            Event.HANDLER_ASSIGNED,
            on,
            details={"handler": person_name(user)},
            people={"handler": user.pk},
            by=by,
        )

    def appoint(self, on: dt.date, kinds: Sequence[str], by: str | None = None) -> Step:
        members = [self.user(kind) for kind in kinds]
        return Step(
            Event.COMMITTEE_APPOINTED,
            on,
            details={"members": [person_name(m) for m in members]},
            people={"members": [m.pk for m in members]},
            by=by,
        )

    def extend(self, on: dt.date, deadline: str, amount: int, unit: str, reason: str) -> Step:
        details = {"deadline": deadline, "by": {"amount": amount, "unit": unit}, "reason": reason}
        return Step(Event.EXTENDED, on, details=details)


def complaint(received_on: dt.date, **fields: Any) -> ComplaintData:
    values: dict[str, Any] = {"received_on": received_on, "channel": "written"}
    values.update(fields)
    return ComplaintData(**values)


def _iskander(s: Scenario) -> list[DemoComplaint]:
    d = s.dates
    complaints = []

    # Handled for five weeks, hearing and report done: the 4-week term has passed (verlopen).
    r = d.back(25)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=9),
                complainant_name="Jeroen Kramer",
                complainant_email="j.kramer@example.nl",
                complainant_phone="06-12345678",
                complainant_address="Lindelaan 14\n3523 GK Utrecht",
                description=(
                    "Mijn re-integratiecoach zegde drie afspraken op het laatste moment af en "
                    "maakte in het gesprek daarna denigrerende opmerkingen over mijn ziekte."
                ),
                category="bejegening",
                commissioning_party="UWV",
                uwv_client=True,
                subjects=[s.subject()],
            ),
            [
                s.assign(d.after(r, 1), "handler", by="isk-coordinator"),
                s.step("acknowledged", d.after(r, 2)),
                s.step("consultation_held", d.after(r, 6), outcome="no_agreement"),
                s.step("accepted", d.after(r, 7)),
                s.step("consultation_confirmation_sent", d.after(r, 8)),
                s.step("follow_up_information_sent", d.after(r, 10)),
                s.step(
                    "hearing_held",
                    d.after(r, 14),
                    heard=["Jeroen Kramer", s.name("employee")],
                ),
                s.step("hearing_report_sent", d.after(r, 17)),
            ],
        )
    )

    # Just in: the acknowledgement is due within two working days.
    r = d.received_for_soon(s.regulation, "ontvangstbevestiging")
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="oral",
                facts_date=r - dt.timedelta(days=3),
                complainant_name="Fatima el Idrissi",
                complainant_phone="010-4567890",
                description=(
                    "Telefonisch gemeld: de werkgever kreeg een verslag met medische gegevens "
                    "die ik niet wilde delen, zonder mijn toestemming."
                ),
                category="privacy",
                commissioning_party="Gemeente Utrecht",
            ),
        )
    )

    # Taken into treatment this week: the 4-week term is weeks away (later).
    r = d.back(3)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="email",
                facts_date=r - dt.timedelta(days=6),
                complainant_name="Wim Hoogendoorn",
                complainant_email="wim.hoogendoorn@example.nl",
                description=(
                    "Het trajectplan dat ik moest tekenen bevatte afspraken die nooit met mij "
                    "besproken zijn."
                ),
                category="dienstverlening",
                commissioning_party="UWV",
                uwv_client=True,
            ),
            [
                s.step("acknowledged", d.after(r, 1)),
                s.assign(d.after(r, 1), "coordinator", by="isk-coordinator"),
                s.step("accepted", d.after(r, 2)),
            ],
        )
    )

    # Not taken into treatment: the conduct was more than four weeks before the complaint.
    r = d.back(45)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=70),
                complainant_name="Gerda Schipper",
                complainant_address="Molenstraat 3\n3811 EK Amersfoort",
                description=(
                    "Vorig voorjaar werd een intakegesprek zonder bericht verzet; ik heb daardoor "
                    "een vrije dag voor niets opgenomen."
                ),
                category="planning",
            ),
            [
                s.step("acknowledged", d.after(r, 2)),
                s.step(
                    "declared_inadmissible",
                    d.after(r, 4),
                    ground="feit_ouder_dan_vier_weken",
                    reason="De gebeurtenis ligt ruim twee maanden voor het indienen van de klacht.",
                ),
                s.step("inadmissibility_notice_sent", d.after(r, 6)),
                s.step("closed", d.after(r, 7), reason="Niet in behandeling genomen; gemeld."),
            ],
        )
    )

    # Handled from start to finish: decided partly founded, measures taken, closed.
    r = d.back(80)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=12),
                complainant_name="Mohamed Ouali",
                complainant_email="m.ouali@example.nl",
                representative_name="mr. A. Verbeek",
                representative_capacity="raadsman",
                description=(
                    "Mijn coach heeft mijn sollicitatiebrieven zonder overleg naar een "
                    "uitzendbureau gestuurd."
                ),
                category="dienstverlening",
                commissioning_party="Werkgever Bouwbedrijf Van Leeuwen",
                subjects=[("Rob Timmermans", None)],
            ),
            [
                s.assign(d.after(r, 1), "handler", by="isk-coordinator"),
                s.step("acknowledged", d.after(r, 2)),
                s.step("consultation_held", d.after(r, 5), outcome="no_agreement"),
                s.step("accepted", d.after(r, 6)),
                s.step("consultation_confirmation_sent", d.after(r, 7)),
                s.step("follow_up_information_sent", d.after(r, 8)),
                s.step("hearing_held", d.after(r, 10), heard=["Mohamed Ouali", "Rob Timmermans"]),
                s.step("hearing_report_sent", d.after(r, 12)),
                s.step(
                    "decision_made",
                    d.after(r, 15),
                    outcome="partly_founded",
                    motivation=(
                        "De brieven zijn verstuurd zonder toestemming; een uitzendbureau "
                        "inschakelen paste wel in het trajectplan."
                    ),
                ),
                s.step(
                    "measures_recorded",
                    d.after(r, 15),
                    type="corrective",
                    description="Excuses aangeboden; toestemming voortaan schriftelijk vastgelegd.",
                ),
                s.step("decision_sent", d.after(r, 16)),
                s.step("closed", d.after(r, 18), reason="Oordeel verstuurd; klager tevreden."),
            ],
        )
    )
    return complaints


def _integratiewerk(s: Scenario) -> list[DemoComplaint]:
    d = s.dates
    complaints = []

    # Acknowledged, but the director never got in touch: the 10-working-day term has passed.
    r = d.back(16)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=20),
                complainant_name="Henk de Ruiter",
                complainant_address="Parkweg 88\n2585 JK Den Haag",
                description=(
                    "Na twee gesprekken met mijn begeleider en met de leidinggevende is er nog "
                    "steeds geen stageplek; toezeggingen worden niet nagekomen."
                ),
                category="dienstverlening",
                commissioning_party="Gemeente Den Haag",
                subjects=[s.subject()],
            ),
            [s.step("acknowledged", d.after(r, 5))],
        )
    )

    # Just in: the written acknowledgement (two weeks) is due within two working days.
    r = d.received_for_soon(s.regulation, "ontvangstbevestiging")
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="email",
                facts_date=r - dt.timedelta(days=30),
                complainant_name="Anouk Meijer",
                complainant_email="anouk.meijer@example.nl",
                description=(
                    "Mijn reiskosten voor de sollicitatietraining zijn na drie maanden nog altijd "
                    "niet vergoed."
                ),
                category="financieel",
                commissioning_party="UWV",
                uwv_client=True,
            ),
        )
    )

    # With the Klachtencommissie, whose advice term was extended once (later).
    referred = d.back(12)
    r = d.calendar.add_working_days(referred, -10)
    advice_due = d.due(s.regulation, "advies_klachtencommissie", referred)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=14),
                complainant_name="Bram Jacobs",
                complainant_address="Kerkstraat 21\n2611 GE Delft",
                description=(
                    "Mijn begeleider sprak in het bijzijn van andere deelnemers over mijn schulden."
                ),
                category="bejegening",
                commissioning_party="Gemeente Delft",
                subjects=[("Ronald Veenstra", None)],
            ),
            [
                s.step("acknowledged", d.after(r, 3)),
                s.step("consultation_held", d.after(r, 8), outcome="no_agreement"),
                s.step("accepted", d.after(r, 8)),
                s.step("referred_to_committee", referred),
                s.extend(
                    min(d.back(1), advice_due),
                    "advies_klachtencommissie",
                    3,
                    "weeks",
                    "Betrokken medewerker met verlof; klager schriftelijk ingelicht.",
                ),
            ],
        )
    )

    # Decided on the committee's binding advice, and closed.
    r = d.back(70)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=40),
                complainant_name="Ellen Smits",
                complainant_email="ellen.smits@example.nl",
                description=(
                    "Het eindverslag van mijn traject bevat onjuiste informatie over mijn "
                    "belastbaarheid."
                ),
                category="rapportage",
                commissioning_party="UWV",
                uwv_client=True,
                subjects=[("Marco Postma", None)],
            ),
            [
                s.step("acknowledged", d.after(r, 4)),
                s.step("consultation_held", d.after(r, 8), outcome="no_agreement"),
                s.step("accepted", d.after(r, 8)),
                s.step("referred_to_committee", d.after(r, 8)),
                s.step("committee_advice_given", d.after(r, 20)),
                s.step(
                    "decision_made",
                    d.after(r, 22),
                    outcome="founded",
                    motivation="Het verslag wordt gecorrigeerd en opnieuw naar UWV gestuurd.",
                ),
                s.step("decision_sent", d.after(r, 24)),
                s.step("closed", d.after(r, 25), reason="Besluit verstuurd."),
            ],
        )
    )
    return complaints


def _infocus(s: Scenario) -> list[DemoComplaint]:
    d = s.dates
    committee = ("committee", "coordinator")
    complaints = []

    # Heard, but the committee's decision is late: the 4-week term has passed.
    r = d.back(25)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=7),
                complainant_name="Karin Vos",
                complainant_email="karin.vos@example.nl",
                description=(
                    "Tijdens de groepstraining werd ik door de trainer voor de groep "
                    "belachelijk gemaakt."
                ),
                category="bejegening",
                commissioning_party="Gemeente Eindhoven",
                subjects=[s.subject()],
            ),
            [
                s.appoint(r, committee, by="ifs-coordinator"),
                s.step("acknowledged", d.after(r, 3)),
                s.step("accepted", d.after(r, 3)),
                s.step("hearing_held", d.after(r, 10), heard=["Karin Vos", s.name("employee")]),
            ],
        )
    )

    # Just in: the acknowledgement (5 working days) is due within two working days.
    r = d.received_for_soon(s.regulation, "ontvangstbevestiging")
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="portal",
                complainant_name="Pieter Brouwers",
                complainant_email="p.brouwers@example.nl",
                description=(
                    "Het webformulier voor het verzetten van afspraken werkt al twee weken "
                    "niet; niemand belt terug."
                ),
                category="bereikbaarheid",
                commissioning_party="UWV",
                uwv_client=True,
            ),
            [
                s.appoint(r, committee, by="ifs-coordinator"),
                s.step("third_party_informed", r, by="ifs-coordinator"),
            ],
        )
    )

    # The decision term was extended in agreement with the complainant (later).
    r = d.back(22)
    uitspraak_due = d.due(s.regulation, "uitspraak", r)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="email",
                facts_date=r - dt.timedelta(days=10),
                complainant_name="Richard Claassen",
                complainant_email="r.claassen@example.nl",
                description=(
                    "Mijn jobcoach heeft een gesprek met mijn werkgever gevoerd zonder mij "
                    "daarvan vooraf op de hoogte te stellen."
                ),
                category="communicatie",
                commissioning_party="Werkgever Zorggroep Noord",
                subjects=[("Ilse van Leeuwen", None)],
            ),
            [
                s.appoint(r, committee, by="ifs-coordinator"),
                s.step("acknowledged", d.after(r, 2)),
                s.step("accepted", d.after(r, 2)),
                s.step(
                    "hearing_held",
                    d.after(r, 9),
                    heard=["Richard Claassen", "Ilse van Leeuwen"],
                ),
                s.extend(
                    min(d.back(3), uitspraak_due),
                    "uitspraak",
                    3,
                    "weeks",
                    "Werkgever pas over twee weken bereikbaar; nieuwe termijn met klager "
                    "afgesproken.",
                ),
            ],
        )
    )

    # Not taken into treatment, told in time, closed.
    r = d.back(50)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                complainant_name="Joke Wouters",
                complainant_address="Stationsplein 5\n5611 AB Eindhoven",
                description=(
                    "Ik was ontevreden over de koffie en de temperatuur in de wachtruimte."
                ),
                category="huisvesting",
            ),
            [
                s.appoint(r, committee, by="ifs-coordinator"),
                s.step("acknowledged", d.after(r, 3)),
                s.step(
                    "declared_inadmissible",
                    d.after(r, 8),
                    reason="De onvrede is door de direct aangesprokene al weggenomen.",
                ),
                s.step("inadmissibility_notice_sent", d.after(r, 10)),
                s.step("closed", d.after(r, 11), reason="Niet in behandeling genomen; gemeld."),
            ],
        )
    )
    return complaints


def _loket3(s: Scenario) -> list[DemoComplaint]:
    d = s.dates
    complaints = []

    # Investigated, the employee heard, but no written confirmation: 21 working days passed.
    r = d.back(26)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="oral",
                facts_date=r - dt.timedelta(days=2),
                complainant_name="Sandra Hermans",
                complainant_phone="06-98765432",
                description=(
                    "Verbeterformulier na telefoongesprek: de consulent is niet verschenen op "
                    "de afspraak bij de werkgever en heeft niet afgebeld."
                ),
                category="afspraken",
                commissioning_party="UWV",
                uwv_client=True,
                subjects=[s.subject()],
            ),
            [
                s.assign(r, "handler", by="l3-coordinator"),
                s.step("acknowledged", d.after(r, 2)),
                s.step("accepted", d.after(r, 2)),
                s.step("subject_informed", d.after(r, 3)),
                s.step("hearing_held", d.after(r, 8), heard=[s.name("employee")]),
            ],
        )
    )

    # Just in: the acknowledgement (5 working days) is due within two working days.
    r = d.received_for_soon(s.regulation, "ontvangstbevestiging")
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="email",
                facts_date=r - dt.timedelta(days=5),
                complainant_name="Tom Verbruggen",
                complainant_email="tom.verbruggen@example.nl",
                description=(
                    "Op mijn vragen over de voortgang van mijn traject krijg ik al weken geen "
                    "antwoord."
                ),
                category="communicatie",
                commissioning_party="Gemeente Tilburg",
            ),
            [s.assign(r, "handler", by="l3-coordinator")],
        )
    )

    # Taken into treatment this week: the 21 working days run for weeks still (later).
    r = d.back(6)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=8),
                complainant_name="Marloes Bakker",
                complainant_address="Ringbaan-West 240\n5037 KE Tilburg",
                description=(
                    "De vervangende cursus die mij werd aangeboden bleek niet te bestaan."
                ),
                category="dienstverlening",
                commissioning_party="Verzekeraar Achmea",
                subjects=[("Nadia Bouzid", None)],
            ),
            [
                s.assign(r, "coordinator", by="l3-coordinator"),
                s.step("acknowledged", d.after(r, 2)),
                s.step("accepted", d.after(r, 2)),
                s.step("subject_informed", d.after(r, 3)),
            ],
        )
    )

    # Founded, settled by telephone with corrective and preventive measures, reported, closed.
    r = d.back(70)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="oral",
                facts_date=r - dt.timedelta(days=2),
                complainant_name="Erik Dijkstra",
                complainant_phone="013-5551234",
                description=(
                    "De re-integratierapportage is zonder mijn reactie naar de werkgever gestuurd."
                ),
                category="rapportage",
                commissioning_party="UWV",
                uwv_client=True,
                subjects=[("Bram Willemse", None)],
            ),
            [
                s.assign(d.after(r, 1), "handler", by="l3-coordinator"),
                s.step("acknowledged", d.after(r, 3)),
                s.step("accepted", d.after(r, 3)),
                s.step("subject_informed", d.after(r, 4)),
                s.step("hearing_held", d.after(r, 5), heard=["Bram Willemse"]),
                s.step(
                    "decision_made",
                    d.after(r, 10),
                    outcome="founded",
                    motivation="De rapportage had eerst aan de klant voorgelegd moeten worden.",
                ),
                s.step("consultation_held", d.after(r, 11), outcome="agreement"),
                s.step(
                    "measures_recorded",
                    d.after(r, 11),
                    type="corrective",
                    description="Aangepaste rapportage met reactie klant opnieuw verstuurd.",
                ),
                s.step("decision_sent", d.after(r, 16)),
                s.step(
                    "measures_recorded",
                    d.after(r, 30),
                    type="preventive",
                    description="Werkinstructie: rapportages altijd eerst ter reactie aan klant.",
                ),
                s.step("report_sent", d.after(r, 31)),
                s.step("closed", d.after(r, 32), reason="Verslag verstuurd; maatregelen genomen."),
            ],
        )
    )
    return complaints


def _smartplus(s: Scenario) -> list[DemoComplaint]:
    d = s.dates
    complaints = []

    # Heard and reported, but the own 4-week target has passed; the binding 6 weeks still run.
    r = d.back(23)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="oral",
                facts_date=r - dt.timedelta(days=7),
                complainant_name="Naima Azzouzi",
                complainant_phone="06-11223344",
                complainant_language="nl",
                description=(
                    "Mondeling toegelicht en met hulp van een medewerker opgeschreven: de "
                    "begeleider dreigde het traject te stoppen als ik niet akkoord ging met "
                    "een proefplaatsing."
                ),
                category="bejegening",
                commissioning_party="UWV",
                uwv_client=True,
                subjects=[s.subject()],
            ),
            [
                s.assign(d.after(r, 1), "handler", by="sp-manager"),
                s.step("subject_informed", d.after(r, 1)),
                s.step("acknowledged", d.after(r, 3)),
                s.step("accepted", d.after(r, 3)),
                s.step("hearing_held", d.after(r, 12), heard=["Naima Azzouzi", s.name("employee")]),
                s.step("hearing_report_sent", d.after(r, 13)),
            ],
        )
    )

    # Just in: the acknowledgement (5 days) is due within two working days.
    r = d.received_for_soon(s.regulation, "ontvangstbevestiging")
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="email",
                facts_date=r - dt.timedelta(days=4),
                complainant_name="Lucas van der Linden",
                complainant_email="lucas.vdlinden@example.nl",
                complainant_language="en",
                description=(
                    "The coach only speaks Dutch in our sessions although English was agreed "
                    "at the intake."
                ),
                category="communicatie",
                commissioning_party="Werkgever Havenbedrijf Rotterdam",
            ),
            [s.assign(r, "handler", by="sp-manager")],
        )
    )

    # Not taken into treatment (conduct more than a year old); the notice is due later.
    r = d.back(10)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=420),
                complainant_name="Johan Prins",
                complainant_address="Kerkwervesingel 12\n3086 HN Rotterdam",
                description=(
                    "In mijn vorige traject, ruim een jaar geleden, werd mijn dossier te laat "
                    "overgedragen."
                ),
                category="dossier",
                commissioning_party="Gemeente Rotterdam",
            ),
            [
                s.assign(d.after(r, 1), "coordinator", by="sp-manager"),
                s.step("acknowledged", d.after(r, 2)),
                s.step(
                    "declared_inadmissible",
                    d.after(r, 6),
                    ground="ouder_dan_een_jaar",
                    reason="De gedraging ligt meer dan een jaar voor de klacht.",
                ),
            ],
        )
    )

    # Decided unfounded and the answer sent; not yet closed.
    r = d.back(40)
    complaints.append(
        DemoComplaint(
            complaint(
                r,
                channel="written",
                facts_date=r - dt.timedelta(days=21),
                complainant_name="Ingrid Koopman",
                complainant_email="ingrid.koopman@example.nl",
                description=(
                    "Ik vind dat mijn traject te vroeg is afgesloten; de eindrapportage klopt niet."
                ),
                category="rapportage",
                commissioning_party="UWV",
                uwv_client=True,
                subjects=[("Dennis Huisman", None)],
            ),
            [
                s.assign(d.after(r, 1), "handler", by="sp-manager"),
                s.step("subject_informed", d.after(r, 1)),
                s.step("acknowledged", d.after(r, 2)),
                s.step("accepted", d.after(r, 2)),
                s.step("hearing_held", d.after(r, 9), heard=["Ingrid Koopman", "Dennis Huisman"]),
                s.step("hearing_report_sent", d.after(r, 10)),
                s.step(
                    "decision_made",
                    d.after(r, 16),
                    outcome="unfounded",
                    motivation=(
                        "Het traject is afgesloten volgens het plan dat klager heeft getekend; "
                        "de rapportage geeft de gesprekken juist weer."
                    ),
                ),
                s.step("decision_sent", d.after(r, 17)),
            ],
        )
    )
    return complaints


SCENARIOS: dict[str, Callable[[Scenario], list[DemoComplaint]]] = {
    "iskander": _iskander,
    "integratiewerk": _integratiewerk,
    "infocus-samen": _infocus,
    "loket3": _loket3,
    "smartplus": _smartplus,
}


# --- building ----------------------------------------------------------------------------------


def _may_record(user: Any, complaint: Complaint, regulation: Regulation, event: Event) -> bool:
    allowed = [role.id for role in roles_for(regulation, event)]
    kinds = access.acting_kinds(user, complaint)
    return access.acting_role(regulation, kinds, allowed) is not None


def _actor(scenario: Scenario, complaint: Complaint, step: Step) -> Any:
    """Who records the step: the named user; else a participant (handler, committee member);
    else a demo user of the organisation with one kind of role; the coordinator last."""
    if step.by is not None:
        return scenario.users[step.by]
    participants = [
        p.user
        for p in ComplaintParticipant.objects.filter(complaint=complaint)
        .select_related("user")
        .order_by("capacity", "pk")
    ]
    coordinator = scenario.user("coordinator")
    prefix = f"{scenario.code}-"
    single = [
        user
        for username, user in sorted(scenario.users.items())
        if username.startswith(prefix) and user is not coordinator
    ]
    for user in [*participants, *single, coordinator]:
        if _may_record(user, complaint, scenario.regulation, step.event):
            return user
    raise DemoError(f"{complaint.reference}: no demo user may record {step.event}")


def _build(scenario: Scenario, demo: DemoComplaint) -> Complaint:
    registrar = scenario.user("coordinator")
    try:
        complaint = register_complaint(
            scenario.organisation, registrar, demo.data, registered_on=demo.data.received_on
        )
    except LogError as exc:
        raise DemoError(f"{scenario.organisation.slug}: registration: {exc.message}") from exc
    for step in demo.steps:
        actor = _actor(scenario, complaint, step)
        new = NewEvent(step.event, step.on, details=step.details, people=step.people)
        orders = default_orders(complaint, scenario.regulation, step.event, LETTER_TEXTS)
        try:
            record_with_letters(complaint, actor, complaint.sequence, new, orders)
        except LogError as exc:
            raise DemoError(
                f"{complaint.reference}: {step.event.value} on {step.on}: {exc.message}"
            ) from exc
    return complaint


def _ensure_letterhead(organisation: Organisation, slug: str) -> None:
    """Fill in what the organisation has not set itself; never overwrite it."""
    address, phone, website = LETTERHEADS[slug]
    defaults = {
        "postal_address": address,
        "phone": phone,
        "website": website,
        "email": f"klachten@{slug}.{MAIL_DOMAIN}",
    }
    missing = [name for name, _value in defaults.items() if not getattr(organisation, name)]
    for name in missing:
        setattr(organisation, name, defaults[name])
    if missing:
        organisation.save(update_fields=missing)


def regulation_for(organisation: Organisation, on: dt.date) -> Regulation:
    stored = selectors.stored_regulation(regulation_version_for(organisation, on))
    if stored.regulation is None:
        raise DemoError(f"{organisation.slug}: {'; '.join(stored.problems)}")
    return stored.regulation


def load_demo(today: dt.date | None = None) -> Report:
    """Create what is missing of the demo, in one transaction; needs the regulations loaded."""
    today = today or clock.today()
    with transaction.atomic():
        organisations = {
            org.slug: org
            for org in Organisation.objects.filter(slug__in=[slug for slug, _ in ORGANISATIONS])
        }
        missing = [slug for slug, _ in ORGANISATIONS if slug not in organisations]
        if missing:
            raise DemoError(f"regulations not loaded for: {', '.join(missing)}")
        regulations = {slug: regulation_for(org, today) for slug, org in organisations.items()}
        for slug, organisation in organisations.items():
            _ensure_letterhead(organisation, slug)
        users = demo_users(regulations)
        report = Report(users)
        stored = {demo.username: _ensure_user(demo, report) for demo in users}
        for slug, code in ORGANISATIONS:
            organisation = organisations[slug]
            own = [u for name, u in stored.items() if name.startswith(f"{code.lower()}-")]
            already = Complaint.objects.filter(
                organisation=organisation, registered_by__in=[*own, stored[MULTI_USERNAME]]
            ).exists()
            if already:
                report.complaints_created[slug] = []
                continue
            regulation = regulations[slug]
            dates = Dates(today, calendar_of(regulation))
            scenario = Scenario(organisation, regulation, dates, stored, code)
            built = [_build(scenario, demo) for demo in SCENARIOS[slug](scenario)]
            report.complaints_created[slug] = [c.reference for c in built]
    return report


def user_table(report: Report) -> list[str]:
    """The demo users as lines of a table: user name, password, name, organisations and roles."""
    codes = dict(ORGANISATIONS)
    rows = [("username", "password", "name", "organisation: roles")]
    for demo in report.users:
        memberships = "; ".join(
            f"{codes[slug]}: {', '.join(kind.value for kind in kinds)}"
            for slug, kinds in demo.memberships
        )
        rows.append((demo.username, demo.password, demo.full_name, memberships))
    widths = [max(len(row[i]) for row in rows) for i in range(3)]
    lines = []
    for index, row in enumerate(rows):
        cells = [row[i].ljust(widths[i]) for i in range(3)]
        lines.append("  ".join([*cells, row[3]]))
        if index == 0:
            lines.append("  ".join(["-" * w for w in widths] + ["-" * len(row[3])]))
    return lines
