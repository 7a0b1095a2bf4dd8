"""Writes (HackSoft styleguide: services change state, selectors read it).

``load_regulations`` stores regulation files as immutable ``RegulationVersion`` rows. It is all or
nothing: every file is read and validated by the pure loader first, then checked against what is
already stored, and only then written, in one transaction.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from django.db import models, transaction

from klachtenregister.register.errors import RegulationLoadError, interface_language
from klachtenregister.register.models import Organisation, RegulationVersion
from klachtenregister.regulations.loader import (
    RegulationError,
    preset_names,
    read_regulation_text,
    regulation_from_text,
)
from klachtenregister.regulations.schema import Regulation


class LoadStatus(StrEnum):
    LOADED = "loaded"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RegulationSource:
    """A regulation file read and validated: where it came from, its exact text, its rules."""

    label: str
    path: Path | None  # None for a preset
    text: str
    regulation: Regulation

    @property
    def sha256(self) -> str:
        return content_sha256(self.text)

    @property
    def is_template(self) -> bool:
        return self.regulation.template


@dataclass(frozen=True)
class LoadResult:
    source: str
    regulation_id: str
    version: str
    organisation: str | None  # None for a template
    status: LoadStatus


def content_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- reading and validating (no database) -----------------------------------------------------


def read_regulation_source(name_or_path: str | Path) -> RegulationSource:
    """Read and validate one regulation (its calendar too); raises RegulationLoadError."""
    try:
        read = read_regulation_text(name_or_path)
        regulation = regulation_from_text(read)
    except RegulationError as exc:
        raise RegulationLoadError([p.render(interface_language()) for p in exc.problems]) from None
    too_long = _too_long_for_the_database(read.label, regulation)
    if too_long:
        raise RegulationLoadError(too_long)
    return RegulationSource(label=read.label, path=read.path, text=read.text, regulation=regulation)


def _too_long_for_the_database(label: str, regulation: Regulation) -> list[str]:
    values = [
        (RegulationVersion, "name", "name", regulation.name),
        (RegulationVersion, "version", "version", regulation.version),
        (RegulationVersion, "calendar", "calendar", regulation.calendar),
        (Organisation, "name", "organisation.name", regulation.organisation.name),
    ]
    problems = []
    for model, column, field, value in values:
        column_field = model._meta.get_field(column)
        assert isinstance(column_field, models.CharField) and column_field.max_length is not None
        limit = column_field.max_length
        if len(value) > limit:
            problems.append(f"{label}: {field}: longer than {limit} characters")
    return problems


def read_regulation_sources(names_or_paths: Iterable[str | Path]) -> list[RegulationSource]:
    """Every file read and validated; all problems of all files are reported together."""
    sources: list[RegulationSource] = []
    problems: list[str] = []
    for name_or_path in names_or_paths:
        try:
            sources.append(read_regulation_source(name_or_path))
        except RegulationLoadError as exc:
            problems.extend(exc.problems)
    seen: dict[tuple[str, str], RegulationSource] = {}
    for source in sources:
        key = (source.regulation.id, source.regulation.version)
        first = seen.setdefault(key, source)
        if first is not source and first.sha256 != source.sha256:
            problems.append(
                f"{source.label}: version {key[1]!r} of {key[0]} is also given by {first.label} "
                "with other content; give the changed regulation a new version"
            )
    if problems:
        raise RegulationLoadError(problems)
    return sources


# --- writing ----------------------------------------------------------------------------------


def _conflicts(sources: list[RegulationSource]) -> tuple[dict[tuple[str, str], str], list[str]]:
    """The stored hash of each (id, version) already loaded, and refusals for changed content."""
    stored: dict[tuple[str, str], str] = {}
    problems: list[str] = []
    for source in sources:
        regulation = source.regulation
        existing = (
            RegulationVersion.objects.filter(
                regulation_id=regulation.id, version=regulation.version
            )
            .select_related("organisation")
            .first()
        )
        if existing is None:
            continue
        stored[(regulation.id, regulation.version)] = existing.content_sha256
        if existing.content_sha256 != source.sha256:
            owner = existing.organisation.name if existing.organisation else regulation.name
            problems.append(
                f"{source.label}: version {regulation.version!r} of {owner} ({regulation.id}) "
                "is already loaded with other content; give the changed regulation a new version"
            )
    return stored, problems


def _organisation_for(source: RegulationSource) -> Organisation:
    regulation = source.regulation
    organisation, created = Organisation.objects.get_or_create(
        slug=regulation.id,
        defaults={
            "name": regulation.organisation.name,
            "short_code": regulation.organisation.short_code,
        },
    )
    newer_exists = organisation.regulation_versions.filter(
        effective_from__gt=regulation.effective_from
    ).exists()
    if not created and not newer_exists:
        # The newest version of the regulation says what the organisation is called now.
        changed = (organisation.name, organisation.short_code) != (
            regulation.organisation.name,
            regulation.organisation.short_code,
        )
        if changed:
            organisation.name = regulation.organisation.name
            organisation.short_code = regulation.organisation.short_code
            organisation.save(update_fields=["name", "short_code"])
    return organisation


def load_regulations(paths_or_names: Iterable[str | Path] | None = None) -> list[LoadResult]:
    """Store every preset (or the given preset names / files); all or nothing.

    Loading a version that is already stored with the same text changes nothing; the same version
    with other text is refused (versions are immutable), and then nothing at all is written.
    """
    names = list(paths_or_names) if paths_or_names is not None else preset_names()
    sources = read_regulation_sources(names)
    results: list[LoadResult] = []
    with transaction.atomic():
        stored, problems = _conflicts(sources)
        if problems:
            raise RegulationLoadError(problems)
        for source in sources:
            regulation = source.regulation
            key = (regulation.id, regulation.version)
            owner = None if source.is_template else regulation.organisation.name
            if key in stored:
                results.append(LoadResult(source.label, *key, owner, status=LoadStatus.UNCHANGED))
                continue
            RegulationVersion.objects.create(
                organisation=None if source.is_template else _organisation_for(source),
                is_template=source.is_template,
                regulation_id=regulation.id,
                name=regulation.name,
                version=regulation.version,
                effective_from=regulation.effective_from,
                calendar=regulation.calendar,
                source_path="" if source.path is None else str(source.path),
                source_yaml=source.text,
                content_sha256=source.sha256,
            )
            stored[key] = source.sha256
            results.append(LoadResult(source.label, *key, owner, status=LoadStatus.LOADED))
    return results
