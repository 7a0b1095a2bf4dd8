"""Who sees an organisation's reports, and who sees names in them."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser, User
from django.utils.translation import gettext as _

from klachtenregister.register import access
from klachtenregister.register.errors import Forbidden
from klachtenregister.register.models import Organisation
from klachtenregister.regulations.vocabulary import RoleKind

# Names of complainants appear in the complaint list only for these (never in anonymised duties).
PERSONAL_DATA = frozenset({RoleKind.COORDINATOR, RoleKind.DIRECTOR})


def organisation_for_reports(user: User | AnonymousUser, slug: str) -> Organisation:
    """The organisation, for a coordinator, director or manager of it: ``NotFound`` outside it,
    ``Forbidden`` for its other roles."""
    organisation = access.organisation_for(user, slug)
    if not access.reads_reports(user, organisation):
        raise Forbidden(
            _("Alleen coördinatoren, directeuren en leidinggevenden zien de rapportages.")
        )
    return organisation


def sees_names(user: User | AnonymousUser, organisation: Organisation) -> bool:
    return bool(access.kinds_in(user, organisation) & PERSONAL_DATA)


def organisation_for_dashboard(user: User | AnonymousUser, slug: str) -> Organisation:
    """The organisation, for a coordinator or director of it (the dashboard's audience)."""
    organisation = access.organisation_for(user, slug)
    if not access.sees_dashboard(user, organisation):
        raise Forbidden(_("Alleen coördinatoren en directeuren zien het overzicht."))
    return organisation
