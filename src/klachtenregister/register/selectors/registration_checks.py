"""What to warn about before a complaint is registered; the user confirms or corrects.

None of these stops a registration: a complaint may come in long ago, before the regulation took
effect, or twice from the same person. Each is often a typing error or a duplicate, so the
register asks first (docs/backoffice.md, "Registering").
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Min, Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from klachtenregister.register.access import AnyUser, visible_complaints
from klachtenregister.register.errors import CorruptHistory, LogError
from klachtenregister.register.models import OPEN_STATES, Organisation, person_name
from klachtenregister.register.search import normalise
from klachtenregister.register.selectors.history import regulation_of_version
from klachtenregister.register.selectors.people import lookalikes, members_by_name
from klachtenregister.register.selectors.regulations import regulation_version_for
from klachtenregister.register.services import ComplaintData
from klachtenregister.regulations.schema import Regulation

# A received date further back than this many days is asked about.
LONG_AGO_DAYS = 30


def warnings(
    user: AnyUser, organisation: Organisation, data: ComplaintData, today: dt.date
) -> list[str]:
    """The warnings for ``user`` registering ``data`` in ``organisation`` today, in the
    interface language; empty when there is nothing to ask."""
    found = []
    if data.received_on < today - dt.timedelta(days=LONG_AGO_DAYS):
        found.append(
            _(
                "De ontvangstdatum %(date)s ligt meer dan %(days)s dagen terug. Klopt die datum? "
                "De termijnen tellen vanaf de dag van ontvangst."
            )
            % {"date": date_format(data.received_on, "d-m-Y"), "days": LONG_AGO_DAYS}
        )
    earliest = organisation.regulation_versions.aggregate(first=Min("effective_from"))["first"]
    if earliest is not None and data.received_on < earliest:
        found.append(
            _(
                "De ontvangstdatum %(date)s ligt vóór de ingangsdatum van het klachtenreglement "
                "(%(effective)s). De klacht wordt toch onder de eerste versie behandeld."
            )
            % {
                "date": date_format(data.received_on, "d-m-Y"),
                "effective": date_format(earliest, "d-m-Y"),
            }
        )
    for name, members in resembling_members(organisation, data).items():
        found.append(
            _(
                "'%(name)s' lijkt op %(members)s van uw organisatie. Als het om dezelfde persoon "
                "kan gaan, wordt %(members)s van deze klacht uitgesloten (niet inzien, niet "
                "behandelen). Vink hieronder aan als '%(name)s' zeker iemand anders is."
            )
            % {"name": name, "members": ", ".join(members)}
        )
    found.extend(precondition_warnings(organisation, data))
    references = open_complaints_of_complainant(user, organisation, data)
    if references:
        found.append(
            _(
                "Van deze klager is al een open klacht geregistreerd: %(references)s. Is dit "
                "dezelfde klacht?"
            )
            % {"references": ", ".join(references)}
        )
    return found


def resembling_members(organisation: Organisation, data: ComplaintData) -> dict[str, list[str]]:
    """Per subject or involved person typed as a name that resembles a member's without being
    it ("M. de Boer" and Marieke de Boer), those members' names."""
    names = [name for name, user in (*data.subjects, *data.involved) if user is None]
    # A member chosen as a subject or involved is out of the complaint already: nothing to ask.
    chosen = {person.user_id for person in (*data.subject_people, *data.involved_people)}
    found = {
        name: [person_name(member) for member in members if member.pk not in chosen]
        for name, members in lookalikes(names, members_by_name(organisation)).items()
    }
    return {name: members for name, members in found.items() if members}


def open_complaints_of_complainant(
    user: AnyUser, organisation: Organisation, data: ComplaintData
) -> list[str]:
    """References of the organisation's open complaints (not closed, withdrawn or voided) that
    the user may see, from the same complainant: the same name (``register.search.normalise``)
    or the same e-mail address."""
    name = "" if data.anonymous else normalise(data.complainant_name.strip())
    email = data.complainant_email.strip()
    if not name and not email:
        return []
    match = Q()
    if name:
        # The search text holds the normalised name; the exact comparison follows below.
        match |= Q(search_text__contains=name)
    if email:
        match |= Q(complainant_email__iexact=email)
    candidates = (
        # Only what the user may see: a warning must not reveal another complaint's number.
        visible_complaints(user, organisation)
        .filter(anonymous=False)
        .filter(state__in=OPEN_STATES)
        .filter(match)
        .order_by("received_on", "reference")
    )
    return [
        complaint.reference
        for complaint in candidates
        if (name and normalise(complaint.complainant_name.strip()) == name)
        or (email and complaint.complainant_email.strip().casefold() == email.casefold())
    ]


def registration_regulation(organisation: Organisation, on: dt.date) -> Regulation | None:
    """The regulation a complaint received on ``on`` is handled under (its categories and
    preconditions are the form's questions); None where the organisation has none that reads."""
    try:
        return regulation_of_version(regulation_version_for(organisation, on))
    except (LogError, CorruptHistory):
        return None


def precondition_warnings(organisation: Organisation, data: ComplaintData) -> list[str]:
    """Intake (issue 14 §3): a step the regulation requires before a complaint (Integratiewerk,
    Indienen stap 1-2: first talk to the employee, then the manager) that the registrar says was
    not taken. The regulation advises it; the complaint is still registered when confirmed."""
    not_met = [key for key, met in data.preconditions.items() if not met]
    if not not_met:
        return []
    regulation = registration_regulation(organisation, data.received_on)
    if regulation is None:
        return []
    return [
        _(
            "Volgens het klachtenreglement (%(source)s) gaat hieraan vooraf: %(step)s. Dat is "
            "volgens de registratie niet gebeurd. Het reglement raadt aan die stap eerst te "
            "zetten; bespreek dat met de klager. U kunt de klacht toch registreren."
        )
        % {"source": precondition.source, "step": precondition.label}
        for precondition in regulation.definitions.preconditions
        if precondition.required and precondition.id in not_met
    ]
