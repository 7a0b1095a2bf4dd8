"""An organisation's letterhead: printed on every letter, and the sender of its e-mail."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from klachtenregister.register.models import Organisation


class Letterhead(models.Model):
    """What an organisation prints at the top of its letters; blank until it fills it in."""

    organisation = models.OneToOneField(
        Organisation, primary_key=True, related_name="letterhead", on_delete=models.CASCADE
    )
    postal_address = models.TextField(_("postadres"), blank=True)
    phone = models.CharField(_("telefoon"), max_length=50, blank=True)
    email = models.EmailField(
        _("e-mailadres"),
        blank=True,
        help_text=_("Afzender van brieven en berichten per e-mail."),
    )
    website = models.CharField(_("website"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("briefhoofd")
        verbose_name_plural = _("briefhoofden")

    def __str__(self) -> str:
        return str(self.organisation)
