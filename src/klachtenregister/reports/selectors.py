"""Reads for reports: one report for an organisation, a period and (optionally) a duty.

The report's shape is a contract (docs/reports.md): ``{organisation, regulation, version, duty,
period: {from, to}, generated_on, figures: {<figure>: ...}}``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from klachtenregister.register import clock
from klachtenregister.register.errors import NotFound
from klachtenregister.register.models import Organisation, RegulationVersion
from klachtenregister.register.selectors.regulations import (
    regulation_version_for,
    stored_regulation,
)
from klachtenregister.regulations.schema import Regulation, ReportingDuty
from klachtenregister.regulations.vocabulary import Figure, Party
from klachtenregister.reports import figures
from klachtenregister.reports.periods import Period
from klachtenregister.reports.working_memory import room_to_aggregate

# Where the audience is public, a small count could point at a person.
SMALL_COUNT = 3
SMALL_COUNT_LABEL = "< 3"


class ReportError(NotFound):
    """An unknown organisation, duty or opdrachtgever: nothing to report on."""


@dataclass(frozen=True)
class ReportRequest:
    organisation: Organisation
    period: Period
    duty: str = ""
    opdrachtgever: str = ""
    names: bool = False  # the caller's role may see personal data in the complaint list


def organisation_by_slug(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        known = ", ".join(Organisation.objects.order_by("slug").values_list("slug", flat=True))
        raise ReportError(
            _("Onbekende organisatie: %(slug)s (bekend: %(known)s).")
            % {"slug": slug, "known": known or "-"}
        )
    return organisation


def regulation_for_period(organisation: Organisation, period: Period) -> RegulationVersion:
    """The version in force on the period's last day (or today, if that is earlier)."""
    return regulation_version_for(organisation, min(period.end, clock.today()))


def duties_of(version: RegulationVersion) -> list[ReportingDuty]:
    regulation = stored_regulation(version).regulation
    return list(regulation.reporting) if regulation is not None else []


def _regulation(version: RegulationVersion) -> Regulation | None:
    return stored_regulation(version).regulation


def opdrachtgevers(organisation: Organisation) -> list[str]:
    """The opdrachtgevers named on the organisation's complaints."""
    from klachtenregister.register.models import Complaint

    names = (
        Complaint.objects.filter(organisation=organisation)
        .exclude(commissioning_party="")
        .order_by("commissioning_party")
        .values_list("commissioning_party", flat=True)
        .distinct()
    )
    return list(names)


def _duty(version: RegulationVersion, duty_id: str) -> ReportingDuty | None:
    if not duty_id:
        return None
    for duty in duties_of(version):
        if duty.id == duty_id:
            return duty
    known = ", ".join(d.id for d in duties_of(version))
    raise ReportError(
        _("Onbekende rapportageplicht: %(duty)s (in dit reglement: %(known)s).")
        % {"duty": duty_id, "known": known or _("geen")}
    )


def _suppress_small(counts: dict[str, Any]) -> dict[str, Any]:
    return {
        key: (SMALL_COUNT_LABEL if isinstance(n, int) and 0 < n < SMALL_COUNT else n)
        for key, n in counts.items()
    }


def compute(request: ReportRequest, as_of: dt.date | None = None) -> dict[str, Any]:
    """The report as a JSON-ready dict; ``ReportError`` for an unknown duty or opdrachtgever."""
    with room_to_aggregate():
        return _compute(request, as_of)


def _compute(request: ReportRequest, as_of: dt.date | None) -> dict[str, Any]:
    today = as_of or clock.today()
    version = regulation_for_period(request.organisation, request.period)
    duty = _duty(version, request.duty)
    if request.opdrachtgever and request.opdrachtgever.casefold() not in {
        name.casefold() for name in opdrachtgevers(request.organisation)
    }:
        raise ReportError(_("Onbekende opdrachtgever: %(name)s.") % {"name": request.opdrachtgever})
    if duty is not None and is_opdrachtgever_duty(duty) and not request.opdrachtgever:
        known = ", ".join(opdrachtgevers(request.organisation))
        raise ReportError(
            _(
                "De rapportageplicht %(duty)s wordt per opdrachtgever gemaakt: kies een "
                "opdrachtgever (bekend: %(known)s)."
            )
            % {"duty": duty.id, "known": known or _("geen")}
        )
    wanted = list(duty.figures) if duty is not None else list(Figure)
    anonymised = duty is not None and duty.anonymised
    scope = figures.Scope(request.organisation, request.period, today, request.opdrachtgever)
    values: dict[str, Any] = {}
    if {
        Figure.COMPLAINTS_RECEIVED,
        Figure.NOT_TAKEN_INTO_TREATMENT,
        Figure.NOT_TAKEN_INTO_TREATMENT_IN_TERM,
        Figure.TAKEN_INTO_TREATMENT,
        Figure.TAKEN_INTO_TREATMENT_IN_TERM,
        Figure.OUTCOMES,
    } & set(wanted):
        family = figures.treatment_family(scope)
        family["complaints_received"]["per_month"] = figures.received_per_month(scope)
        values.update(family)
    for figure in wanted:
        if figure == Figure.THROUGHPUT_TIMES:
            values[figure] = figures.throughput_times(scope)
        elif figure == Figure.NATURE_OF_COMPLAINTS:
            nature = figures.nature_of_complaints(scope)
            if anonymised:
                nature = {key: _suppress_small(counts) for key, counts in nature.items()}
            values[figure] = nature
        elif figure == Figure.TRENDS:
            values[figure] = figures.trends(scope)
        elif figure == Figure.COMPLAINT_LIST:
            values[figure] = figures.complaint_list(scope, request.names and not anonymised)
        elif figure == Figure.CORRECTIVE_MEASURES_SATISFACTION:
            values[figure] = figures.corrective_measures_satisfaction(scope)
        elif figure == Figure.PREVENTIVE_MEASURES_EFFECT:
            values[figure] = figures.preventive_measures_effect(scope)
        elif figure == Figure.REGULATION_REVIEW:
            review = figures.regulation_review(scope)
            if anonymised:  # who reviewed is a name
                review["reviews"] = [{**r, "by": ""} for r in review["reviews"]]
            values[figure] = review
    return {
        "organisation": request.organisation.slug,
        "regulation": version.regulation_id,
        "version": version.version,
        "duty": duty.id if duty is not None else None,
        "period": {"from": request.period.start.isoformat(), "to": request.period.end.isoformat()},
        "generated_on": today.isoformat(),
        "figures": {str(figure): values[figure] for figure in wanted if figure in values},
    }


def review_flag(organisation: Organisation, period: Period) -> str:
    """A warning when a year of the period has ended without a review of the regulation."""
    duties = duties_of(regulation_for_period(organisation, period))
    if not any(Figure.REGULATION_REVIEW in duty.figures for duty in duties):
        return ""  # the regulation asks for no review
    scope = figures.Scope(organisation, period, clock.today())
    missing = figures.regulation_review(scope)["years_without_review"]
    if not missing:
        return ""
    return _("Geen toetsing van het reglement vastgelegd in: %(years)s.") % {
        "years": ", ".join(str(year) for year in missing)
    }


def is_opdrachtgever_duty(duty: ReportingDuty) -> bool:
    return Party.OPDRACHTGEVER in duty.audience


def reviews_of(organisation: Organisation) -> list[Any]:
    from klachtenregister.reports.models import RegulationReview

    return list(
        RegulationReview.objects.filter(organisation=organisation).select_related(
            "regulation_version"
        )
    )


@dataclass(frozen=True)
class MeasureRow:
    event_id: int
    reference: str
    on: dt.date
    kind: str
    description: str
    result: Any  # MeasureResult or None


def measures_of(organisation: Organisation) -> list[MeasureRow]:
    """Every measure recorded in the organisation's complaints (not voided), newest first, with
    its follow-up."""
    from klachtenregister.register.models import ComplaintEvent
    from klachtenregister.register.personal import with_personal_data
    from klachtenregister.reports.models import MeasureResult

    events = (
        ComplaintEvent.objects.filter(
            complaint__organisation=organisation, event="measures_recorded"
        )
        .exclude(complaint__state="voided")
        # The description is kept apart (register.personal): joined in the same query.
        .select_related("complaint", "personal_data")
        .order_by("-on", "-pk")
    )
    results = {r.event_id: r for r in MeasureResult.objects.filter(event__in=events)}
    rows = with_personal_data(list(events))
    return [
        MeasureRow(
            e.pk,
            e.complaint.reference,
            e.on,
            str(e.payload.get("type", "")),
            str(e.payload.get("description", "")),
            results.get(e.pk),
        )
        for e in rows
    ]
