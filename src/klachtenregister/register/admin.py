"""Admin: organisations and memberships are editable; regulation versions, complaints and their
log are read-only (versions are immutable; complaints change only through events)."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from klachtenregister.register.models import (
    Complaint,
    ComplaintEvent,
    Membership,
    Organisation,
    Person,
    RegulationVersion,
)


class RegulationVersionInline(admin.TabularInline):
    model = RegulationVersion
    fields = ("name", "version", "effective_from", "calendar", "loaded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class ViewOnlyAdmin(admin.ModelAdmin):
    """Rows that are shown, never added, changed or deleted by hand."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        # Viewing is allowed through has_view_permission; nothing can be saved.
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ("name", "short_code", "slug")
    search_fields = ("name", "short_code", "slug")
    inlines = (RegulationVersionInline,)


@admin.register(RegulationVersion)
class RegulationVersionAdmin(ViewOnlyAdmin):
    """Loaded with ``load_regulations``; never added, changed or deleted by hand."""

    list_display = ("name", "owner", "version", "effective_from", "calendar", "loaded_at")
    list_filter = ("is_template", "organisation")
    search_fields = ("name", "regulation_id", "version")
    fields = (
        "organisation",
        "is_template",
        "regulation_id",
        "name",
        "version",
        "effective_from",
        "calendar",
        "source_path",
        "content_sha256",
        "loaded_at",
        "source_yaml",
    )
    readonly_fields = fields

    @admin.display(description=_("organisatie"), ordering="organisation__name")
    def owner(self, obj: RegulationVersion) -> str:
        return obj.organisation.name if obj.organisation else str(_("modelreglement"))


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    """Who works for which organisation in which kind of role: the one thing set by hand."""

    list_display = ("user", "organisation", "kind")
    list_filter = ("organisation", "kind")
    search_fields = ("user__username", "user__first_name", "user__last_name")
    autocomplete_fields = ("user",)


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    """The organisation's people a complaint can be about: every member is one by their
    membership (named as their user); a third party without an account is added here."""

    list_display = ("name", "organisation", "kind", "user")
    list_filter = ("organisation", "kind")
    search_fields = ("name", "user__username")
    autocomplete_fields = ("user",)


class ComplaintEventInline(admin.TabularInline):
    model = ComplaintEvent
    fields = ("sequence", "on", "event", "role", "actor_name", "payload", "recorded_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(Complaint)
class ComplaintAdmin(ViewOnlyAdmin):
    """Read-only: complaints change only through events in the back office."""

    list_display = ("reference", "organisation", "received_on", "state", "next_due")
    list_filter = ("organisation", "state")
    search_fields = ("reference", "complainant_name", "description")
    inlines = (ComplaintEventInline,)

    def get_readonly_fields(self, request: HttpRequest, obj: object = None) -> list[str]:
        return [field.name for field in Complaint._meta.fields]
