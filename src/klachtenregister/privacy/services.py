"""The AVG duties' writes: erasing a complaint's personal data (on request or when its retention
term has passed), pruning what was kept only to deliver mail and to guard logins, and recording
who looked at what. Each erasure is one transaction; the log rows are never changed."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from klachtenregister.correspondence.models import Letter, OutboxMessage
from klachtenregister.correspondence.models.outbox import DELIVERED, FAILED
from klachtenregister.privacy.models import AccessRecord, Erasure
from klachtenregister.privacy.selectors import Involvement, expired_complaints
from klachtenregister.register import clock
from klachtenregister.register.errors import RegisterError
from klachtenregister.register.models import (
    CLOSED_STATES,
    Complaint,
    ComplaintPerson,
    Organisation,
    PersonalData,
    person_name,
)
from klachtenregister.register.models.complaints import FORM_OF_ADDRESS_NEUTRAL
from klachtenregister.register.personal import ERASED, Pseudonyms, erased, names_in
from klachtenregister.register.projection import refresh_search_text

RETENTION_REASON = "bewaartermijn verstreken"


class NotErasable(RegisterError):
    """The complaint's personal data cannot be erased now (it is still being handled)."""


def _erase_texts(complaint: Complaint, today: dt.date) -> None:
    for name in (
        "complainant_name",
        "representative_name",
        "representative_capacity",
    ):
        if getattr(complaint, name):
            setattr(complaint, name, ERASED)
    complaint.complainant_email = ""
    complaint.complainant_phone = ""
    complaint.complainant_address = ""
    complaint.form_of_address = FORM_OF_ADDRESS_NEUTRAL
    complaint.description = ERASED
    complaint.erased_on = today
    complaint.save(
        update_fields=[
            "erased_on",
            "complainant_name",
            "representative_name",
            "representative_capacity",
            "complainant_email",
            "complainant_phone",
            "complainant_address",
            "form_of_address",
            "description",
        ]
    )


def _erase_people(complaint: Complaint, pseudonym: Pseudonyms) -> None:
    """The subjects' and involved people's names become placeholders, the same for the same name
    in the corrections, so the replay of the log still reads. A link to a user stays: it keeps
    the person out of the complaint about them (docs/privacy.md)."""
    for person in complaint.people.order_by("relation", "pk"):
        person.name = pseudonym(person.name)
        person.save(update_fields=["name"])


def _erase_documents(complaint: Complaint) -> int:
    count = 0
    for document in complaint.documents.all():
        if document.file:
            document.file.storage.delete(document.file.name)
        suffix = document.name.rsplit(".", 1)[-1] if "." in document.name else ""
        document.name = f"{ERASED}.{suffix}" if suffix else ERASED
        document.description = ""
        document.file.name = ""
        document.save(update_fields=["name", "description", "file"])
        count += 1
    return count


def _erase_correspondence(complaint: Complaint) -> None:
    for letter in Letter.objects.filter(complaint=complaint):
        letter.addressee_name = ERASED
        letter.addressee_email = ""
        letter.addressee_address = ""
        letter.texts = {}
        letter.save(
            update_fields=["addressee_name", "addressee_email", "addressee_address", "texts"]
        )
    OutboxMessage.objects.filter(complaint=complaint).update(
        to_name=ERASED, to_address="", body="", html_body="", last_error=""
    )


def erase_complaint(
    complaint: Complaint, actor: User | None, reason: str, now: dt.datetime | None = None
) -> Erasure:
    """Erase the personal data of a complaint that is no longer handled (closed, withdrawn or
    voided): names, addresses and contact data, the description, the people's names, the
    personal details of its log (register.personal), its documents' files and names, its
    letters' addressees and texts, its mail's bodies. References, dates, terms, outcomes and
    categories stay, so the figures stay true; the log rows are not touched. The erasure itself
    is recorded (``Erasure``). Erasing again returns the first erasure."""
    # The register's day (its clock), unless the retention job says when it runs.
    today = clock.today() if now is None else timezone.localdate(now)
    now = now or timezone.now()
    with transaction.atomic():
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        done = Erasure.objects.filter(complaint=locked).first()
        if done is not None:
            return done
        if locked.state not in CLOSED_STATES:
            raise NotErasable(
                _(
                    "Klacht %(reference)s wordt nog behandeld; de persoonsgegevens kunnen pas "
                    "worden verwijderd als de klacht is afgesloten, ingetrokken of vervallen."
                )
                % {"reference": locked.reference}
            )
        waiting = OutboxMessage.objects.filter(complaint=locked).exclude(
            status__in=[DELIVERED, FAILED]
        )
        if waiting.exists():
            raise NotErasable(
                _(
                    "Van klacht %(reference)s wacht nog post op verzending; verwijder de "
                    "persoonsgegevens als die is afgeleverd of mislukt."
                )
                % {"reference": locked.reference}
            )
        pseudonym = Pseudonyms()
        kept = list(PersonalData.objects.filter(complaint=locked).order_by("pk"))
        for name in [
            *locked.people.filter(relation=ComplaintPerson.SUBJECT)
            .order_by("pk")
            .values_list("name", flat=True),
            *names_in(record.values for record in kept),
        ]:
            pseudonym(name)
        _erase_texts(locked, today)
        _erase_people(locked, pseudonym)
        for record in kept:
            if record.erased_at is None:
                record.values = erased(record.values, pseudonym)
                record.erased_at = now
                record.save(update_fields=["values", "erased_at"])
        _erase_correspondence(locked)
        _erase_documents(locked)
        refresh_search_text(locked)
        erasure = Erasure.objects.create(complaint=locked, erased_by=actor, reason=reason)
    complaint.refresh_from_db()
    return erasure


@dataclass(frozen=True)
class Pruned:
    """What one run of the retention job removed."""

    complaints: int = 0
    outbox_bodies: int = 0
    tasks: int = 0
    sessions: int = 0
    login_records: int = 0
    access_records: int = 0


def erase_expired(today: dt.date, now: dt.datetime | None = None) -> list[Complaint]:
    """Erase every complaint whose retention term (``privacy.selectors.retention_days``) has
    passed since it was closed; a complaint that cannot be erased yet waits for a later run."""
    erased_now = []
    for complaint in expired_complaints(today):
        try:
            erase_complaint(complaint, None, RETENTION_REASON, now)
        except NotErasable:
            continue
        erased_now.append(complaint)
    return erased_now


def prune(now: dt.datetime) -> Pruned:
    """Remove what was kept only for delivery and for guarding logins, past its term: the bodies
    of mail delivered or failed ``OUTBOX_KEEP_DAYS`` ago, finished background tasks, expired
    sessions, login records older than ``LOGIN_RECORDS_KEEP_DAYS``, and access records older
    than ``ACCESS_RECORDS_KEEP_DAYS``."""
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog
    from django_tasks_db.models import DBTaskResult

    outbox_cutoff = now - dt.timedelta(days=settings.OUTBOX_KEEP_DAYS)
    bodies = (
        OutboxMessage.objects.filter(status__in=[DELIVERED, FAILED])
        .filter(
            Q(delivered_at__lt=outbox_cutoff)
            | Q(delivered_at__isnull=True, created_at__lt=outbox_cutoff)
        )
        .exclude(body="", html_body="")
        .update(body="", html_body="")
    )
    tasks, _kinds = DBTaskResult.objects.filter(
        finished_at__lt=outbox_cutoff, finished_at__isnull=False
    ).delete()
    sessions, _kinds = Session.objects.filter(expire_date__lt=now).delete()
    login_cutoff = now - dt.timedelta(days=settings.LOGIN_RECORDS_KEEP_DAYS)
    logins = 0
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        count, _kinds = model.objects.filter(attempt_time__lt=login_cutoff).delete()
        logins += count
    access_cutoff = now - dt.timedelta(days=settings.ACCESS_RECORDS_KEEP_DAYS)
    looks, _kinds = AccessRecord.objects.filter(at__lt=access_cutoff).delete()
    return Pruned(
        outbox_bodies=bodies,
        tasks=tasks,
        sessions=sessions,
        login_records=logins,
        access_records=looks,
    )


def run_retention(now: dt.datetime) -> Pruned:
    """The daily AVG job: erase complaints past their retention term, then prune."""
    erased_now = erase_expired(timezone.localdate(now), now)
    pruned = prune(now)
    return replace(pruned, complaints=len(erased_now))


def record_access(
    user: User | AnonymousUser,
    organisation: Organisation,
    what: str,
    complaint: Complaint | None = None,
    detail: str = "",
) -> AccessRecord:
    """Record that ``user`` looked at personal data: a complaint page, a document, a dossier,
    an export (``models.WHAT_CHOICES``)."""
    assert isinstance(user, User), "only a logged-in user looks at a complaint"
    return AccessRecord.objects.create(
        organisation=organisation,
        complaint=complaint,
        user=user,
        user_name=person_name(user),
        what=what,
        detail=detail[:300],
    )


def record_export(
    user: User | AnonymousUser,
    organisation: Organisation,
    person: str,
    covered: list[Involvement],
) -> None:
    """Record an export of one person's data: once for the organisation, once per complaint it
    covered (so each complaint's access log shows it)."""
    with transaction.atomic():
        record_access(user, organisation, "export", detail=person)
        for item in covered:
            record_access(user, organisation, "export", item.complaint, detail=person)
