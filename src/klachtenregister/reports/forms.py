"""The choice on the reports page: duty, period, opdrachtgever, and a download format."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from klachtenregister.reports.periods import Period, PeriodError, parse_period

FORMAT_CHOICES = [
    ("", _("op de pagina")),
    ("pdf", "PDF"),
    ("xlsx", "XLSX"),
    ("csv", "CSV"),
    ("json", "JSON"),
]

PERIOD_ERROR = _(
    "Geen geldige periode. Schrijf bijvoorbeeld 2026, 2026-Q2, 2026-03 of 2026-01-01:2026-06-30."
)

OPDRACHTGEVER_NEEDED = _(
    "Deze rapportage wordt per opdrachtgever gemaakt: kies de opdrachtgever voor wie zij is."
)


class ReportForm(forms.Form):
    duty = forms.ChoiceField(label=_("Rapportageplicht"), required=False)
    period = forms.CharField(
        label=_("Periode"),
        max_length=40,
        help_text=_(
            "Een jaar (2026), kwartaal (2026-Q2), maand (2026-03) of 2026-01-01:2026-06-30."
        ),
    )
    opdrachtgever = forms.ChoiceField(label=_("Opdrachtgever"), required=False)
    format = forms.ChoiceField(label=_("Formaat"), choices=FORMAT_CHOICES, required=False)

    def __init__(
        self,
        *args: Any,
        duties: list[tuple[str, str]],
        opdrachtgevers: list[str],
        per_opdrachtgever: set[str] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.per_opdrachtgever = per_opdrachtgever or set()
        duty, opdrachtgever = self.fields["duty"], self.fields["opdrachtgever"]
        assert isinstance(duty, forms.ChoiceField) and isinstance(opdrachtgever, forms.ChoiceField)
        duty.choices = [("", _("alle cijfers")), *duties]
        opdrachtgever.choices = [
            ("", _("alle opdrachtgevers")),
            *((name, name) for name in opdrachtgevers),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("duty") in self.per_opdrachtgever and not cleaned.get("opdrachtgever"):
            self.add_error("opdrachtgever", OPDRACHTGEVER_NEEDED)
        return cleaned

    def clean_period(self) -> Period:
        try:
            return parse_period(self.cleaned_data["period"])
        except PeriodError:
            raise forms.ValidationError(PERIOD_ERROR) from None


class ReviewForm(forms.Form):
    reviewed_on = forms.DateField(
        label=_("Getoetst op"), widget=forms.DateInput(attrs={"type": "date"})
    )
    reviewed_by = forms.CharField(label=_("Door"), max_length=200)
    meeting = forms.CharField(
        label=_("Teamoverleg"),
        max_length=200,
        required=False,
        help_text=_("Het overleg waarin het functioneren is besproken, met datum."),
    )
    conclusion = forms.CharField(label=_("Conclusie"), widget=forms.Textarea(attrs={"rows": 3}))
    new_version = forms.BooleanField(label=_("Er volgt een nieuwe versie"), required=False)


class MeasureResultForm(forms.Form):
    carried_out_on = forms.DateField(
        label=_("Uitgevoerd op"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    effect = forms.ChoiceField(
        label=_("Effect"),
        choices=[
            ("unknown", _("nog niet bekend")),
            ("improved", _("verbeterd")),
            ("no_change", _("geen verandering")),
        ],
    )
    satisfaction = forms.ChoiceField(
        label=_("Tevredenheid klager"),
        choices=[
            ("not_asked", _("niet gevraagd")),
            ("satisfied", _("tevreden")),
            ("not_satisfied", _("niet tevreden")),
        ],
    )
