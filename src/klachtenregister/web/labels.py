"""Display names for the regulation vocabulary, in Dutch (translated with Django i18n).

Event names come from the core (``klachtenregister.regulations.labels``, shared with the CLI);
deadline kinds and outcomes are named here until the core has them. A name without a label is
shown as its code with spaces.
"""

from __future__ import annotations

from django.utils.text import capfirst
from django.utils.translation import gettext, gettext_noop, ngettext
from django.utils.translation import gettext_lazy as _

from klachtenregister.calendars.units import DurationUnit
from klachtenregister.regulations.labels import EVENT_LABELS
from klachtenregister.regulations.schema import EventRef, Regulation
from klachtenregister.regulations.vocabulary import DeadlineKind

DEADLINE_KINDS = {
    DeadlineKind.ACKNOWLEDGEMENT: _("Ontvangstbevestiging"),
    DeadlineKind.FIRST_CONTACT: _("Eerste contact"),
    DeadlineKind.INADMISSIBILITY_NOTICE: _("Bericht niet in behandeling nemen"),
    DeadlineKind.AGREEMENT_LETTER: _("Brief met afspraken"),
    DeadlineKind.CONSULTATION_CONFIRMATION: _("Bevestiging van het gesprek"),
    DeadlineKind.FOLLOW_UP_INFORMATION: _("Nadere informatie"),
    DeadlineKind.HEARING_REPORT: _("Verslag van het horen"),
    DeadlineKind.COMMITTEE_ADVICE: _("Advies van de klachtencommissie"),
    DeadlineKind.DECISION: _("Beslissing"),
    DeadlineKind.SERVICE_NORM: _("Interne norm"),
    DeadlineKind.PROGRESS_NOTICE: _("Voortgangsbericht"),
    DeadlineKind.FINAL_REPORT: _("Eindrapportage"),
    DeadlineKind.SILENCE_CLOSURE: _("Afsluiten bij uitblijven van reactie"),
}

OUTCOMES = {
    "agreement": _("overeenstemming"),
    "no_agreement": _("geen overeenstemming"),
    "founded": _("gegrond"),
    "partly_founded": _("deels gegrond"),
    "unfounded": _("ongegrond"),
    "corrective": _("corrigerend"),
    "preventive": _("preventief"),
}


def _readable(code: str) -> str:
    return code.replace("_", " ")


def deadline_kind_label(kind: DeadlineKind) -> str:
    return str(DEADLINE_KINDS.get(kind, _readable(kind.value)))


def event_label(regulation: Regulation, ref: EventRef, language: str) -> str:
    """The regulation's own word for an event (Dutch only), else the shared default."""
    own = regulation.event_labels.get(ref.event) if language == "nl" else None
    default = EVENT_LABELS.get(ref.event)
    label = capfirst(own or (gettext(default) if default else _readable(ref.event.value)))
    if ref.outcome is None:
        return label
    return f"{label} ({OUTCOMES.get(ref.outcome, _readable(ref.outcome))})"


def duration_label(amount: int, unit: DurationUnit) -> str:
    """``5 werkdagen``, ``1 week``: the same catalogue entries the CLI uses."""
    words = {
        DurationUnit.WORKING_DAYS: ngettext("werkdag", "werkdagen", amount),
        DurationUnit.DAYS: ngettext("dag", "dagen", amount),
        DurationUnit.WEEKS: ngettext("week", "weken", amount),
        DurationUnit.MONTHS: ngettext("maand", "maanden", amount),
    }
    return f"{amount} {words[unit]}"


# The ``klachten`` CLI shares this catalogue; it writes these inside f-strings, where xgettext
# 0.21 does not look, so they are marked here to keep ``makemessages`` from dropping them.
CLI_MESSAGES = (gettext_noop("Ontvangen op"),)
