"""Personal data kept apart from the append-only log (AVG, issue 16 §5 and issue 12 §2).

An event's row in the log keeps what happened, by whom, when and why; the personal data in its
details (the old and new name, address and contact data of a correction, a note's text, a
decision's motivation) is kept here, one row per event, so that an erasure can remove it without
changing the log. ``register.personal`` splits a payload into the two and joins them again when
the log is read.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from klachtenregister.register.models.complaints import Complaint, ComplaintEvent


class PersonalData(models.Model):
    """The personal details of one logged event; after an erasure, placeholders instead."""

    event = models.OneToOneField(
        ComplaintEvent, related_name="personal_data", on_delete=models.PROTECT
    )
    complaint = models.ForeignKey(Complaint, related_name="personal_data", on_delete=models.PROTECT)
    values = models.JSONField(_("persoonsgegevens"), default=dict)
    erased_at = models.DateTimeField(_("verwijderd op"), null=True, blank=True)

    class Meta:
        verbose_name = _("persoonsgegevens bij een gebeurtenis")
        verbose_name_plural = _("persoonsgegevens bij gebeurtenissen")

    def __str__(self) -> str:
        return f"{self.event}"
