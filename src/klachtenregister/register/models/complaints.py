"""Complaints, their append-only event log, and what is derived from it.

The log (``ComplaintEvent``) is the complaint's history and the chronological overview the
regulations ask for: rows are only ever added; the database refuses to change or delete them
(migration 0003). ``ComplaintDeadline``, ``ComplaintParticipant`` and the projection fields of
``Complaint`` (state, sequence, next due date, outcome, search text) are derived from the log by
the engine and rewritten in the same transaction as every event (``services.record_event``).
"""

from __future__ import annotations

import re
import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachtenregister.lifecycle.deadlines import DEADLINE_STATUS_LABELS
from klachtenregister.lifecycle.states import STATE_LABELS, State
from klachtenregister.register.models.regulations import Organisation, RegulationVersion
from klachtenregister.regulations.vocabulary import Channel

CHANNEL_CHOICES = [
    (Channel.WRITTEN.value, _("schriftelijk (brief)")),
    (Channel.EMAIL.value, _("e-mail")),
    (Channel.ORAL.value, _("mondeling (telefoon of gesprek)")),
    (Channel.PORTAL.value, _("webformulier")),
]
# Complaints no longer watched: done, or registered by mistake (voided; also out of every
# figure). The open ones are named positively so PostgreSQL can match a query to the partial
# index on them (an exclusion cannot be matched to its WHERE).
CLOSED_STATES = (State.CLOSED.value, State.WITHDRAWN.value, State.VOIDED.value)
OPEN_STATES = tuple(state.value for state in State if state.value not in CLOSED_STATES)
STATE_CHOICES = [(state.value, _(label)) for state, label in STATE_LABELS.items()]
STATUS_CHOICES = [(status.value, _(label)) for status, label in DEADLINE_STATUS_LABELS.items()]
LANGUAGE_CHOICES = [("nl", _("Nederlands")), ("en", _("Engels"))]
# How the complainant's letters address them ("Geachte heer De Vries,"); neutral keeps the name
# as written ("Geachte Pieter de Vries,").
FORM_OF_ADDRESS_NEUTRAL = "neutral"
FORM_OF_ADDRESS_CHOICES = [
    (FORM_OF_ADDRESS_NEUTRAL, _("neutraal")),
    ("mr", _("heer")),
    ("ms", _("mevrouw")),
]


class ReferenceCounter(models.Model):
    """The last reference number given per organisation per year (ISK-2027-0007)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE)
    year = models.PositiveIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["organisation", "year"], name="register_referencecounter_unique"
            ),
        )


class Complaint(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        related_name="complaints",
        on_delete=models.PROTECT,
    )
    regulation_version = models.ForeignKey(
        RegulationVersion,
        verbose_name=_("reglement"),
        related_name="complaints",
        on_delete=models.PROTECT,
        help_text=_("De versie van het reglement waaronder de klacht is ontvangen."),
    )
    reference = models.CharField(_("klachtnummer"), max_length=32, unique=True)
    year = models.PositiveIntegerField(_("jaar"))
    number = models.PositiveIntegerField(_("volgnummer"))
    received_on = models.DateField(_("ontvangen op"))
    channel = models.CharField(_("ontvangen via"), max_length=16, choices=CHANNEL_CHOICES)
    anonymous = models.BooleanField(_("anoniem"), default=False)

    complainant_name = models.CharField(_("naam klager"), max_length=200, blank=True)
    complainant_email = models.EmailField(_("e-mailadres klager"), blank=True)
    complainant_phone = models.CharField(_("telefoon klager"), max_length=50, blank=True)
    complainant_address = models.TextField(_("adres klager"), blank=True)
    complainant_language = models.CharField(
        _("taal voor brieven"), max_length=2, choices=LANGUAGE_CHOICES, default="nl"
    )
    form_of_address = models.CharField(
        _("aanspreekvorm"),
        max_length=8,
        choices=FORM_OF_ADDRESS_CHOICES,
        default=FORM_OF_ADDRESS_NEUTRAL,
    )
    representative_name = models.CharField(_("naam vertegenwoordiger"), max_length=200, blank=True)
    representative_capacity = models.CharField(
        _("hoedanigheid vertegenwoordiger"),
        max_length=100,
        blank=True,
        help_text=_("Bijvoorbeeld raadsman, vertrouwenspersoon of familielid."),
    )

    facts_date = models.DateField(_("datum van de gebeurtenis"), null=True, blank=True)
    description = models.TextField(_("omschrijving"))
    category = models.CharField(_("categorie"), max_length=100, blank=True)
    commissioning_party = models.CharField(
        _("opdrachtgever"),
        max_length=200,
        blank=True,
        help_text=_("UWV, gemeente of werkgever in wiens opdracht de dienst werd verleend."),
    )
    uwv_client = models.BooleanField(_("UWV-cliënt"), default=False)
    # The manager of the employee(s) concerned ("de betreffende leidinggevende", Integratiewerk
    # Klachtenprocedure 3 en 7): letters to the party `manager` go to this person only, not to
    # every manager of the organisation. ``manager`` links the name to a member, where one is.
    manager_name = models.CharField(_("leidinggevende"), max_length=200, blank=True)
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("leidinggevende (gebruiker)"),
        null=True,
        blank=True,
        related_name="complaints_as_manager",
        on_delete=models.PROTECT,
    )

    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("geregistreerd door"),
        related_name="+",
        on_delete=models.PROTECT,
    )
    created_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    # Derived from the log (projection.project); the sequence is the optimistic lock.
    state = models.CharField(_("stand"), max_length=16, choices=STATE_CHOICES)
    sequence = models.PositiveIntegerField(_("aantal gebeurtenissen"), default=0)
    next_due = models.DateField(_("eerstvolgende termijn"), null=True, blank=True)
    # Also derived, for the list of all complaints (selectors.complaint_list): the outcome of the
    # decision in force, the day the complaint was closed or withdrawn, whether the log holds an
    # escalation or a reopening, and every text of the complaint normalised (register.search).
    outcome = models.CharField(_("uitkomst"), max_length=32, blank=True, default="")
    closed_on = models.DateField(_("afgesloten op"), null=True, blank=True)
    escalated = models.BooleanField(_("geëscaleerd"), default=False)
    reopened = models.BooleanField(_("heropend"), default=False)
    search_text = models.TextField(_("zoektekst"), blank=True, default="", editable=False)
    # Also derived: how the complaint counts in the figures (lifecycle.classes), so a report or
    # the dashboard aggregates these columns and never reads the log (docs/reports.md).
    treatment = models.CharField(_("behandeling"), max_length=16, blank=True, default="")
    result = models.CharField(_("resultaat"), max_length=32, blank=True, default="")
    silence_closed = models.BooleanField(_("gesloten na stilzwijgen"), default=False)
    term_class = models.CharField(_("termijnklasse"), max_length=16, blank=True, default="")
    term_running_due = models.DateField(_("lopende termijn tot"), null=True, blank=True)
    term_extended = models.BooleanField(_("termijn verlengd"), default=False)
    throughput_working_days = models.IntegerField(
        _("doorlooptijd in werkdagen"), null=True, blank=True
    )
    # When the complaint's personal data was erased (privacy.services.erase_complaint); set once,
    # never cleared (migration 0016): an erased complaint cannot be reopened.
    erased_on = models.DateField(_("persoonsgegevens verwijderd op"), null=True, blank=True)

    class Meta:
        ordering = ("-year", "-number")
        verbose_name = _("klacht")
        verbose_name_plural = _("klachten")
        constraints = (
            models.UniqueConstraint(
                fields=["organisation", "year", "number"], name="register_complaint_number_unique"
            ),
        )
        indexes = (
            models.Index(fields=["organisation", "state", "next_due"]),
            # The watch list's first page, in its order, straight from the index
            # (selectors.watchlist.open_complaints).
            models.Index(
                fields=["organisation", "next_due", "received_on", "reference"],
                condition=models.Q(state__in=OPEN_STATES),
                name="register_complaint_open_due",
            ),
            # The Klachten page's filter choices walk these (selectors.complaint_list.choices).
            models.Index(fields=["organisation", "category"], name="register_complaint_category"),
            models.Index(
                fields=["organisation", "commissioning_party"], name="register_complaint_party"
            ),
            # The figures of a period (reports.figures) from the index alone: every column a
            # treatment family counts is in it, so a year is an index-only range scan.
            models.Index(
                fields=["organisation", "received_on"],
                include=[
                    "id",
                    "state",
                    "treatment",
                    "result",
                    "term_class",
                    "term_running_due",
                    "term_extended",
                    "silence_closed",
                    "reopened",
                    "escalated",
                    "category",
                    "closed_on",
                    "throughput_working_days",
                ],
                name="register_complaint_figures",
            ),
        )

    def __str__(self) -> str:
        return self.reference


class ComplaintPerson(models.Model):
    """Someone the complaint is about (subject) or who was involved in the conduct; or a member
    of the organisation whose name resembles one of theirs (lookalike: "Marieke de Boer" for a
    subject registered as "M. de Boer"), kept out of the complaint like them until a coordinator
    confirms it is someone else (``register.names``, ``services.confirm_different_person``). A
    lookalike row carries the member's name and user; it is no party to the complaint."""

    SUBJECT = "subject"
    INVOLVED = "involved"
    LOOKALIKE = "lookalike"
    RELATION_CHOICES = (
        (SUBJECT, _("beklaagde")),
        (INVOLVED, _("betrokkene")),
        (LOOKALIKE, _("mogelijk dezelfde persoon")),
    )

    complaint = models.ForeignKey(Complaint, related_name="people", on_delete=models.CASCADE)
    relation = models.CharField(_("betrokkenheid"), max_length=16, choices=RELATION_CHOICES)
    name = models.CharField(_("naam"), max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        blank=True,
        related_name="complaints_as_person",
        on_delete=models.PROTECT,
    )
    # Who it is: one of the organisation's people, chosen at registration or linked by their
    # exact name; empty for someone outside the organisation typed as free text. ``user`` is
    # the person's user, so the access rules read one column.
    person = models.ForeignKey(
        "register.Person",
        verbose_name=_("persoon"),
        null=True,
        blank=True,
        related_name="complaints",
        on_delete=models.PROTECT,
    )

    class Meta:
        ordering = ("relation", "name")
        constraints = (
            models.UniqueConstraint(
                fields=["complaint", "relation", "name"], name="register_complaintperson_unique"
            ),
        )

    def __str__(self) -> str:
        return self.name


class ComplaintEvent(models.Model):
    """One entry of the append-only log: an engine event with its actor, date and details."""

    complaint = models.ForeignKey(Complaint, related_name="events", on_delete=models.PROTECT)
    sequence = models.PositiveIntegerField(_("volgnummer"))
    event = models.CharField(_("gebeurtenis"), max_length=64)
    on = models.DateField(_("datum"))
    role = models.CharField(_("rol"), max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("vastgelegd door"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    actor_name = models.CharField(_("naam vastlegger"), max_length=200)
    payload = models.JSONField(_("gegevens"), default=dict)
    people = models.JSONField(
        _("gebruikers"),
        default=dict,
        help_text=_("De gebruikers achter namen in de gegevens, zoals de klachtbehandelaar."),
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ("complaint", "sequence")
        verbose_name = _("gebeurtenis")
        verbose_name_plural = _("gebeurtenissen")
        constraints = (
            models.UniqueConstraint(
                fields=["complaint", "sequence"], name="register_complaintevent_sequence_unique"
            ),
        )
        # The reports look up the events of one kind (e.g. the measures recorded) among an
        # organisation's complaints; without it that is a scan of the whole log.
        indexes = (models.Index(fields=["event", "complaint"], name="register_event_kind"),)

    def __str__(self) -> str:
        return f"{self.complaint_id}#{self.sequence} {self.event} {self.on}"


class ComplaintDeadline(models.Model):
    """A deadline of a complaint as the engine derived it after the latest event."""

    complaint = models.ForeignKey(Complaint, related_name="deadlines", on_delete=models.CASCADE)
    position = models.PositiveIntegerField()
    deadline_id = models.CharField(_("termijn"), max_length=64)
    kind = models.CharField(_("soort"), max_length=32)
    label = models.CharField(_("omschrijving"), max_length=300)
    label_en = models.CharField(max_length=300, blank=True)
    start = models.DateField(_("begint"))
    due = models.DateField(_("uiterlijk"))
    met_on = models.DateField(_("gehaald op"), null=True, blank=True)
    status = models.CharField(_("stand"), max_length=16, choices=STATUS_CHOICES)
    running = models.BooleanField(
        _("loopt nog"), help_text=_("Nog niet gehaald en niet vervallen.")
    )
    extensions = models.PositiveIntegerField(_("verlengingen"), default=0)
    # Working days from start to met (None while not met): the throughput per kind of term.
    working_days = models.IntegerField(_("werkdagen tot gehaald"), null=True, blank=True)

    class Meta:
        ordering = ("complaint", "position")
        indexes = (
            models.Index(fields=["running", "due"]),
            # The throughput per kind of term (reports.figures.throughput_times): the met terms
            # of a year's complaints read from this index alone, complaint by complaint.
            models.Index(
                fields=["complaint"],
                include=["kind", "start", "met_on", "working_days"],
                condition=models.Q(met_on__isnull=False),
                name="register_deadline_met",
            ),
            # The worker's jobs (watch.selectors: the digest's lines, the missed deadlines):
            # an open complaint's running terms read from this index alone, complaint by
            # complaint, not from the table (a tenth of its rows run at any time).
            models.Index(
                fields=["complaint"],
                include=["id", "due", "position", "kind", "deadline_id", "start", "label"],
                condition=models.Q(running=True),
                name="register_deadline_running",
            ),
        )


class ComplaintTodo(models.Model):
    """A duty without a term on a complaint (a regulation's notification, a missed term's
    ``if_missed``) as the engine derived it after the latest event: open until the event that
    carries it out, or ``todo_done``. ``roles`` are the regulation's role ids that carry it out,
    so a watch list can show each person the to-dos of their roles."""

    OPEN = "open"
    DONE = "done"
    LAPSED = "lapsed"
    STATUS_CHOICES = ((OPEN, _("te doen")), (DONE, _("gedaan")), (LAPSED, _("vervallen")))

    complaint = models.ForeignKey(Complaint, related_name="todos", on_delete=models.CASCADE)
    # The complaint's, kept here so the dashboard finds an organisation's old open to-dos from
    # one index (reports.dashboard), whatever the other organisations hold.
    organisation = models.ForeignKey(Organisation, related_name="+", on_delete=models.CASCADE)
    position = models.PositiveIntegerField()
    todo_id = models.CharField(_("taak"), max_length=64)
    kind = models.CharField(_("soort"), max_length=32)
    label = models.CharField(_("omschrijving"), max_length=300)
    label_en = models.CharField(max_length=300, blank=True)
    source = models.CharField(_("bron"), max_length=300)
    created_on = models.DateField(_("ontstaan op"))
    done_on = models.DateField(_("gedaan op"), null=True, blank=True)
    status = models.CharField(_("stand"), max_length=16, choices=STATUS_CHOICES)
    roles = models.JSONField(_("rollen"), default=list)

    class Meta:
        ordering = ("complaint", "position")
        indexes = (
            models.Index(fields=["complaint", "status"]),
            models.Index(
                fields=["organisation", "created_on"],
                condition=models.Q(status="open"),
                name="register_todo_open_since",
            ),
        )


class ComplaintParticipant(models.Model):
    """A user who takes part in handling the complaint, as the log says now."""

    HANDLER = "handler"
    COMMITTEE = "committee"
    CAPACITY_CHOICES = ((HANDLER, _("klachtbehandelaar")), (COMMITTEE, _("commissielid")))

    complaint = models.ForeignKey(Complaint, related_name="participants", on_delete=models.CASCADE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="participations", on_delete=models.PROTECT
    )
    capacity = models.CharField(max_length=16, choices=CAPACITY_CHOICES)

    class Meta:
        constraints = (
            models.UniqueConstraint(
                fields=["complaint", "user", "capacity"], name="register_participant_unique"
            ),
        )


def document_path(document: Document, filename: str) -> str:
    """A generated name: the uploader's file name is kept in ``name`` only, so it never becomes a
    path (no traversal, no overwriting, no executable name on disk)."""
    complaint = document.complaint
    suffix = PurePath(filename).suffix.lower()
    suffix = suffix if re.fullmatch(r"\.[a-z0-9]{1,8}", suffix) else ""
    return (
        f"complaints/{complaint.organisation.slug}/{complaint.reference}/{uuid.uuid4().hex}{suffix}"
    )


class Document(models.Model):
    """A file kept with a complaint: the complaint letter, a hearing report, an attachment."""

    complaint = models.ForeignKey(Complaint, related_name="documents", on_delete=models.PROTECT)
    event = models.ForeignKey(
        ComplaintEvent,
        verbose_name=_("bij gebeurtenis"),
        null=True,
        blank=True,
        related_name="documents",
        on_delete=models.PROTECT,
    )
    file = models.FileField(_("bestand"), upload_to=document_path)
    name = models.CharField(_("bestandsnaam"), max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("grootte"))
    description = models.CharField(_("omschrijving"), max_length=300, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    uploaded_at = models.DateTimeField(_("toegevoegd op"), auto_now_add=True)

    class Meta:
        ordering = ("uploaded_at", "pk")
        verbose_name = _("document")
        verbose_name_plural = _("documenten")

    def __str__(self) -> str:
        return self.name


class RegistrationSubmission(models.Model):
    """One filled-in registration form: its token (a hidden field the form got when it was
    shown) and the complaint it made. A second submit of the same form (a double click, a
    resent request) finds this row and makes no second complaint (issue 16 §3)."""

    token = models.UUIDField(unique=True)
    organisation = models.ForeignKey(Organisation, related_name="+", on_delete=models.PROTECT)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    complaint = models.OneToOneField(
        Complaint, related_name="submission", null=True, on_delete=models.CASCADE
    )
    submitted_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.token)
