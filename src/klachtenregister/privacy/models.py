"""What the AVG duties record: each erasure of a complaint's personal data, and each look at a
complaint, its documents, letters and dossier, and each export (who, when, what)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachtenregister.register.models import Complaint, Organisation


class Erasure(models.Model):
    """A complaint whose personal data was erased: by whom (none: the retention job), when and
    why. The complaint's reference, dates, terms, outcome and category stay."""

    complaint = models.OneToOneField(
        Complaint, verbose_name=_("klacht"), related_name="erasure", on_delete=models.PROTECT
    )
    erased_at = models.DateTimeField(_("verwijderd op"), auto_now_add=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("verwijderd door"),
        null=True,
        blank=True,
        related_name="+",
        on_delete=models.PROTECT,
    )
    reason = models.CharField(_("reden"), max_length=300)

    class Meta:
        verbose_name = _("verwijdering van persoonsgegevens")
        verbose_name_plural = _("verwijderingen van persoonsgegevens")

    def __str__(self) -> str:
        return f"{self.complaint} ({self.erased_at:%Y-%m-%d})"


WHAT_CHOICES = [
    ("complaint", _("klacht bekeken")),
    ("document", _("document geopend")),
    ("dossier", _("dossier gedownload")),
    ("export", _("gegevens van een persoon geëxporteerd")),
]


class AccessRecord(models.Model):
    """One look at personal data: a complaint page, a document or letter, a dossier, an export."""

    organisation = models.ForeignKey(
        Organisation, related_name="+", on_delete=models.CASCADE, verbose_name=_("organisatie")
    )
    complaint = models.ForeignKey(
        Complaint,
        verbose_name=_("klacht"),
        null=True,
        blank=True,
        related_name="access_records",
        on_delete=models.CASCADE,
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        related_name="+",
        on_delete=models.SET_NULL,
    )
    user_name = models.CharField(_("naam"), max_length=200)
    what = models.CharField(_("wat"), max_length=16, choices=WHAT_CHOICES)
    detail = models.CharField(_("welk"), max_length=300, blank=True)
    at = models.DateTimeField(_("op"), auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-at", "-pk")
        verbose_name = _("inzage")
        verbose_name_plural = _("inzagen")
        indexes = (models.Index(fields=["complaint", "-at"]),)

    def __str__(self) -> str:
        return f"{self.user_name} {self.what} {self.at:%Y-%m-%d %H:%M}"
