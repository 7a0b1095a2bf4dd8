"""One form per event a user records on a complaint; the engine decides whether it is allowed.

Each form turns its fields into the engine's details for the event (``details``) and names the
users behind the names it records (``people``). Choices come from the complaint's regulation:
grounds, escalation routes, extendable deadlines; people from the organisation's members, never
the complaint's subjects or those involved.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, cast

from django import forms
from django.contrib.auth.models import User
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from klachtenregister.backoffice.forms.fields import (
    UploadField,
    date_field,
    names_field,
    split_names,
)
from klachtenregister.backoffice.forms.text import HardenedText, NameField
from klachtenregister.lifecycle import Snapshot
from klachtenregister.lifecycle.events import (
    CORRECTABLE_FACTS,
    MAX_AMOUNT,
    MAX_COMMENTS,
    MAX_CORRECTION_REASON,
    MAX_FACT_VALUE,
    MAX_NOTE,
    MAX_VOID_REASON,
)
from klachtenregister.lifecycle.rules import cost_kinds
from klachtenregister.register import clock
from klachtenregister.register.models import Complaint, ComplaintPerson, Person
from klachtenregister.register.models.complaints import CHANNEL_CHOICES, FORM_OF_ADDRESS_CHOICES
from klachtenregister.register.selectors.people import assigned_name
from klachtenregister.register.services import fact_changes, fact_value
from klachtenregister.regulations.labels import OUTCOME_LABELS, own_label
from klachtenregister.regulations.schema import Regulation
from klachtenregister.regulations.vocabulary import Event

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

MAX_NAME = 200  # as the engine's Person
UNIT_CHOICES = [
    ("working_days", _("werkdagen")),
    ("days", _("dagen")),
    ("weeks", _("weken")),
    ("months", _("maanden")),
]


@dataclass(frozen=True)
class ActionContext:
    """What a form needs to offer sensible choices for this complaint now."""

    complaint: Complaint
    regulation: Regulation
    snapshot: Snapshot
    language: str

    # Members of the organisation who may handle this complaint (selectors.people).
    candidates: Sequence[User]
    # Who the complaint is about, by name: heard besides the complainant.
    subject_names: Sequence[str]
    # The organisation's people who may be assigned (selectors.people.assignable_people):
    # members and third parties without an account (issue 16 §2).
    people: Sequence[Person] = ()


# The first option of a select the user must choose from: nothing is chosen for them.
CHOOSE = ("", _("— kies —"))


def _outcome_choices(*outcomes: str) -> list[tuple[str, StrOrPromise]]:
    return [(outcome, _(OUTCOME_LABELS[outcome])) for outcome in outcomes]


def _to_choose(*outcomes: str) -> list[tuple[str, StrOrPromise]]:
    """The outcomes after an empty first choice."""
    return [CHOOSE, *_outcome_choices(*outcomes)]


def _choose(message: StrOrPromise) -> dict[str, StrOrPromise]:
    """The error of a required choice left empty."""
    return {"required": message}


def _choice_field(form: forms.Form, name: str) -> forms.ChoiceField:
    """A choice field of the form, to set its choices (``Form.fields`` holds plain ``Field``s)."""
    return cast(forms.ChoiceField, form.fields[name])


class ActionForm(HardenedText, forms.Form):
    """The fields every event has: the sequence the user saw, the date, a note, a document."""

    sequence = forms.IntegerField(widget=forms.HiddenInput)
    on = date_field(_("Datum"))
    note = forms.CharField(
        label=_("Toelichting"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    document = UploadField(
        label=_("Document"),
        required=False,
        help_text=_("Bijvoorbeeld het verslag, de brief of de beslissing."),
    )
    # Fields of the engine's details this form fills as they are named.
    detail_fields: tuple[str, ...] = ()
    # The event it records: set by the view that builds the form.
    event: Event

    def __init__(self, context: ActionContext, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.context = context
        self.fields["sequence"].initial = context.complaint.sequence
        self.fields["on"].initial = clock.today()
        self.setup()

    def setup(self) -> None:
        """Choices that depend on the complaint."""

    def clean_on(self) -> dt.date:
        on = self.cleaned_data["on"]
        if on > clock.today():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return on

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        details = {
            name: data[name] for name in self.detail_fields if data.get(name) not in ("", None)
        }
        if data.get("note"):
            details["note"] = data["note"]
        return details

    def people(self) -> dict[str, Any]:
        return {}

    def chosen_subjects(self) -> list[int] | None:
        """The organisation's people a correction keeps among the subjects (``Person`` ids);
        None for every other form."""
        return None


class InadmissibleForm(ActionForm):
    ground = forms.ChoiceField(label=_("Grond"), required=False)
    reason = forms.CharField(
        label=_("Motivering"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    detail_fields = ("ground", "reason")

    def setup(self) -> None:
        grounds = self.context.regulation.admissibility.grounds
        language = self.context.language
        _choice_field(self, "ground").choices = [("", "---------")] + [
            (ground.id, own_label(ground, language)) for ground in grounds
        ]
        suggested = self.context.snapshot.suggested_grounds
        if suggested:
            self.fields["ground"].initial = suggested[0].ground.id


class PeopleForm(ActionForm):
    """An event that names people of the organisation (issue 16 §2): the field's values are
    the user pks of members (as before people were records) or ``p<person pk>`` for a third
    party without an account; the details hold their names (for display and letters) and
    their person ids (``<field>_id(s)``, which the impartiality rules compare), ``people`` the
    user pks of those with an account."""

    people_field = ""
    # The details holding the chosen people's ids (lifecycle.events).
    ID_DETAILS: ClassVar[dict[str, str]] = {"handler": "handler_id", "members": "member_ids"}

    def setup(self) -> None:
        self.by_key: dict[str, Person] = {
            _person_key(person): person for person in self.context.people
        }
        choices: list[tuple[int | str, StrOrPromise]] = [
            (key, assigned_name(person)) for key, person in self.by_key.items()
        ]
        field = self.fields[self.people_field]
        assert isinstance(field, forms.TypedChoiceField | forms.TypedMultipleChoiceField)
        field.coerce = str  # the keys above; an unknown key is an invalid choice
        field.error_messages["invalid_choice"] = _(
            "Kies iemand van de eigen organisatie die deze klacht mag behandelen."
        )
        # A single choice starts empty: nobody is chosen for the user.
        multiple = isinstance(field, forms.MultipleChoiceField)
        field.choices = choices if multiple else [CHOOSE, *choices]

    def _chosen(self) -> list[Person]:
        chosen = self.cleaned_data[self.people_field]
        keys = chosen if isinstance(chosen, list) else [chosen]
        return [self.by_key[key] for key in keys]

    def details(self) -> dict[str, Any]:
        people = self._chosen()
        names = [assigned_name(person) for person in people]
        ids = [str(person.pk) for person in people]
        multiple = isinstance(self.cleaned_data[self.people_field], list)
        return {
            **super().details(),
            self.people_field: names if multiple else names[0],
            self.ID_DETAILS[self.people_field]: ids if multiple else ids[0],
        }

    def people(self) -> dict[str, Any]:
        users = [person.user_id for person in self._chosen() if person.user_id is not None]
        if isinstance(self.cleaned_data[self.people_field], list):
            return {self.people_field: users}
        return {self.people_field: users[0]} if users else {}


def _person_key(person: Person) -> str:
    """A member by their user pk (what the forms always posted), a third party by its pk."""
    return str(person.user_id) if person.user_id is not None else f"p{person.pk}"


class HandlerForm(PeopleForm):
    handler = forms.TypedChoiceField(
        label=_("Klachtbehandelaar"),
        coerce=int,
        error_messages=_choose(_("Kies een klachtbehandelaar.")),
    )
    people_field = "handler"
    # The handler's function is recorded with the name (Loket3, Handelswijze 2).
    function = NameField(label=_("Functie"), max_length=MAX_NAME, required=False)
    detail_fields = ("function",)


class CommitteeForm(PeopleForm):
    members = forms.TypedMultipleChoiceField(
        label=_("Leden van de klachtencommissie"),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choose(_("Kies de leden van de klachtencommissie.")),
    )
    people_field = "members"
    chair = forms.TypedChoiceField(
        label=_("Voorzitter"),
        coerce=int,
        required=False,
        empty_value=None,
        help_text=_("Ondertekent het advies van de commissie."),
    )

    def setup(self) -> None:
        super().setup()
        chair = self.fields["chair"]
        assert isinstance(chair, forms.TypedChoiceField)
        chair.coerce = str
        chair.choices = [
            CHOOSE,
            *((key, assigned_name(person)) for key, person in self.by_key.items()),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        chair, members = cleaned.get("chair"), cleaned.get("members") or []
        if chair is not None and members and chair not in members:
            self.add_error("chair", _("Kies de voorzitter uit de gekozen leden."))
        return cleaned

    def details(self) -> dict[str, Any]:
        details = super().details()
        chair = self.cleaned_data.get("chair")
        if chair is not None:
            details["chair"] = assigned_name(self.by_key[chair])
        return details


class ExternalPartyForm(ActionForm):
    party = NameField(label=_("Externe partij"), max_length=200, required=False)
    detail_fields = ("party",)


class ConsultationForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("Uitkomst"),
        choices=_to_choose("agreement", "no_agreement"),
        error_messages=_choose(_("Kies de uitkomst van het overleg.")),
    )
    detail_fields = ("outcome",)


class HearingForm(ActionForm):
    heard = names_field(_("Gehoord"), required=True)

    def setup(self) -> None:
        complaint = self.context.complaint
        names = [complaint.complainant_name] if complaint.complainant_name else []
        names += self.context.subject_names
        self.fields["heard"].initial = "\n".join(names)

    def clean_heard(self) -> list[str]:
        names = split_names(self.cleaned_data["heard"])
        too_long = [name for name in names if len(name) > MAX_NAME]
        if too_long:
            raise forms.ValidationError(
                _("Een naam is ten hoogste %(max)s tekens lang.") % {"max": MAX_NAME}
            )
        return names

    def details(self) -> dict[str, Any]:
        return {**super().details(), "heard": self.cleaned_data["heard"]}


class ExtensionForm(ActionForm):
    deadline = forms.ChoiceField(
        label=_("Termijn"), error_messages=_choose(_("Kies de termijn die u verlengt."))
    )
    amount = forms.IntegerField(label=_("Met"), min_value=1, max_value=3650)
    unit = forms.ChoiceField(label=_("Eenheid"), choices=UNIT_CHOICES, initial="weeks")
    reason = forms.CharField(label=_("Reden"), widget=forms.Textarea(attrs={"rows": 2}))
    consent = forms.BooleanField(
        label=_("De klager heeft schriftelijk ingestemd met deze verlenging"), required=False
    )

    def setup(self) -> None:
        snapshot, language = self.context.snapshot, self.context.language
        # Every unsettled term with an extension rule, also one past its due date today: an
        # extension agreed before the due date may be entered later, dated back. The engine
        # judges it as of its date.
        running = [
            view
            for view in snapshot.deadlines
            if view.rule.extension is not None and not view.settled
        ]
        _choice_field(self, "deadline").choices = [CHOOSE] + [
            (view.id, f"{own_label(view, language)} ({gettext('uiterlijk')} {view.due:%d-%m-%Y})")
            for view in running
        ]

    def details(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            **super().details(),
            "deadline": data["deadline"],
            "by": {"amount": data["amount"], "unit": data["unit"]},
            "reason": data["reason"],
            "consent": data["consent"],
        }


class DecisionForm(ActionForm):
    outcome = forms.ChoiceField(
        label=_("Oordeel"),
        choices=_to_choose("founded", "partly_founded", "unfounded"),
        error_messages=_choose(_("Kies een oordeel.")),
    )
    motivation = forms.CharField(label=_("Motivering"), widget=forms.Textarea(attrs={"rows": 4}))
    detail_fields = ("outcome", "motivation")


class MeasuresForm(ActionForm):
    type = forms.ChoiceField(
        label=_("Soort maatregel"),
        choices=_to_choose("corrective", "preventive"),
        error_messages=_choose(_("Kies een soort maatregel.")),
    )
    description = forms.CharField(
        label=_("Maatregel"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    detail_fields = ("type", "description")


class EscalationForm(ActionForm):
    to = forms.ChoiceField(label=_("Naar"), error_messages=_choose(_("Kies waarheen.")))
    detail_fields = ("to",)

    def setup(self) -> None:
        _choice_field(self, "to").choices = [CHOOSE] + [
            (route.id, route.label) for route in self.context.regulation.escalation
        ]


class ReasonForm(ActionForm):
    reason = forms.CharField(
        label=_("Reden"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    detail_fields = ("reason",)


NOTE_KINDS = ("telephone", "email", "conversation", "other")


class NoteForm(ActionForm):
    """A free note of a contact; its text is the note, so the form has no remark besides."""

    kind = forms.ChoiceField(
        label=_("Soort contact"), choices=_outcome_choices(*NOTE_KINDS), initial="telephone"
    )
    text = forms.CharField(
        label=_("Notitie"), max_length=MAX_NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )
    note = None  # type: ignore[assignment]
    detail_fields = ("kind", "text")


FORMS: dict[Event, type[ActionForm]] = {
    Event.DECLARED_INADMISSIBLE: InadmissibleForm,
    Event.HANDLER_ASSIGNED: HandlerForm,
    Event.COMMITTEE_APPOINTED: CommitteeForm,
    Event.EXTERNAL_PARTY_ENGAGED: ExternalPartyForm,
    Event.CONSULTATION_HELD: ConsultationForm,
    Event.HEARING_HELD: HearingForm,
    Event.EXTENDED: ExtensionForm,
    Event.DECISION_MADE: DecisionForm,
    Event.MEASURES_RECORDED: MeasuresForm,
    Event.ESCALATED: EscalationForm,
    Event.WITHDRAWN: ReasonForm,
    Event.CLOSED: ReasonForm,
    Event.REOPENED: ReasonForm,
    Event.NOTE_ADDED: NoteForm,
}


def form_class(event: Event) -> type[ActionForm]:
    return FORMS.get(event, ActionForm)


class VoidForm(ActionForm):
    """Voiding a registration made by mistake (a duplicate, a test): the reason is required."""

    reason = forms.CharField(
        label=_("Reden"),
        max_length=MAX_VOID_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Bijvoorbeeld: dubbel geregistreerd (zelfde klacht als ...), of een test. De klacht "
            "verdwijnt uit de termijnbewaking en uit alle cijfers; het nummer wordt niet opnieuw "
            "gebruikt."
        ),
    )
    detail_fields = ("reason",)


FORMS[Event.REGISTRATION_VOIDED] = VoidForm


class TodoDoneForm(ActionForm):
    """A to-do (a duty without a term) carried out by hand: which one."""

    todo = forms.ChoiceField(
        label=_("Taak"), error_messages=_choose(_("Kies de taak die is afgehandeld."))
    )
    detail_fields = ("todo",)

    def setup(self) -> None:
        language = self.context.language
        _choice_field(self, "todo").choices = [CHOOSE] + [
            (todo.id, own_label(todo, language)) for todo in self.context.snapshot.open_todos
        ]


FORMS[Event.TODO_DONE] = TodoDoneForm


class FactsCorrectionForm(ActionForm):
    """A correction of the facts recorded at registration, prefilled with the current ones. Only
    a fact the user changed is recorded (old and new); a fact left out of the post is unchanged.
    The reason is required."""

    complainant_name = NameField(label=_("Naam klager"), max_length=MAX_NAME, required=False)
    form_of_address = forms.ChoiceField(
        label=_("Aanspreekvorm in brieven"), choices=FORM_OF_ADDRESS_CHOICES, required=False
    )
    complainant_email = forms.EmailField(label=_("E-mailadres klager"), required=False)
    complainant_phone = forms.CharField(label=_("Telefoon klager"), max_length=50, required=False)
    complainant_address = forms.CharField(
        label=_("Adres klager"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    representative_name = NameField(
        label=_("Naam vertegenwoordiger"), max_length=MAX_NAME, required=False
    )
    representative_capacity = forms.CharField(
        label=_("Hoedanigheid vertegenwoordiger"), max_length=100, required=False
    )
    commissioning_party = NameField(label=_("Opdrachtgever"), max_length=200, required=False)
    manager_name = NameField(
        label=_("Betreffende leidinggevende"), max_length=MAX_NAME, required=False
    )
    category = forms.CharField(label=_("Categorie"), max_length=100, required=False)
    channel = forms.ChoiceField(label=_("Ontvangen via"), choices=CHANNEL_CHOICES)
    facts_date = date_field(_("Datum van de gebeurtenis"), required=False)
    description = forms.CharField(
        label=_("Omschrijving"), max_length=MAX_FACT_VALUE, widget=forms.Textarea(attrs={"rows": 4})
    )
    received_on = date_field(_("Ontvangen op"))
    # The subjects who are the organisation's people (issue 16 §2): ticked, they stay linked
    # whatever names the text below gives; the text holds the others.
    subject_people = forms.MultipleChoiceField(
        label=_("Beklaagden uit de organisatie"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Vink uit wie geen beklaagde meer is. Wie aangevinkt blijft, blijft van de klacht "
            "uitgesloten, hoe de namen hieronder ook gespeld zijn."
        ),
    )
    subjects = names_field(
        _("Beklaagden"),
        help_text=_(
            "Eén naam per regel, voor wie niet hierboven staat; de precieze naam van een "
            "medewerker wordt aan die medewerker gekoppeld. Wie hier bijkomt, kan de klacht niet "
            "(verder) behandelen of in de klachtencommissie zitten."
        ),
    )
    reason = forms.CharField(
        label=_("Reden van de correctie"),
        max_length=MAX_CORRECTION_REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = None  # type: ignore[assignment]

    def setup(self) -> None:
        complaint = self.context.complaint
        for name in CORRECTABLE_FACTS:
            current = fact_value(complaint, name)
            self.fields[name].initial = (
                "\n".join(current) if isinstance(current, list) else getattr(complaint, name)
            )
            if name not in ("channel", "description", "received_on"):
                self.fields[name].required = False
        # The prefetched people (access.complaint_for): no query.
        self.linked = {
            str(row.pk): row
            for row in sorted(complaint.people.all(), key=lambda row: row.pk)
            if row.relation == ComplaintPerson.SUBJECT and row.person_id is not None
        }
        people = self.fields["subject_people"]
        assert isinstance(people, forms.MultipleChoiceField)
        people.choices = [(key, row.name) for key, row in self.linked.items()]
        people.initial = list(self.linked)
        linked_names = {row.name for row in self.linked.values()}
        self.fields["subjects"].initial = "\n".join(
            name for name in fact_value(complaint, "subjects") or [] if name not in linked_names
        )
        if not self.linked:
            del self.fields["subject_people"]
        if self.is_bound:
            # A fact left out of the post is not corrected (and not required).
            for name in CORRECTABLE_FACTS:
                if name not in self.data:
                    self.fields[name].required = False

    def clean_received_on(self) -> dt.date | None:
        received_on: dt.date | None = self.cleaned_data.get("received_on")
        if received_on is not None and received_on > clock.today():
            raise forms.ValidationError(_("Deze datum ligt in de toekomst."))
        return received_on

    def clean_subjects(self) -> list[str]:
        names = split_names(self.cleaned_data.get("subjects") or "")
        if any(len(name) > MAX_NAME for name in names):
            raise forms.ValidationError(
                _("Een naam is ten hoogste %(max)s tekens lang.") % {"max": MAX_NAME}
            )
        return names

    def _posted_values(self) -> dict[str, object]:
        values: dict[str, object] = {
            name: self.cleaned_data.get(name)
            for name in CORRECTABLE_FACTS
            if name in self.data and name in self.cleaned_data
        }
        if "subjects" in values:
            # The people kept, then the names typed (the service records each once).
            typed = values["subjects"]
            values["subjects"] = [*self._kept_people(), *(typed if isinstance(typed, list) else [])]
        return values

    def _kept_people(self) -> list[Person]:
        keys = self.cleaned_data.get("subject_people") or []
        rows = [self.linked[key] for key in keys if key in self.linked]
        return [row.person for row in rows if row.person is not None]

    def chosen_subjects(self) -> list[int] | None:
        if "subjects" not in self.data or "subjects" not in self.cleaned_data:
            return None
        return [person.pk for person in self._kept_people()] or None

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not fact_changes(self.context.complaint, self._posted_values()):
            raise forms.ValidationError(_("Er is niets gewijzigd."))
        return cleaned

    def details(self) -> dict[str, Any]:
        return {
            "changes": fact_changes(self.context.complaint, self._posted_values()),
            "reason": self.cleaned_data["reason"],
        }


FORMS[Event.FACTS_CORRECTED] = FactsCorrectionForm


class PutInWritingForm(ActionForm):
    """The complaint put in writing after it came in on another channel: by letter, or on the
    complaint form the complainant signed."""

    form = forms.ChoiceField(
        label=_("Op schrift gesteld met"),
        choices=_outcome_choices("letter", "signed_form"),
        initial="letter",
    )
    detail_fields = ("form",)


FORMS[Event.COMPLAINT_PUT_IN_WRITING] = PutInWritingForm

COMPLAINT_ITEM_LABELS = {
    "name": _("naam van de klager"),
    "address": _("adres van de klager"),
    "date": _("datum"),
    "subject": _("tegen wie of wat de klacht is gericht"),
    "description": _("omschrijving van de gedraging"),
    "signature": _("ondertekening"),
}


class CompletionRequestForm(ActionForm):
    """Asking the complainant to complete what a complaint must contain: what is missing, from
    the regulation's required contents."""

    missing = forms.MultipleChoiceField(
        label=_("Wat ontbreekt"),
        widget=forms.CheckboxSelectMultiple,
        error_messages=_choose(_("Kies wat er ontbreekt.")),
    )
    detail_fields = ("missing",)

    def setup(self) -> None:
        required = self.context.regulation.definitions.required_contents
        items = required.items if required is not None else []
        cast(forms.MultipleChoiceField, self.fields["missing"]).choices = [
            (item.value, COMPLAINT_ITEM_LABELS[item.value]) for item in items
        ]


FORMS[Event.COMPLETION_REQUESTED] = CompletionRequestForm


class StageForm(ActionForm):
    """The next handling stage of the regulation, when the complainant is not satisfied."""

    stage = forms.ChoiceField(label=_("Fase"), error_messages=_choose(_("Kies de fase.")))
    detail_fields = ("stage",)

    def setup(self) -> None:
        _choice_field(self, "stage").choices = [CHOOSE] + [
            (stage.id, own_label(stage, self.context.language))
            for stage in self.context.regulation.handling.stages
        ]


FORMS[Event.STAGE_STARTED] = StageForm


# --- consent and agreements (issue 14 §4) -------------------------------------------------------


class ConsentForm(ActionForm):
    """The complainant's consent to the organisation handling the complaint itself (Iskander,
    stroomschema rij 2); refused, an external party is engaged before the handling goes on."""

    outcome = forms.ChoiceField(
        label=_("Toestemming van de klager"),
        choices=_to_choose("given", "refused"),
        error_messages=_choose(_("Kies of de klager toestemming geeft.")),
    )
    detail_fields = ("outcome",)


FORMS[Event.CONSENT_RECORDED] = ConsentForm


class TermAgreedForm(ActionForm):
    """A new term agreed with the complainant when the decision comes late (IN FOCUS Samen, De
    procedure 6): which term, and the agreed date."""

    deadline = forms.ChoiceField(
        label=_("Termijn"),
        error_messages=_choose(_("Kies de termijn waarover u afspraken maakte.")),
    )
    due = date_field(_("Afgesproken datum"))
    reason = forms.CharField(
        label=_("Reden"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    detail_fields = ("deadline", "due", "reason")

    def setup(self) -> None:
        snapshot, language = self.context.snapshot, self.context.language
        agreeable = [
            view
            for view in snapshot.deadlines
            if view.rule.extension is not None
            and view.rule.extension.by_agreement
            and not view.settled
        ]
        _choice_field(self, "deadline").choices = [CHOOSE] + [
            (view.id, f"{own_label(view, language)} ({gettext('uiterlijk')} {view.due:%d-%m-%Y})")
            for view in agreeable
        ]


FORMS[Event.TERM_AGREED] = TermAgreedForm


class HearingReportReturnedForm(ActionForm):
    """A hearing report sent for signature came back: signed, or with comments."""

    outcome = forms.ChoiceField(
        label=_("Verslag terug"),
        choices=_to_choose("signed", "commented"),
        error_messages=_choose(_("Kies of het verslag is ondertekend of opmerkingen heeft.")),
    )
    comments = forms.CharField(
        label=_("Opmerkingen"),
        required=False,
        max_length=MAX_COMMENTS,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    detail_fields = ("outcome", "comments")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("outcome") == "commented" and not cleaned.get("comments"):
            self.add_error("comments", _("Vul de opmerkingen op het verslag in."))
        return cleaned


FORMS[Event.HEARING_REPORT_RETURNED] = HearingReportReturnedForm


class CostsForm(ActionForm):
    """Costs on the complaint: representation at the complainant's own cost (Iskander), travel
    expenses reimbursed (SmartPLUS Punt 6); the kinds the regulation speaks of."""

    kind = forms.ChoiceField(
        label=_("Soort kosten"), error_messages=_choose(_("Kies de soort kosten."))
    )
    amount = forms.DecimalField(
        label=_("Bedrag (euro)"),
        min_value=0,
        max_value=MAX_AMOUNT - 1,
        max_digits=9,
        decimal_places=2,
    )
    description = forms.CharField(
        label=_("Omschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    detail_fields = ("kind", "amount", "description")

    def setup(self) -> None:
        _choice_field(self, "kind").choices = [
            CHOOSE,
            *_outcome_choices(*cost_kinds(self.context.regulation)),
        ]

    def details(self) -> dict[str, Any]:
        details = super().details()
        if "amount" in details:
            details["amount"] = str(details["amount"])  # as the log stores it
        return details


FORMS[Event.COSTS_RECORDED] = CostsForm
