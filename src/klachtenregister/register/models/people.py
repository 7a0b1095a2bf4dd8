"""Who works for which organisation, in which role.

A membership gives a user one kind of role (``RoleKind``) in one organisation; a user may hold
several kinds and belong to several organisations. The kind is matched to the roles of the
regulation a complaint was received under (``access.acting_role``), so a membership outlives a
new regulation version that renames its roles.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from klachtenregister.register.models.regulations import Organisation
from klachtenregister.regulations.vocabulary import RoleKind

if TYPE_CHECKING:
    from django.contrib.auth.models import User

ROLE_KIND_CHOICES = [
    (RoleKind.COORDINATOR.value, _("coördinator (klachtenfunctionaris)")),
    (RoleKind.HANDLER.value, _("klachtbehandelaar")),
    (RoleKind.DIRECTOR.value, _("directeur")),
    (RoleKind.MANAGER.value, _("leidinggevende")),
    (RoleKind.COMMITTEE.value, _("lid klachtencommissie")),
    (RoleKind.EXTERNAL_PARTY.value, _("externe partij")),
    (RoleKind.EMPLOYEE.value, _("medewerker")),
]


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        related_name="memberships",
        on_delete=models.CASCADE,
    )
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        related_name="memberships",
        on_delete=models.CASCADE,
    )
    kind = models.CharField(_("rol"), max_length=32, choices=ROLE_KIND_CHOICES)

    class Meta:
        ordering = ("organisation__name", "user__username", "kind")
        verbose_name = _("lidmaatschap")
        verbose_name_plural = _("lidmaatschappen")
        constraints = (
            models.UniqueConstraint(
                fields=["user", "organisation", "kind"], name="register_membership_unique"
            ),
        )

    def __str__(self) -> str:
        return f"{self.user} - {self.organisation} ({self.get_kind_display()})"


class Person(models.Model):
    """Someone of the organisation a complaint can be about: an employee (linked to their user,
    one person per user per organisation, made with their first membership) or a third party
    the organisation works with who has no account (a volunteer, a hired coach). A complaint's
    subjects and involved people are chosen from these (``ComplaintPerson.person``), so the
    impartiality and access rules compare who someone is, not how their name was spelled
    (issue 16 §2). People outside the organisation are typed as free text on the complaint."""

    EMPLOYEE = "employee"
    THIRD_PARTY = "third_party"
    KIND_CHOICES = ((EMPLOYEE, _("medewerker")), (THIRD_PARTY, _("derde")))

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisatie"),
        related_name="people",
        on_delete=models.CASCADE,
    )
    name = models.CharField(
        _("naam"),
        max_length=200,
        help_text=_("Voor een medewerker met een account: de naam van de gebruiker."),
    )
    kind = models.CharField(_("soort"), max_length=16, choices=KIND_CHOICES, default=EMPLOYEE)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("gebruiker"),
        null=True,
        blank=True,
        related_name="people",
        # A removed account leaves the person (an employee who left) named on the complaints.
        on_delete=models.SET_NULL,
    )

    class Meta:
        ordering = ("organisation__name", "name", "pk")
        verbose_name = _("persoon")
        verbose_name_plural = _("personen")
        constraints = (
            models.UniqueConstraint(
                fields=["organisation", "user"],
                condition=models.Q(user__isnull=False),
                name="register_person_one_per_user",
            ),
        )

    def __str__(self) -> str:
        return self.name


def person_name(user: User) -> str:
    """How a user is named in a complaint's events (handler, committee member, heard person)."""
    full = user.get_full_name().strip()
    return full or user.get_username()
