"""Who a letter goes to: the regulation names parties; the register knows the people."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User
from django.utils.translation import gettext as _
from django.utils.translation import override

from klachtenregister.register.models import (
    Complaint,
    ComplaintParticipant,
    ComplaintPerson,
    person_name,
)
from klachtenregister.register.selectors.people import members_of
from klachtenregister.regulations.schema import Letter
from klachtenregister.regulations.vocabulary import Event, Party, RoleKind

_KINDS = {
    Party.COORDINATOR: RoleKind.COORDINATOR,
    Party.DIRECTOR: RoleKind.DIRECTOR,
    Party.MANAGEMENT: RoleKind.DIRECTOR,
}


@dataclass(frozen=True)
class Addressee:
    party: Party
    name: str
    email: str = ""
    address: str = ""
    language: str = "nl"
    is_copy: bool = False
    index: int = 0  # the place within the letter's addressees: the form's field names use it
    # The complainant's form of address chosen at registration (Complaint.form_of_address).
    form_of_address: str = "neutral"


# A form of address written before the name, as people write it: the one it stands for.
_FORMS = {
    "mevrouw": "f",
    "mevr.": "f",
    "mevr": "f",
    "mw.": "f",
    "mw": "f",
    "ms": "f",
    "ms.": "f",
    "mrs": "f",
    "mrs.": "f",
    "de heer": "m",
    "heer": "m",
    "meneer": "m",
    "dhr.": "m",
    "dhr": "m",
    "mr.": "m",
    "mr": "m",
}
_SALUTATIONS = {
    "nl": {"f": "Geachte mevrouw %(name)s", "m": "Geachte heer %(name)s"},
    "en": {"f": "Dear Ms %(name)s", "m": "Dear Mr %(name)s"},
}


# Words that begin a Dutch (or Arabic, French ...) surname after the given names: "Pieter de
# Vries", "Fatima el Idrissi", "Jan van den Berg". Compared case-folded.
_SURNAME_PREFIXES = frozenset(
    [
        "van",
        "de",
        "den",
        "der",
        "het",
        "'t",
        "ter",
        "ten",
        "te",
        "in",
        "op",
        "onder",
        "aan",
        "bij",
        "uit",
        "voor",
        "d'",
        "l'",
        "le",
        "la",
        "du",
        "da",
        "di",
        "dos",
        "das",
        "del",
        "della",
        "von",
        "vom",
        "zu",
        "el",
        "al",
        "ben",
        "bin",
        "ibn",
        "abu",
    ]
)
_CHOSEN_FORMS = {"mr": "m", "ms": "f"}


def _without_written_form(name: str) -> tuple[str, str | None]:
    """The name without a form of address written before it, and the form it stood for."""
    folded = name.casefold()
    for written, form in sorted(_FORMS.items(), key=lambda item: -len(item[0])):
        if folded.startswith(written + " ") and len(name) > len(written) + 1:
            return name[len(written) + 1 :].strip(), form
    return name, None


def surname(name: str) -> str:
    """The surname in a name as written, with its prefix, capitalised as Dutch writes it after
    "heer" or "mevrouw": "Pieter de Vries" -> "De Vries", "Fatima el Idrissi" -> "El Idrissi",
    "Jan van den Berg" -> "Van den Berg", "Anna Jansen-de Vries" -> "Jansen-de Vries". The given
    names are the words before the first prefix (or before a double name); without either, the
    last word is the surname."""
    words = " ".join(name.split()).split(" ")
    # Only a surname written ("de Vries"): all of it.
    start = 0 if words[0].casefold() in _SURNAME_PREFIXES else len(words) - 1
    for index, word in enumerate(words[1:start], start=1):
        if word.casefold() in _SURNAME_PREFIXES or "-" in word.strip("-"):
            start = index
            break
    result = " ".join(words[start:])
    return result[:1].upper() + result[1:]


def salutation(name: str, language: str, form_of_address: str = "neutral") -> str:
    """How a letter addresses its reader. With the form of address chosen at registration
    ("mr", "ms"): "Geachte heer De Vries" for "Pieter de Vries". Without one: "Geachte mevrouw De
    Vries" when the name is written with a form of address ("mevrouw de Vries"), the name as
    written when it is not ("Geachte Pieter de Vries"), and "Geachte heer, mevrouw" without a
    name."""
    dutch = language != "en"
    name = " ".join(name.split())
    rest, written = _without_written_form(name)
    chosen = _CHOSEN_FORMS.get(form_of_address)
    if chosen is not None and rest:
        # The form names the person by their surname; one written before the name is dropped.
        last = surname(rest) if written is None else rest[0].upper() + rest[1:]
        return _SALUTATIONS["nl" if dutch else "en"][chosen] % {"name": last}
    if written is not None:
        rest = rest[0].upper() + rest[1:]  # "mevrouw De Vries": the surname starts the name
        return _SALUTATIONS["nl" if dutch else "en"][written] % {"name": rest}
    if not name:
        return "Geachte heer, mevrouw" if dutch else "Dear Sir or Madam"
    return ("Geachte %(name)s" if dutch else "Dear %(name)s") % {"name": name}


def name_in_sentence(name: str) -> str:
    """A name as written, for use within a sentence: "Mevrouw De Vries" becomes "mevrouw De
    Vries" ("de klacht van mevrouw De Vries")."""
    name = " ".join(name.split())
    folded = name.casefold()
    for written in sorted(_FORMS, key=len, reverse=True):
        if folded.startswith(written + " "):
            return written + name[len(written) :]
    return name


# Addressees named by an organisation or a function, not a person (the opdrachtgever as the
# complaint names it, "de arbeidsdeskundige van UWV"): a letter greets them without a name.
NAMELESS_PARTIES = frozenset({Party.OPDRACHTGEVER, Party.UWV_ARBEIDSDESKUNDIGE})


def _complainant(complaint: Complaint) -> list[Addressee]:
    if complaint.anonymous and not (complaint.complainant_email or complaint.complainant_address):
        # Nobody to write to: no letter "to de klager" recorded as posted to no address.
        return []
    with override(complaint.complainant_language):
        name = complaint.complainant_name or _("de klager")
    return [
        Addressee(
            Party.COMPLAINANT,
            name,
            complaint.complainant_email,
            complaint.complainant_address,
            complaint.complainant_language,
            form_of_address=complaint.form_of_address,
        )
    ]


def _subjects(complaint: Complaint) -> list[Addressee]:
    return [
        Addressee(Party.SUBJECT, person.name, person.user.email if person.user else "")
        # All of the complaint's people (prefetched with their users by complaint_for).
        for person in sorted(complaint.people.all(), key=lambda p: p.pk)
        if person.relation == ComplaintPerson.SUBJECT
    ]


def _users(party: Party, users: list[User]) -> list[Addressee]:
    return [Addressee(party, person_name(user), user.email) for user in users]


def _members(complaint: Complaint, kind: RoleKind) -> list[User]:
    # The organisation's members as read once per request.
    users = [m.user for m in members_of(complaint.organisation) if m.kind == kind]
    return sorted(users, key=lambda user: (user.last_name, user.username))


def _participants(complaint: Complaint, capacity: str) -> list[User]:
    # complaint_for prefetched the participants with their users.
    users = [p.user for p in complaint.participants.all() if p.capacity == capacity]
    return sorted(users, key=lambda user: (user.last_name, user.username))


def _manager(complaint: Complaint) -> list[Addressee]:
    """ "De betreffende leidinggevende" (Integratiewerk Klachtenprocedure 3 en 7): the manager
    the complaint records, not every manager of the organisation; none recorded, nobody."""
    name = complaint.manager_name.strip()
    if not name:
        return []
    email = complaint.manager.email if complaint.manager is not None else ""
    return [Addressee(Party.MANAGER, name, email)]


def _external_party(complaint: Complaint) -> list[Addressee]:
    engaged = complaint.events.filter(event=Event.EXTERNAL_PARTY_ENGAGED.value).last()
    if engaged is None:
        return []
    return [Addressee(Party.EXTERNAL_PARTY, engaged.payload.get("party") or _("externe partij"))]


def for_party(complaint: Complaint, party: Party) -> list[Addressee]:
    if party is Party.COMPLAINANT:
        return _complainant(complaint)
    if party is Party.REPRESENTATIVE:
        if not complaint.representative_name:
            return []
        return [
            Addressee(
                Party.REPRESENTATIVE,
                complaint.representative_name,
                language=complaint.complainant_language,
            )
        ]
    if party is Party.SUBJECT:
        return _subjects(complaint)
    if party is Party.ALL_PARTIES:
        return _complainant(complaint) + _subjects(complaint)
    if party is Party.MANAGER:
        return _manager(complaint)
    if party in _KINDS:
        return _users(party, _members(complaint, _KINDS[party]))
    if party is Party.HANDLER:
        return _users(party, _participants(complaint, ComplaintParticipant.HANDLER))
    if party is Party.COMMITTEE:
        users = _participants(complaint, ComplaintParticipant.COMMITTEE)
        return _users(party, users or _members(complaint, RoleKind.COMMITTEE))
    if party is Party.EXTERNAL_PARTY:
        return _external_party(complaint)
    if party is Party.OPDRACHTGEVER:
        name = complaint.commissioning_party
        return [Addressee(party, name)] if name else []
    if party is Party.UWV_ARBEIDSDESKUNDIGE:
        return [Addressee(party, _("de arbeidsdeskundige van UWV"))] if complaint.uwv_client else []
    return []


def addressees(complaint: Complaint, letter: Letter) -> list[Addressee]:
    """Everyone the letter goes to, recipients then copies; each person once."""
    result: list[Addressee] = []
    seen: set[tuple[str, str]] = set()
    for parties, is_copy in ((letter.recipients, False), (letter.copies, True)):
        if is_copy and letter.recipients and not result:
            # A copy of a letter nobody gets (the anonymous complainant without an address) is
            # not sent either: it would tell the reader of a letter that was never written.
            break
        for party in parties:
            for found in for_party(complaint, party):
                identity = (found.name.casefold(), found.email.casefold())
                if identity in seen:
                    continue
                seen.add(identity)
                result.append(
                    Addressee(
                        found.party,
                        found.name,
                        found.email,
                        found.address,
                        found.language,
                        is_copy,
                        index=len(result),
                        form_of_address=found.form_of_address,
                    )
                )
    return result
