"""What the reports need besides the register's log: regulation reviews and measures' results.

A review (Iskander's yearly check of the regulation, discussed in a team meeting) and the
follow-up of a measure (carried out on, its effect, the complainant's satisfaction: Loket3's
yearly analysis) are judgements made after the fact; they are kept here, beside the log, and
never change it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachtenregister.register.models import ComplaintEvent, Organisation, RegulationVersion


class RegulationReview(models.Model):
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        related_name="regulation_reviews",
        on_delete=models.PROTECT,
    )
    regulation_version = models.ForeignKey(
        RegulationVersion,
        verbose_name=_("getoetste versie"),
        related_name="reviews",
        on_delete=models.PROTECT,
    )
    reviewed_on = models.DateField(_("getoetst op"))
    reviewed_by = models.CharField(_("door"), max_length=200)
    meeting = models.CharField(
        _("teamoverleg"),
        max_length=200,
        blank=True,
        help_text=_("Het overleg waarin het functioneren van het reglement is besproken."),
    )
    conclusion = models.TextField(_("conclusie"))
    new_version = models.BooleanField(_("nieuwe versie volgt"), default=False)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now_add=True)

    class Meta:
        ordering = ("-reviewed_on", "-pk")
        verbose_name = _("toetsing van het reglement")
        verbose_name_plural = _("toetsingen van het reglement")
        indexes = (models.Index(fields=["organisation", "reviewed_on"]),)

    def __str__(self) -> str:
        return f"{self.organisation} {self.reviewed_on}"


class MeasureResult(models.Model):
    """The follow-up of one ``measures_recorded`` event of a complaint's log."""

    IMPROVED, NO_CHANGE, UNKNOWN = "improved", "no_change", "unknown"
    EFFECT_CHOICES = (
        (IMPROVED, _("verbeterd")),
        (NO_CHANGE, _("geen verandering")),
        (UNKNOWN, _("nog niet bekend")),
    )
    SATISFIED, NOT_SATISFIED, NOT_ASKED = "satisfied", "not_satisfied", "not_asked"
    SATISFACTION_CHOICES = (
        (SATISFIED, _("tevreden")),
        (NOT_SATISFIED, _("niet tevreden")),
        (NOT_ASKED, _("niet gevraagd")),
    )

    event = models.OneToOneField(
        ComplaintEvent,
        verbose_name=_("maatregel"),
        related_name="measure_result",
        on_delete=models.PROTECT,
    )
    carried_out_on = models.DateField(_("uitgevoerd op"), null=True, blank=True)
    effect = models.CharField(_("effect"), max_length=16, choices=EFFECT_CHOICES, default=UNKNOWN)
    satisfaction = models.CharField(
        _("tevredenheid klager"),
        max_length=16,
        choices=SATISFACTION_CHOICES,
        default=NOT_ASKED,
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, related_name="+", on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("vastgelegd op"), auto_now=True)

    class Meta:
        verbose_name = _("resultaat van een maatregel")
        verbose_name_plural = _("resultaten van maatregelen")

    def __str__(self) -> str:
        return f"{self.event_id} {self.effect}"
