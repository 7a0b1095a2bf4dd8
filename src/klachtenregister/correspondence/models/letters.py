"""Letters: the organisation's templates, and every letter produced for a complaint.

A letter is produced for one addressee when the event that sending it records is written
(``letters.sending``): its PDF is kept as a ``Document`` of that event, and a letter by e-mail
gets an ``OutboxMessage`` in the same transaction. A letter by post is posted by hand; its
posting and delivery are entered afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachtenregister.register.models.complaints import (
    LANGUAGE_CHOICES,
    Complaint,
    ComplaintEvent,
    Document,
)
from klachtenregister.register.models.regulations import Organisation

EMAIL = "email"
POST = "post"
REGISTERED_POST = "registered_post"
DELIVERY_CHOICES = [
    (EMAIL, _("e-mail")),
    (POST, _("post")),
    (REGISTERED_POST, _("aangetekende post")),
]


class LetterTemplate(models.Model):
    """An organisation's own wording of one letter of its regulation, in one language, for one
    kind of addressee (``kind``, a ``letters.defaults.Kind`` value; empty for the kind of the
    letter's first recipient, the wording written before there were others).

    Without one, the default wording (``klachtenregister.letters.defaults``) is used. A template
    is only saved when it still produces every content the regulation requires of the letter.
    """

    organisation = models.ForeignKey(
        Organisation, related_name="letter_templates", on_delete=models.CASCADE
    )
    letter_id = models.CharField(_("brief"), max_length=64)
    language = models.CharField(_("taal"), max_length=2, choices=LANGUAGE_CHOICES)
    kind = models.CharField(_("voor"), max_length=16, blank=True, default="")
    subject = models.CharField(_("onderwerp"), max_length=300)
    body = models.TextField(_("tekst"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, related_name="+", on_delete=models.SET_NULL
    )
    updated_at = models.DateTimeField(_("gewijzigd op"), auto_now=True)

    class Meta:
        ordering = ("organisation", "letter_id", "language", "kind")
        verbose_name = _("briefsjabloon")
        verbose_name_plural = _("briefsjablonen")
        constraints = (
            models.UniqueConstraint(
                fields=["organisation", "letter_id", "language", "kind"],
                name="correspondence_lettertemplate_unique",
            ),
        )

    def __str__(self) -> str:
        return f"{self.letter_id} ({self.language})"


class Letter(models.Model):
    """One letter as produced for one addressee: its PDF, how it goes out, whether it arrived."""

    complaint = models.ForeignKey(Complaint, related_name="letters", on_delete=models.PROTECT)
    event = models.ForeignKey(
        ComplaintEvent,
        verbose_name=_("bij gebeurtenis"),
        related_name="letters",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        help_text=_(
            "De gebeurtenis die het versturen vastlegt; leeg zolang die pas met de "
            "aflevering wordt vastgelegd (aangetekende post)."
        ),
    )
    letter_id = models.CharField(_("brief"), max_length=64)
    label = models.CharField(_("omschrijving"), max_length=300)
    language = models.CharField(_("taal"), max_length=2, choices=LANGUAGE_CHOICES)
    party = models.CharField(_("partij"), max_length=32)
    is_copy = models.BooleanField(_("afschrift"), default=False)
    addressee_name = models.CharField(_("geadresseerde"), max_length=200)
    addressee_email = models.EmailField(_("e-mailadres"), blank=True)
    addressee_address = models.TextField(_("adres"), blank=True)
    delivery = models.CharField(_("verzending"), max_length=16, choices=DELIVERY_CHOICES)
    subject = models.CharField(_("onderwerp"), max_length=300)
    dated_on = models.DateField(_("datum brief"))
    texts = models.JSONField(_("ingevulde teksten"), default=dict, blank=True)
    document = models.ForeignKey(
        Document, verbose_name=_("PDF"), related_name="+", on_delete=models.PROTECT
    )
    posted_on = models.DateField(_("verzonden op"), null=True, blank=True)
    tracking_number = models.CharField(_("trackingnummer"), max_length=100, blank=True)
    delivered_on = models.DateField(_("afgeleverd op"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("gemaakt op"), auto_now_add=True)

    class Meta:
        ordering = ("created_at", "pk")
        verbose_name = _("brief")
        verbose_name_plural = _("brieven")

    def __str__(self) -> str:
        return f"{self.label} – {self.addressee_name}"
