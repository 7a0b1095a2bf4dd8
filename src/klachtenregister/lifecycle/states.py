"""Where a complaint stands in the one lifecycle every regulation shares (docs/lifecycle.md)."""

from __future__ import annotations

from enum import StrEnum

from klachtenregister.regulations.labels import gettext_noop


class State(StrEnum):
    RECEIVED = "received"  # came in, not yet in the register
    REGISTERED = "registered"
    ACCEPTED = "accepted"  # taken into treatment
    INADMISSIBLE = "inadmissible"  # not taken into treatment, with a ground
    RESOLVED = "resolved"  # resolved informally
    DECIDED = "decided"  # a judgement was given
    WITHDRAWN = "withdrawn"
    CLOSED = "closed"
    VOIDED = "voided"  # registered by mistake (a duplicate, a test): counts nowhere


STATE_LABELS: dict[State, str] = {
    State.RECEIVED: gettext_noop("ontvangen"),
    State.REGISTERED: gettext_noop("geregistreerd"),
    State.ACCEPTED: gettext_noop("in behandeling"),
    State.INADMISSIBLE: gettext_noop("niet in behandeling genomen"),
    State.RESOLVED: gettext_noop("informeel opgelost"),
    State.DECIDED: gettext_noop("beslist"),
    State.WITHDRAWN: gettext_noop("ingetrokken"),
    State.CLOSED: gettext_noop("afgesloten"),
    State.VOIDED: gettext_noop("ongeldig verklaard"),
}
