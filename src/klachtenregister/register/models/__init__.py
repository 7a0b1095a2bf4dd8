"""The register's tables: organisations and regulations, people, complaints and their log."""

from klachtenregister.register.models.complaints import (
    CLOSED_STATES,
    OPEN_STATES,
    Complaint,
    ComplaintDeadline,
    ComplaintEvent,
    ComplaintParticipant,
    ComplaintPerson,
    ComplaintTodo,
    Document,
    ReferenceCounter,
    RegistrationSubmission,
)
from klachtenregister.register.models.people import Membership, Person, person_name
from klachtenregister.register.models.personal import PersonalData
from klachtenregister.register.models.regulations import Organisation, RegulationVersion

__all__ = [
    "CLOSED_STATES",
    "OPEN_STATES",
    "Complaint",
    "ComplaintDeadline",
    "ComplaintEvent",
    "ComplaintParticipant",
    "ComplaintPerson",
    "ComplaintTodo",
    "Document",
    "Membership",
    "Organisation",
    "Person",
    "PersonalData",
    "ReferenceCounter",
    "RegistrationSubmission",
    "RegulationVersion",
    "person_name",
]
