"""The deadline watch: the periodic jobs of the background worker.

Each job is a function of ``today`` (the scheduler passes the local date), safe to run more than
once and from several workers at once:

- ``carry_out_closures``: what a regulation carries out by itself (Iskander's closure by
  silence) is stored as events of the system actor, under each complaint's row lock
  (``register.services.carry_out_due``). It runs first, so the stored deadline rows the two jobs
  below read are those after the closure.
- ``send_digests``: every working morning, one e-mail per coordinator and per handler with the
  running deadlines that are overdue or due within two working days.
- ``notify_missed_deadlines``: the directors hear once of every deadline that passed unmet.

The messages go through the outbox (``outbox.queue_message``), keyed so that a rerun adds
nothing. What the jobs read (open complaints, recipients, digest lines, missed deadlines) is in
``selectors``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from collections.abc import Callable
from html import escape
from urllib.parse import quote

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.urls import reverse
from django.utils import formats, translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from klachtenregister.correspondence.models import OutboxMessage
from klachtenregister.correspondence.models.outbox import DIGEST, MISSED_DEADLINE
from klachtenregister.correspondence.outbox import queue_message
from klachtenregister.register.models import (
    Complaint,
    ComplaintDeadline,
    ComplaintEvent,
    Organisation,
    person_name,
)
from klachtenregister.register.selectors import watchlist
from klachtenregister.register.services import carry_out_due
from klachtenregister.watch import selectors
from klachtenregister.watch.models import MissedDeadlineMark

# The e-mails are Dutch (the interface language); the strings are in the catalogue all the same.
MAIL_LANGUAGE = "nl"


def carry_out_closures(today: dt.date) -> list[ComplaintEvent]:
    """Store every due automatic event of every open complaint; the new log rows. Only the
    complaints with a term that acts by itself and has run out are replayed, in batches."""
    stored: list[ComplaintEvent] = []
    for batch in selectors.complaint_ids_in_batches(selectors.expired_acting_terms(today)):
        for pk in batch:
            # carry_out_due locks and reads the row itself: the id is all it needs.
            stored.extend(carry_out_due(Complaint(pk=pk), today))
    return stored


# A reference never found in a path: reverse() fills it in, complaint_path replaces it.
_REFERENCE = "0reference0"
# What reverse() leaves unquoted in an argument (django.urls.resolvers: RFC 3986's sub-delims).
_SAFE = "!$&'()*+,;=/~:@"


@functools.lru_cache(maxsize=256)
def _path_of_organisation(slug: str) -> str:
    with translation.override(MAIL_LANGUAGE):
        return reverse("complaint", args=[slug, _REFERENCE])


def complaint_path(complaint: Complaint) -> str:
    """The complaint's page: reversed once per organisation, not per complaint (reverse() through
    the language-prefixed patterns cost a digest of 5,600 lines 9 s)."""
    path = _path_of_organisation(complaint.organisation.slug)
    return path.replace(_REFERENCE, quote(complaint.reference, safe=_SAFE))


def complaint_url(complaint: Complaint) -> str:
    """The complaint's page as a link a mail client can open (``settings.SITE_URL``)."""
    return settings.SITE_URL + complaint_path(complaint)


def _day(on: dt.date) -> str:
    return formats.date_format(on, "l j F Y")


# --- the morning digest ------------------------------------------------------------------------


class _Digest:
    """One recipient's digest while the organisation's rows stream past: the rendered items,
    each rendered once for all recipients who see it."""

    def __init__(self, user: User) -> None:
        self.user = user
        self.lines: list[tuple[str, str]] = []  # (text, html) per deadline
        self.todos: list[tuple[str, str]] = []

    def text(self, organisation: Organisation, today: dt.date) -> tuple[str, str, str]:
        """The digest's subject, plain text and HTML (the same text, with clickable links): the
        deadlines due soon or overdue, then the open to-dos of the user's roles."""
        lines, todos = self.lines, self.todos
        subject = ngettext(
            "Termijnbewaking %(organisation)s, %(date)s: %(count)d termijn",
            "Termijnbewaking %(organisation)s, %(date)s: %(count)d termijnen",
            len(lines),
        ) % {
            "organisation": organisation.name,
            "date": _day(today),
            "count": len(lines),
        }
        if todos:
            subject += ngettext(", %(count)d taak", ", %(count)d taken", len(todos)) % {
                "count": len(todos)
            }
        greeting = _("Beste %(name)s,") % {"name": person_name(self.user)}
        intro = _(
            "Deze termijnen van klachten van %(organisation)s zijn verlopen of lopen binnen "
            "2 werkdagen af:"
        ) % {"organisation": organisation.name}
        footer = _("Dit overzicht komt elke werkdag van het Klachtenregister.")
        todo_intro = _("Deze taken (te doen) staan open:")
        # Each item's text is its lines, each ending in a newline, and an empty line.
        body = [f"{greeting}\n\n"]
        if lines:
            body.append(f"{intro}\n\n")
            body += [text for text, _html in lines]
        if todos:
            body.append(f"{todo_intro}\n\n")
            body += [text for text, _html in todos]
        body.append(f"{footer}\n")
        deadline_html = (
            format_html("<p>{}</p><ul>{}</ul>", intro, mark_safe("".join(h for _t, h in lines)))
            if lines
            else ""
        )
        todo_html = (
            format_html(
                "<p>{}</p><ul>{}</ul>", todo_intro, mark_safe("".join(h for _t, h in todos))
            )
            if todos
            else ""
        )
        html = format_html(
            '<!doctype html><html lang="{}"><body><p>{}</p>{}{}<p>{}</p></body></html>',
            MAIL_LANGUAGE,
            greeting,
            deadline_html,  # each item escaped by _item
            todo_html,
            footer,
        )
        return subject, "".join(body), str(html) + "\n"


# What HTML escapes; most of a digest's texts have none of it (references, links, dates).
_SPECIAL = re.compile("[&<>\"']")


def _escape(text: str) -> str:
    """``django.utils.html.escape`` (``html.escape``), without its cost for a text with nothing
    to escape: a digest of a large register has tens of thousands of items."""
    return escape(text) if _SPECIAL.search(text) else text


def _item(url: str, reference: str, label: str, when: str) -> tuple[str, str]:
    """A digest item as text and as HTML (what ``format_html`` makes of it, without its cost
    per call)."""
    text = f"{reference} - {label}\n  {when}\n  {url}\n\n"
    html = (
        f'<li><a href="{_escape(url)}">{_escape(reference)}</a> – {_escape(label)}'
        f"<br>{_escape(when)}</li>"
    )
    return text, html


def send_digests(today: dt.date, now: dt.datetime | None = None) -> list[OutboxMessage]:
    """Queue today's digest for every coordinator and handler with something to report, on a
    working day of the organisation's calendar; once per user, organisation and day.

    Per organisation a fixed number of queries (``selectors``: the recipients, who sees what,
    the deadline and to-do rows streamed once); each row is rendered once and added to the
    digest of everyone who sees it."""
    queued = []
    with translation.override(MAIL_LANGUAGE):
        days = _Days()
        labels = {light: str(label) for light, label in watchlist.LIGHT_LABELS.items()}
        whens: dict[tuple[dt.date, watchlist.Light], str] = {}
        for organisation in selectors.working_day_organisations(today):
            audience = selectors.digest_audience(organisation)
            if not audience.recipients:
                continue
            digests = {user_id: _Digest(user) for user_id, user in audience.recipients.items()}
            url = _url_of_organisation(organisation)
            for line in selectors.digest_lines(organisation, today):
                readers = audience.sees(line.complaint_id)
                if not readers:
                    continue
                if (line.due, line.light) not in whens:
                    whens[line.due, line.light] = _("uiterlijk %(date)s (%(light)s)") % {
                        "date": days(line.due),
                        "light": labels[line.light],
                    }
                when = whens[line.due, line.light]
                item = _item(url(line.reference), line.reference, line.label, when)
                for user_id in readers:
                    digests[user_id].lines.append(item)
            for todo in selectors.digest_todos(organisation):
                readers = [
                    user_id
                    for user_id in audience.sees(todo.complaint_id)
                    if selectors.todo_is_for(todo, user_id, audience)
                ]
                if not readers:
                    continue
                since = _("sinds %(date)s") % {"date": days(todo.created_on)}
                item = _item(url(todo.reference), todo.reference, todo.label, since)
                for user_id in readers:
                    digests[user_id].todos.append(item)
            for user_id, digest in sorted(digests.items()):
                if not digest.lines and not digest.todos:
                    continue
                subject, body, html = digest.text(organisation, today)
                with transaction.atomic():
                    queued.append(
                        queue_message(
                            organisation=organisation,
                            kind=DIGEST,
                            key=f"digest:{organisation.slug}:{user_id}:{today.isoformat()}",
                            to_address=digest.user.email,
                            to_name=person_name(digest.user),
                            subject=subject,
                            body=body,
                            html_body=html,
                            now=now,
                        )
                    )
    return queued


class _Days:
    """``_day`` once per date (the digest's dates are few, its lines many)."""

    def __init__(self) -> None:
        self.seen: dict[dt.date, str] = {}

    def __call__(self, on: dt.date) -> str:
        if on not in self.seen:
            self.seen[on] = _day(on)
        return self.seen[on]


def _url_of_organisation(organisation: Organisation) -> Callable[[str], str]:
    """The link to a complaint of the organisation by its reference (``complaint_url``)."""
    before, _ref, after = _path_of_organisation(organisation.slug).partition(_REFERENCE)
    base = settings.SITE_URL + before
    return lambda reference: base + quote(reference, safe=_SAFE) + after


# --- missed deadlines --------------------------------------------------------------------------


def notify_missed_deadlines(today: dt.date, now: dt.datetime | None = None) -> list[OutboxMessage]:
    """One notice per missed deadline to each director of the organisation, once per deadline
    (keyed by complaint, deadline and its start) and director.

    Per organisation only what the last complete run did not look at (``MissedDeadlineMark``):
    the terms that ran out since its day and the deadline rows written since, in batches; all
    of them on the first run or when the directors changed. Per batch one query for the notices
    already queued (a concurrent run's), and the batch's notices in one transaction."""
    queued: list[OutboxMessage] = []
    below_id = selectors.last_deadline_id()  # before anything is read: see MissedDeadlineMark
    with translation.override(MAIL_LANGUAGE):
        for organisation in Organisation.objects.order_by("pk"):
            told = [m.user for m in selectors.directors(organisation) if m.user.email]
            fingerprint = sorted({user.pk for user in told})
            mark = MissedDeadlineMark.objects.filter(organisation=organisation).first()
            since = None
            if mark is not None and mark.directors == fingerprint:
                since = selectors.Since(mark.day, mark.below_id)
            if told:
                for batch in selectors.missed_deadline_batches(
                    today, organisation, fingerprint, since
                ):
                    queued += _notify_batch(batch, told, now)
            _advance(organisation, today, below_id, fingerprint)
    return queued


def _notify_batch(
    batch: selectors.MissedBatch, directors: list[User], now: dt.datetime | None
) -> list[OutboxMessage]:
    wanted = []
    for missed in batch.deadlines:
        persons = batch.persons.get(missed.complaint_id, ())
        for director in directors:
            # A director the complaint is about does not see its handling (access rules).
            if director.pk in persons:
                continue
            key = (
                f"missed:{missed.complaint_id}:{missed.deadline_id}:"
                f"{missed.start.isoformat()}:{director.pk}"
            )
            wanted.append((missed.pk, director, key))
    done = set(
        OutboxMessage.objects.filter(
            kind=MISSED_DEADLINE, key__in=[key for _d, _u, key in wanted]
        ).values_list("key", flat=True)
    )
    wanted = [(pk, director, key) for pk, director, key in wanted if key not in done]
    if not wanted:
        return []
    rows = selectors.missed_rows({pk for pk, _u, _k in wanted})
    queued = []
    # One commit for the batch (queue_message is idempotent on the key: a concurrent run's
    # notice is returned, not added again); the deliveries are enqueued after it.
    with transaction.atomic():
        for pk, director, key in wanted:
            if pk not in rows:
                continue
            deadline = rows[pk]
            complaint = deadline.complaint
            subject, body = _missed_text(complaint, deadline)
            queued.append(
                queue_message(
                    organisation=complaint.organisation,
                    kind=MISSED_DEADLINE,
                    key=key,
                    to_address=director.email,
                    to_name=person_name(director),
                    subject=subject,
                    body=body,
                    complaint=complaint,
                    now=now,
                )
            )
    return queued


def _advance(
    organisation: Organisation, today: dt.date, below_id: int, directors: list[int]
) -> None:
    """Store what this run looked at, unless a concurrent run stored more: a mark only moves
    forward (a later day and a higher id), and any complete run's mark is true on its own."""
    with transaction.atomic():
        mark, created = MissedDeadlineMark.objects.select_for_update().get_or_create(
            organisation=organisation,
            defaults={"day": today, "below_id": below_id, "directors": directors},
        )
        if created:
            return
        if mark.directors != directors or (today >= mark.day and below_id >= mark.below_id):
            mark.day, mark.below_id, mark.directors = today, below_id, directors
            mark.save(update_fields=["day", "below_id", "directors"])


def _missed_text(complaint: Complaint, deadline: ComplaintDeadline) -> tuple[str, str]:
    values = {
        "reference": complaint.reference,
        "label": deadline.label,
        "organisation": complaint.organisation.name,
        "due": _day(deadline.due),
        "start": _day(deadline.start),
    }
    subject = _("Termijn verstreken: %(reference)s, %(label)s") % values
    body = "\n".join(
        [
            _(
                "Bij klacht %(reference)s van %(organisation)s is een termijn verstreken zonder "
                "dat die is gehaald."
            )
            % values,
            "",
            _("Termijn: %(label)s") % values,
            _("Begonnen op: %(start)s") % values,
            _("Uiterlijk: %(due)s") % values,
            "",
            _("Klacht: %(path)s") % {"path": complaint_url(complaint)},
        ]
    )
    return subject, body + "\n"
