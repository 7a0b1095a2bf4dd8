"""The transactional outbox: every e-mail the system sends.

A message row is written in the same transaction as what it reports (an event and its letter, a
digest), so an e-mail is never promised without being kept, nor kept without the event. The
worker (``klachtenregister.correspondence.outbox``) delivers it. ``key`` is the idempotency
key: the same message is never queued twice, and its ``message_id`` (derived from it) is the
Message-ID of every attempt.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from klachtenregister.correspondence.models.letters import Letter
from klachtenregister.register.models.complaints import Complaint, Document
from klachtenregister.register.models.regulations import Organisation

PENDING = "pending"
SENDING = "sending"
IN_DOUBT = "in_doubt"
DELIVERED = "delivered"
FAILED = "failed"
STATUS_CHOICES = [
    (PENDING, _("wacht op verzending")),
    (SENDING, _("wordt verzonden")),
    (IN_DOUBT, _("verzonden, niet bevestigd")),
    (DELIVERED, _("afgeleverd")),
    (FAILED, _("mislukt")),
]
LETTER = "letter"
DIGEST = "digest"
MISSED_DEADLINE = "missed_deadline"
# A link to set a new password, for one user (``accounts``): no organisation's correspondence,
# so it has none and shows on no outbox page.
PASSWORD_RESET = "password_reset"
KIND_CHOICES = [
    (LETTER, _("brief")),
    (DIGEST, _("dagoverzicht termijnen")),
    (MISSED_DEADLINE, _("termijn verstreken")),
    (PASSWORD_RESET, _("wachtwoord herstellen")),
]


class OutboxMessage(models.Model):
    # None for a message to a user about their account (PASSWORD_RESET), sent from MAIL_FROM.
    organisation = models.ForeignKey(
        Organisation, related_name="outbox", null=True, blank=True, on_delete=models.PROTECT
    )
    complaint = models.ForeignKey(
        Complaint, related_name="outbox", null=True, blank=True, on_delete=models.PROTECT
    )
    letter = models.ForeignKey(
        Letter, related_name="messages", null=True, blank=True, on_delete=models.PROTECT
    )
    kind = models.CharField(_("soort"), max_length=16, choices=KIND_CHOICES)
    key = models.CharField(_("sleutel"), max_length=200, unique=True)
    message_uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    to_name = models.CharField(_("aan"), max_length=200, blank=True)
    to_address = models.EmailField(_("e-mailadres"))
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    # An HTML version of the same text (the digest's clickable links); empty: plain text only.
    html_body = models.TextField(_("tekst (HTML)"), blank=True, default="")
    attachment = models.ForeignKey(
        Document, null=True, blank=True, related_name="+", on_delete=models.PROTECT
    )
    status = models.CharField(_("stand"), max_length=16, choices=STATUS_CHOICES, default=PENDING)
    attempts = models.PositiveIntegerField(_("pogingen"), default=0)
    next_attempt_at = models.DateTimeField(_("volgende poging"), db_index=True)
    last_error = models.TextField(_("laatste fout"), blank=True)
    claimed_by = models.CharField(max_length=64, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("aangemaakt op"), auto_now_add=True)
    delivered_at = models.DateTimeField(_("afgeleverd op"), null=True, blank=True)

    class Meta:
        ordering = ("-created_at", "-pk")
        verbose_name = _("uitgaand bericht")
        verbose_name_plural = _("uitgaande berichten")
        indexes = (models.Index(fields=["status", "next_attempt_at"]),)

    def __str__(self) -> str:
        return f"{self.subject} → {self.to_address}"
