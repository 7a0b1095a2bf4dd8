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
    Membership,
    person_name,
)
from klachtenregister.regulations.schema import Letter
from klachtenregister.regulations.vocabulary import Event, Party, RoleKind

_KINDS = {
    Party.COORDINATOR: RoleKind.COORDINATOR,
    Party.DIRECTOR: RoleKind.DIRECTOR,
    Party.MANAGEMENT: RoleKind.DIRECTOR,
    Party.MANAGER: RoleKind.MANAGER,
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


def salutation(name: str, language: str) -> str:
    """How a letter addresses its reader: "Geachte mevrouw De Vries" when the name is written
    with a form of address, the name as written when it is not ("Geachte Pieter de Vries"), and
    "Geachte heer, mevrouw" without a name."""
    dutch = language != "en"
    name = " ".join(name.split())
    folded = name.casefold()
    for written, form in sorted(_FORMS.items(), key=lambda item: -len(item[0])):
        if folded.startswith(written + " ") and len(name) > len(written) + 1:
            rest = name[len(written) + 1 :].strip()
            rest = rest[0].upper() + rest[1:]  # "mevrouw De Vries": the surname starts the name
            return _SALUTATIONS["nl" if dutch else "en"][form] % {"name": rest}
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
        )
    ]


def _subjects(complaint: Complaint) -> list[Addressee]:
    return [
        Addressee(Party.SUBJECT, person.name, person.user.email if person.user else "")
        for person in complaint.people.filter(relation=ComplaintPerson.SUBJECT).select_related(
            "user"
        )
    ]


def _users(party: Party, users: list[User]) -> list[Addressee]:
    return [Addressee(party, person_name(user), user.email) for user in users]


def _members(complaint: Complaint, kind: RoleKind) -> list[User]:
    return [
        m.user
        for m in Membership.objects.filter(organisation=complaint.organisation, kind=kind)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    ]


def _participants(complaint: Complaint, capacity: str) -> list[User]:
    return [
        p.user
        for p in complaint.participants.filter(capacity=capacity)
        .select_related("user")
        .order_by("user__last_name", "user__username")
    ]


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
                    )
                )
    return result
