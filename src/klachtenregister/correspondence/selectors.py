"""Reads of correspondence: the outbox as a user may see it, an organisation's own wordings."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.db.models import F, QuerySet

from klachtenregister.correspondence.models import Letter, Letterhead, LetterTemplate, OutboxMessage
from klachtenregister.correspondence.models.outbox import IN_DOUBT, PASSWORD_RESET
from klachtenregister.register.models import Complaint, Organisation


def outbox_messages(
    user: User, organisation: Organisation, status: str = ""
) -> QuerySet[OutboxMessage]:
    """The organisation's messages, newest first, with ``status`` only those; never the letters
    about a complaint that concerns the user (access rules), never a password-reset link (it
    has no organisation; excluded by kind as well, since whoever read it could take the
    account)."""
    found = (
        OutboxMessage.objects.filter(organisation=organisation)
        .exclude(kind=PASSWORD_RESET)
        .exclude(complaint__people__user=user)
        .select_related("complaint", "attachment", "attachment__complaint")
    )
    return found.filter(status=status) if status else found


def outbox_message(user: User, organisation: Organisation, pk: int) -> OutboxMessage | None:
    """One message of the organisation the user may see, or None."""
    return outbox_messages(user, organisation).filter(pk=pk).first()


def in_doubt_count(user: User, organisation: Organisation) -> int:
    return outbox_messages(user, organisation, IN_DOUBT).count()


def own_wordings(organisation: Organisation) -> set[tuple[str, str, str]]:
    """The (letter id, language, kind) the organisation has its own wording for (``kind`` as
    ``LetterTemplate.kind`` stores it)."""
    return set(
        LetterTemplate.objects.filter(organisation=organisation).values_list(
            "letter_id", "language", "kind"
        )
    )


def own_wording(
    organisation: Organisation, letter_id: str, language: str, kind: str = ""
) -> LetterTemplate | None:
    return (
        LetterTemplate.objects.filter(
            organisation=organisation, letter_id=letter_id, language=language, kind=kind
        )
        .select_related("updated_by")
        .first()
    )


def letters_of(complaint: Complaint) -> list[Letter]:
    """The letters sent about a complaint, with their PDF, event and e-mail messages: one query
    however many letters (a LEFT JOIN on the messages, one row per letter and message), where a
    prefetch of the messages would be a second."""
    letters: dict[int, Letter] = {}
    messages: dict[int, list[OutboxMessage]] = {}
    rows = (
        Letter.objects.filter(complaint=complaint)
        .select_related("document", "event")
        .annotate(
            message_pk=F("messages__pk"),
            message_status=F("messages__status"),
            message_delivered_at=F("messages__delivered_at"),
        )
        .order_by("created_at", "pk", "-messages__created_at", "-messages__pk")
    )
    for row in rows:
        letter = letters.setdefault(row.pk, row)
        found = messages.setdefault(letter.pk, [])
        if row.message_pk is not None:  # type: ignore[attr-defined]
            found.append(
                OutboxMessage(
                    pk=row.message_pk,  # type: ignore[attr-defined]
                    letter=letter,
                    status=row.message_status,  # type: ignore[attr-defined]
                    delivered_at=row.message_delivered_at,  # type: ignore[attr-defined]
                )
            )
    for letter in letters.values():
        # As Django's prefetch keeps them: ``letter.messages.all()`` asks nothing more.
        cached = OutboxMessage.objects.filter(letter=letter)
        cached._result_cache = messages[letter.pk]
        cached._prefetch_done = True  # type: ignore[attr-defined]
        letter._prefetched_objects_cache = {"messages": cached}  # type: ignore[attr-defined]
    return list(letters.values())


def letter_of(complaint: Complaint, pk: int) -> Letter | None:
    return Letter.objects.filter(complaint=complaint, pk=pk).first()


def letterhead_of(organisation: Organisation) -> Letterhead:
    """The organisation's letterhead; an empty (unsaved) one until it has filled it in."""
    found = Letterhead.objects.filter(organisation=organisation).first()
    return found if found is not None else Letterhead(organisation=organisation)
