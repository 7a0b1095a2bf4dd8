"""The reports page's read: the choices, and the report with its tables and charts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from klachtenregister.register import clock
from klachtenregister.register.models import Organisation
from klachtenregister.regulations.schema import ReportingDuty
from klachtenregister.reports import exports, selectors
from klachtenregister.reports.access import sees_names
from klachtenregister.reports.periods import Period


@dataclass
class ReportChoices:
    duties: list[ReportingDuty]
    opdrachtgevers: list[str]
    default_period: str

    @property
    def duty_choices(self) -> list[tuple[str, str]]:
        return [(duty.id, duty.label) for duty in self.duties]

    @property
    def per_opdrachtgever(self) -> set[str]:
        """The duties made per opdrachtgever (its audience is the opdrachtgever)."""
        return {duty.id for duty in self.duties if selectors.is_opdrachtgever_duty(duty)}


@dataclass
class ReportPage:
    report: dict[str, Any]
    duty: ReportingDuty | None
    context: dict[str, Any] = field(default_factory=dict)


def report_choices(organisation: Organisation) -> ReportChoices:
    today = clock.today()
    version = selectors.regulation_version_for(organisation, today)
    return ReportChoices(
        selectors.duties_of(version), selectors.opdrachtgevers(organisation), str(today.year)
    )


def report_page(
    user: User, organisation: Organisation, period: Period, duty: str, opdrachtgever: str
) -> ReportPage:
    request = selectors.ReportRequest(
        organisation, period, duty, opdrachtgever, names=sees_names(user, organisation)
    )
    report = selectors.compute(request)
    version = selectors.regulation_for_period(organisation, period)
    found = next((d for d in selectors.duties_of(version) if d.id == report["duty"]), None)
    context = exports.report_context(report, organisation)
    del context["organisation"]  # the page has it already
    context["review_flag"] = selectors.review_flag(organisation, period)
    return ReportPage(report, found, context)
