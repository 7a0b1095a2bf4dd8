"""Reads (HackSoft styleguide: selectors read state, services change it).

A stored regulation is read back from its ``source_yaml`` with the pure loader, so what is shown
is what was loaded, not whatever is on disk now.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.db import DatabaseError, connection
from django.utils.translation import gettext as _

from klachtenregister.register.errors import LogError, interface_language
from klachtenregister.register.models import Organisation, RegulationVersion
from klachtenregister.regulations.loader import (
    RegulationError,
    RegulationText,
    regulation_from_text,
)
from klachtenregister.regulations.schema import Regulation


@dataclass(frozen=True)
class StoredRegulation:
    """A stored version with its rules; ``regulation`` is None when the text no longer reads."""

    version: RegulationVersion
    regulation: Regulation | None
    problems: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class OrganisationRegulations:
    organisation: Organisation
    current: StoredRegulation
    other_versions: list[RegulationVersion]


@lru_cache(maxsize=128)
def _parse(text: RegulationText) -> Regulation:
    return regulation_from_text(text)


def stored_regulation(version: RegulationVersion) -> StoredRegulation:
    """The rules of a stored version, read from the exact text that was loaded."""
    # A calendar file named relative to the regulation file is found next to where it was loaded.
    text = RegulationText(
        label=f"{version.regulation_id} {version.version} (database)",
        path=Path(version.source_path) if version.source_path else None,
        text=version.source_yaml,
    )
    try:
        return StoredRegulation(version, _parse(text))
    except RegulationError as exc:
        return StoredRegulation(
            version, None, [p.render(interface_language()) for p in exc.problems]
        )


def current_version(versions: list[RegulationVersion], on: dt.date) -> RegulationVersion:
    """The version in force on a day; before the first one takes effect, the first one."""
    in_force = [v for v in versions if v.effective_from <= on]
    if in_force:
        return max(in_force, key=lambda v: (v.effective_from, v.loaded_at))
    return min(versions, key=lambda v: (v.effective_from, v.loaded_at))


def regulation_version_for(organisation: Organisation, on: dt.date) -> RegulationVersion:
    """The version a complaint received on ``on`` is handled under."""
    versions = list(organisation.regulation_versions.all())
    if not versions:
        raise LogError(
            _("%(organisation)s heeft geen klachtenreglement geladen.")
            % {"organisation": organisation.name}
        )
    return current_version(versions, on)


def organisations_with_regulations(on: dt.date) -> list[OrganisationRegulations]:
    """Each organisation that has a regulation, with the version in force on ``on``."""
    versions_by_org: dict[int, list[RegulationVersion]] = {}
    organisations: dict[int, Organisation] = {}
    for version in RegulationVersion.objects.filter(organisation__isnull=False).select_related(
        "organisation"
    ):
        organisation = version.organisation
        assert organisation is not None  # filtered above
        versions_by_org.setdefault(organisation.pk, []).append(version)
        organisations[organisation.pk] = organisation
    overview = []
    for org_id, versions in versions_by_org.items():
        current = current_version(versions, on)
        others = sorted(
            (v for v in versions if v.pk != current.pk),
            key=lambda v: v.effective_from,
            reverse=True,
        )
        overview.append(
            OrganisationRegulations(organisations[org_id], stored_regulation(current), others)
        )
    return sorted(overview, key=lambda o: o.organisation.name.casefold())


def template_regulations(on: dt.date) -> list[StoredRegulation]:
    """Default regulations that belong to no organisation (e.g. Awb chapter 9), one per id."""
    by_id: dict[str, list[RegulationVersion]] = {}
    for version in RegulationVersion.objects.filter(is_template=True):
        by_id.setdefault(version.regulation_id, []).append(version)
    return [stored_regulation(current_version(by_id[key], on)) for key in sorted(by_id)]


def database_status() -> tuple[bool, str]:
    """(reachable, vendor) of the default database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False, connection.vendor
    return True, connection.vendor


def loaded_regulation_versions() -> list[RegulationVersion]:
    """Every regulation version in the register, templates included."""
    return list(RegulationVersion.objects.select_related("organisation"))
