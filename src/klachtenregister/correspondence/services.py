"""Sending letters with the event that records them, in one transaction.

The event is recorded first (it may be refused: then nothing is written); then, as of the
complaint after it, each letter is composed per addressee, its PDF kept as a document of the
event, a ``Letter`` row written, and an e-mail queued in the outbox for those who get it by
e-mail. An error anywhere undoes all of it, files included.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import get_language, override
from django.utils.translation import gettext as _

from klachtenregister.correspondence import outbox
from klachtenregister.correspondence.addressees import addressees
from klachtenregister.correspondence.compose import (
    Composed,
    compose,
    email_text,
    letter_pdf,
    letters_for,
)
from klachtenregister.correspondence.models import (
    EMAIL,
    REGISTERED_POST,
    Letter,
    Letterhead,
    LetterTemplate,
)
from klachtenregister.correspondence.models.outbox import LETTER
from klachtenregister.correspondence.wording import missing_values
from klachtenregister.letters.contents import content_label
from klachtenregister.letters.defaults import Wording
from klachtenregister.lifecycle import Snapshot
from klachtenregister.lifecycle.events import CommitteeDetails
from klachtenregister.register import clock, memo
from klachtenregister.register.errors import InvalidDetails, MissingContents
from klachtenregister.register.models import (
    Complaint,
    ComplaintEvent,
    ComplaintParticipant,
    Membership,
    Organisation,
    person_name,
)
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import (
    NewEvent,
    SavedFiles,
    attach,
    record_event,
    replay,
    trial_snapshot,
)
from klachtenregister.regulations.labels import own_label
from klachtenregister.regulations.schema import Letter as LetterRule
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Event, RoleKind


@dataclass(frozen=True)
class LetterOrder:
    """What the person chose for one letter: the texts as written, the texts as offered (to
    tell what they changed), and per addressee (by index) how it goes out."""

    letter_id: str
    written: Mapping[str, str] = field(default_factory=dict)
    offered: Mapping[str, str] = field(default_factory=dict)
    deliveries: Mapping[int, str] = field(default_factory=dict)
    tracking: Mapping[int, str] = field(default_factory=dict)
    posted_on: dt.date | None = None
    fallback: Mapping[str, str] = field(default_factory=dict)


def _ui_language() -> str:
    return (get_language() or "nl")[:2]


def _rule(snapshot: Snapshot, letter_id: str) -> LetterRule:
    for rule in snapshot.regulation.letters:
        if rule.id == letter_id:
            return rule
    raise InvalidDetails(_("Onbekende brief %(letter)s.") % {"letter": letter_id})


def committee_chair(snapshot: Snapshot) -> str | None:
    """The chair named when the committee now in office was appointed (the latest
    ``committee_appointed``), if one was."""
    for record in reversed(snapshot.history):
        if record.event is Event.COMMITTEE_APPOINTED:
            details = record.details
            return details.chair if isinstance(details, CommitteeDetails) else None
    return None


def signatory_of(
    complaint: Complaint, snapshot: Snapshot, rule: LetterRule, actor: User
) -> tuple[str, str]:
    """Who signs a letter, and as what: the committee's advice is signed by its chair by name
    and function where the appointment named one, else on behalf of the committee by its first
    appointed member; every other letter by the person sending it, with their function in the
    regulation."""
    language = complaint.complainant_language
    if rule.step is Event.COMMITTEE_ADVICE_GIVEN:
        chair = committee_chair(snapshot)
        if chair is not None:
            with override(language):
                return chair, _("voorzitter van de klachtencommissie")
        members = [
            p.user
            for p in complaint.participants.filter(capacity=ComplaintParticipant.COMMITTEE)
            .select_related("user")
            .order_by("pk")
        ]
        with override(language):
            function = _("namens de klachtencommissie")
        if members:
            return person_name(members[0]), function
        return _("De klachtencommissie"), ""
    kinds = set(
        Membership.objects.filter(organisation=complaint.organisation, user=actor).values_list(
            "kind", flat=True
        )
    )
    # The highest function the person holds, as the regulation names it.
    for kind in (RoleKind.DIRECTOR, RoleKind.COORDINATOR, RoleKind.MANAGER, RoleKind.HANDLER):
        if kind.value in kinds:
            role = next((r for r in snapshot.regulation.roles if r.kind is kind), None)
            if role is not None:
                return person_name(actor), own_label(role, language)
    return person_name(actor), ""


def _compose_all(
    complaint: Complaint,
    snapshot: Snapshot,
    orders: Sequence[LetterOrder],
    on: dt.date,
    actor: User,
) -> list[tuple[LetterOrder, Composed]]:
    result = []
    # Every required content left empty, over all letters and addressees, so that the form can
    # mark each field at once; nothing is rendered or written before this check passes.
    missing: dict[tuple[str, str], None] = {}
    messages: list[str] = []
    for order in orders:
        rule = _rule(snapshot, order.letter_id)
        dated_on = order.posted_on or on
        name, function = signatory_of(complaint, snapshot, rule, actor)
        for item in compose(
            complaint,
            snapshot,
            rule,
            dated_on=dated_on,
            signatory=name,
            signatory_function=function,
            written=order.written,
            offered=order.offered,
            fallback=order.fallback,
        ):
            lacking = missing_values(rule, item.values)
            if lacking:
                messages.append(
                    _("De brief '%(letter)s' aan %(name)s mist: %(missing)s.")
                    % {
                        "letter": rule.label,
                        "name": item.addressee.name,
                        "missing": ", ".join(content_label(c, _ui_language()) for c in lacking),
                    }
                )
                missing.update(dict.fromkeys((rule.id, c.value) for c in lacking))
            result.append((order, item))
    if missing:
        raise MissingContents(" ".join(messages), list(missing))
    return result


def preview(
    complaint: Complaint, actor: User, new: NewEvent, orders: Sequence[LetterOrder]
) -> bytes:
    """The PDF of the letters as they would be sent with ``new``, without recording anything.

    Raises the log's errors when the event would be refused (its letters would not be sent)."""
    lifecycle = lifecycle_of(complaint)
    trial = trial_snapshot(complaint, lifecycle, actor, new)
    items = [item for _order, item in _compose_all(complaint, trial, orders, new.on, actor)]
    if not items:
        raise InvalidDetails(_("Er is geen brief om te tonen."))
    return letter_pdf(complaint.organisation, complaint.reference, items, notices=True)


def _delivery(order: LetterOrder, item: Composed, rule: LetterRule) -> str:
    chosen = order.deliveries.get(item.addressee.index)
    if chosen:
        return chosen
    if rule.delivery and rule.delivery[0].value == REGISTERED_POST:
        return REGISTERED_POST
    return EMAIL if item.addressee.email else "post"


def _keep(
    complaint: Complaint,
    event_row: ComplaintEvent,
    actor: User,
    order: LetterOrder,
    item: Composed,
    pdf: bytes,
    delivered_on: dt.date | None,
) -> Letter:
    rule = item.letter
    delivery = _delivery(order, item, rule)
    if delivery == EMAIL and not item.addressee.email:
        raise InvalidDetails(
            _("%(name)s heeft geen e-mailadres; kies verzending per post.")
            % {"name": item.addressee.name}
        )
    name = f"{complaint.reference}-{rule.id}-{slugify(item.addressee.name) or 'brief'}.pdf"
    content = ContentFile(pdf, name=name)
    content.content_type = "application/pdf"  # type: ignore[attr-defined]
    document = attach(complaint, content, actor, event=event_row, description=item.subject)
    letter = Letter.objects.create(
        complaint=complaint,
        event=event_row,
        letter_id=rule.id,
        label=rule.label,
        language=item.language,
        party=item.addressee.party.value,
        is_copy=item.addressee.is_copy,
        addressee_name=item.addressee.name,
        addressee_email=item.addressee.email,
        addressee_address=item.addressee.address,
        delivery=delivery,
        subject=item.subject,
        dated_on=item.dated_on,
        texts=dict(item.values),
        document=document,
        posted_on=None if delivery == EMAIL else item.dated_on,
        tracking_number=order.tracking.get(item.addressee.index, ""),
        delivered_on=delivered_on,
        created_by=actor,
    )
    if delivery == EMAIL:
        outbox.queue_message(
            organisation=complaint.organisation,
            kind=LETTER,
            key=f"letter:{letter.pk}",
            to_address=item.addressee.email,
            to_name=item.addressee.name,
            subject=item.subject,
            body=email_text(item),
            complaint=complaint,
            letter=letter,
            attachment=document,
        )
    return letter


def record_with_letters(
    complaint: Complaint,
    actor: User,
    expected_sequence: int,
    new: NewEvent,
    orders: Sequence[LetterOrder],
) -> list[ComplaintEvent]:
    """Record ``new`` and send its letters; all or nothing.

    The complaint's log is replayed once, before anything is locked; the letters are composed
    and rendered as PDF from that replay with the event applied (as the preview does), also
    before the lock. Under the complaint's row lock only the sequence is checked (unchanged: the
    same log, so the same letters) and the event, the letters and their messages are stored.
    A PDF takes a large part of a second; rendered under the lock it held up every other action
    on the complaint, and the worker's."""
    replayed = replay(complaint, expected_sequence)
    # Registered post that arrived: the event is the delivery (Iskander rij 8).
    delivered_on = new.on if new.event is Event.REGISTERED_LETTER_DELIVERED else None
    rendered: list[tuple[LetterOrder, Composed, bytes]] = []
    after_recording = new.event is Event.FACTS_CORRECTED  # its facts change the complaint itself
    if orders and not after_recording:
        snapshot = trial_snapshot(replayed.complaint, replayed.lifecycle, actor, new)
        for order, item in _compose_all(replayed.complaint, snapshot, orders, new.on, actor):
            pdf = letter_pdf(complaint.organisation, complaint.reference, [item])
            rendered.append((order, item, pdf))
    with SavedFiles(), transaction.atomic():
        rows = record_event(complaint, actor, expected_sequence, new, replayed)
        event_row = next(row for row in reversed(rows) if row.event == new.event.value)
        if orders and after_recording:
            snapshot = lifecycle_of(complaint).status(new.on)
            for order, item in _compose_all(complaint, snapshot, orders, new.on, actor):
                pdf = letter_pdf(complaint.organisation, complaint.reference, [item])
                rendered.append((order, item, pdf))
        for order, item, pdf in rendered:
            _keep(complaint, event_row, actor, order, item, pdf, delivered_on)
    return rows


def default_orders(
    complaint: Complaint, regulation: Regulation, event: Event, fallback: Mapping[str, str]
) -> list[LetterOrder]:
    """Every letter ``event`` sends, with the register's texts, ``fallback`` for what it leaves
    empty, and the default way of sending (the demo)."""
    return [
        LetterOrder(letter.id, fallback=fallback)
        for letter in letters_for(regulation, complaint, event)
        if addressees(complaint, letter)
    ]


# --- the organisation's own wording and letterhead, and post deliveries entered by hand ------


def save_wording(
    organisation: Organisation,
    letter_id: str,
    language: str,
    wording: Wording,
    user: User,
    kind: str = "",
) -> LetterTemplate:
    """Keep the organisation's own wording of a letter in a language for a kind of addressee
    (``wording.template_kind``; checked by the caller with ``wording.wording_problems``); it
    replaces an earlier one."""
    with transaction.atomic():
        template, _created = LetterTemplate.objects.update_or_create(
            organisation=organisation,
            letter_id=letter_id,
            language=language,
            kind=kind,
            defaults={"subject": wording.subject, "body": wording.body, "updated_by": user},
        )
    memo.forget()
    return template


def restore_default_wording(
    organisation: Organisation, letter_id: str, language: str, kind: str = ""
) -> bool:
    """Drop the organisation's own wording, so the default is used again; False if it had none."""
    deleted, _kinds = LetterTemplate.objects.filter(
        organisation=organisation, letter_id=letter_id, language=language, kind=kind
    ).delete()
    memo.forget()
    return bool(deleted)


LETTERHEAD_FIELDS = ("postal_address", "phone", "email", "website")


def update_letterhead(organisation: Organisation, values: Mapping[str, str]) -> Letterhead:
    """The letterhead printed on every letter, and the sender of e-mail."""
    letterhead, _created = Letterhead.objects.update_or_create(
        organisation=organisation, defaults={name: values[name] for name in LETTERHEAD_FIELDS}
    )
    return letterhead


def record_post_delivery(
    letter: Letter,
    actor: User,
    delivered_on: dt.date,
    tracking_number: str,
    reason: str = "",
) -> bool:
    """A letter sent by post arrived: its delivery date, and the tracking number if given.

    The letter's columns are the current values; the complaint's log keeps every change with
    its old and new value, who entered it and why (a ``delivery_date_changed`` in the same
    transaction), so a delivery date is never overwritten without a trace. Changing a date
    already entered needs a reason (``InvalidDetails`` without one). False when nothing changes.
    Raises what ``record_event`` raises (a user without a role that may write in the log)."""
    with transaction.atomic():
        locked = Letter.objects.select_for_update().select_related("complaint").get(pk=letter.pk)
        old_date, old_tracking = locked.delivered_on, locked.tracking_number
        new_tracking = tracking_number or old_tracking
        if (old_date, old_tracking) == (delivered_on, new_tracking):
            return False
        reason = reason.strip()
        if old_date is not None and old_date != delivered_on and not reason:
            raise InvalidDetails(
                _("Geef de reden waarom de afleverdatum %(old)s verandert.")
                % {"old": old_date.strftime("%d-%m-%Y")}
            )
        details: dict[str, object] = {
            "letter": locked.label,
            "addressee": locked.addressee_name,
            "delivered_on": {
                "old": old_date.isoformat() if old_date else None,
                "new": delivered_on.isoformat(),
            },
        }
        if new_tracking != old_tracking:
            details["tracking_number"] = {"old": old_tracking, "new": new_tracking}
        if reason:
            details["reason"] = reason
        complaint = locked.complaint
        record_event(
            complaint,
            actor,
            complaint.sequence,
            NewEvent(Event.DELIVERY_DATE_CHANGED, clock.today(), details),
        )
        locked.delivered_on = delivered_on
        locked.tracking_number = new_tracking
        locked.save(update_fields=["delivered_on", "tracking_number"])
    letter.refresh_from_db()
    return True


def fill_letterhead(organisation: Organisation, values: Mapping[str, str]) -> list[str]:
    """Fill in the letterhead fields the organisation has left empty with ``values`` (a field
    of ``LETTERHEAD_FIELDS`` each); what it has set itself is never overwritten. The fields
    filled in."""
    with transaction.atomic():
        letterhead, _created = Letterhead.objects.get_or_create(organisation=organisation)
        missing = [
            name for name in LETTERHEAD_FIELDS if name in values and not getattr(letterhead, name)
        ]
        for name in missing:
            setattr(letterhead, name, values[name])
        if missing:
            letterhead.save(update_fields=missing)
    return missing
