"""Persistence: organisations and the regulation versions loaded for them.

A regulation version is immutable once loaded: a complaint will be pinned to the version it was
received under, and ``source_yaml`` keeps the exact text so the rules it was handled under can be
read again. Writes go through ``services``; reads through ``selectors``.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """An organisation with its own regulation; identified by the regulation's ``id``."""

    slug = models.SlugField(_("kenmerk"), max_length=64, unique=True)
    name = models.CharField(_("naam"), max_length=200)
    short_code = models.CharField(
        _("afkorting"),
        max_length=6,
        help_text=_("Voorvoegsel van klachtnummers, bijvoorbeeld ISK in ISK-2027-0007."),
    )

    class Meta:
        ordering = ("name",)
        verbose_name = _("organisatie")
        verbose_name_plural = _("organisaties")

    def __str__(self) -> str:
        return self.name


class RegulationVersion(models.Model):
    """One version of a regulation file, as loaded: never changed afterwards.

    A template (``is_template``) is a default regulation that belongs to no organisation, such as
    the Awb chapter 9 preset; every other version belongs to exactly one organisation.
    """

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        related_name="regulation_versions",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
    )
    is_template = models.BooleanField(
        _("modelreglement"),
        default=False,
        help_text=_("Een standaardreglement dat niet bij één organisatie hoort."),
    )
    regulation_id = models.SlugField(_("reglement-id"), max_length=64)
    name = models.CharField(_("naam"), max_length=500)
    version = models.CharField(_("versie"), max_length=100)
    effective_from = models.DateField(_("geldig vanaf"))
    calendar = models.CharField(
        _("kalender"),
        max_length=500,
        help_text=_("Een ingebouwde kalender of het pad van een kalenderbestand."),
    )
    source_path = models.CharField(
        _("bronbestand"),
        max_length=500,
        blank=True,
        help_text=_(
            "Het bestand waaruit deze versie is geladen; leeg voor een meegeleverd reglement."
        ),
    )
    source_yaml = models.TextField(
        _("brontekst (YAML)"), help_text=_("De tekst van het reglementbestand zoals geladen.")
    )
    content_sha256 = models.CharField(_("SHA-256 van de brontekst"), max_length=64)
    loaded_at = models.DateTimeField(_("geladen op"), auto_now_add=True)

    class Meta:
        ordering = ("regulation_id", "-effective_from", "version")
        verbose_name = _("reglementversie")
        verbose_name_plural = _("reglementversies")
        constraints = (
            models.UniqueConstraint(
                fields=["organisation", "version"], name="register_regulationversion_unique_per_org"
            ),
            models.UniqueConstraint(
                fields=["regulation_id", "version"], name="register_regulationversion_unique_per_id"
            ),
            models.CheckConstraint(
                condition=Q(is_template=True, organisation__isnull=True)
                | Q(is_template=False, organisation__isnull=False),
                name="register_regulationversion_template_has_no_org",
            ),
        )

    def __str__(self) -> str:
        return f"{self.name} ({self.version})"
