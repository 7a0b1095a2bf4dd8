"""The register's tables: organisations and regulations, people, complaints and their log."""

from klachtenregister.web.models.complaints import (
    Complaint,
    ComplaintDeadline,
    ComplaintEvent,
    ComplaintParticipant,
    ComplaintPerson,
    Document,
    ReferenceCounter,
)
from klachtenregister.web.models.letters import (
    EMAIL,
    POST,
    REGISTERED_POST,
    Letter,
    LetterTemplate,
)
from klachtenregister.web.models.outbox import OutboxMessage, PeriodicRun
from klachtenregister.web.models.people import Membership, person_name
from klachtenregister.web.models.regulations import Organisation, RegulationVersion

__all__ = [
    "EMAIL",
    "POST",
    "REGISTERED_POST",
    "Complaint",
    "ComplaintDeadline",
    "ComplaintEvent",
    "ComplaintParticipant",
    "ComplaintPerson",
    "Document",
    "Letter",
    "LetterTemplate",
    "Membership",
    "Organisation",
    "OutboxMessage",
    "PeriodicRun",
    "ReferenceCounter",
    "RegulationVersion",
    "person_name",
]
