"""Sending letters with their event: the complainant's language, a refused write, e-mail through
the outbox and post without it, and copies marked as such (docs/letters.md)."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from pypdf import PdfReader

from klachtenregister.correspondence.compose import compose
from klachtenregister.correspondence.models import Letter, LetterTemplate, OutboxMessage
from klachtenregister.correspondence.prefill import Prefill
from klachtenregister.correspondence.services import LetterOrder, preview
from klachtenregister.correspondence.wording import wording_for, wording_problems
from klachtenregister.register.errors import InvalidDetails
from klachtenregister.register.models import ComplaintEvent, Document, Organisation
from klachtenregister.register.selectors.history import lifecycle_of
from klachtenregister.register.services import NewEvent
from klachtenregister.regulations.vocabulary import Content, Event, RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock, day
from tests.support.letters import (
    PERSON_TEXTS,
    Story,
    check_letters,
    normal,
    pdf_bytes,
    pdf_text,
    rule_of,
)

OrganisationGetter = Callable[[str], Organisation]


def _smartplus_story(
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
    **fields: Any,
) -> Story:
    """A SmartPLUS complaint received Mon 19 Apr 2027 about 12 Apr, Eva Schouten its handler
    (without an e-mail address)."""
    smartplus = organisation("smartplus")
    eva = UserFactory(
        username="eva",
        full_name="Eva Schouten",
        memberships=[(smartplus, RoleKind.HANDLER)],
        email="",
    )
    story = Story(smartplus, staff(smartplus), clock)
    story.register("2027-04-19", facts_date=day("2027-04-12"), **fields)
    story.assign("2027-04-20", eva)
    return story


def test_a_complainant_who_chose_english_gets_an_english_letter(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    story = _smartplus_story(
        organisation,
        staff,
        clock,
        complainant_name="Lucas van der Linden",
        complainant_language="en",
        description="The coach only speaks Dutch in our sessions.",
    )
    [letter] = story.step(
        "acknowledged",
        "2027-04-26",
        written={
            "facts": "Three sessions were held in Dutch only.",
            "outcome": "Sessions in English, as agreed at the intake.",
        },
    )

    assert letter.language == "en"
    text = pdf_text(letter)
    for english in [
        "Receipt of the complaint, reference SP-2027-0001",  # the subject line, in English
        "Dear Lucas van der Linden,",
        "We hereby confirm that we have received your complaint.",
        "Date of the events the complaint is about: 12 April 2027.",
        "Date of this acknowledgement: 26 April 2027.",
        "The complaint is handled by Eva Schouten.",
        "Your contact person is Eva Schouten.",
        "The facts as we see them: Three sessions were held in Dutch only.",
        "within 4 weeks after receipt of your complaint, by 18 May 2027",  # the expected term
        "If you have any questions, please contact us and quote reference SP-2027-0001.",
    ]:
        assert english in text, f"{english!r} not in the letter:\n{text}"
    for dutch in ["Hierbij bevestigen wij", "april", "mei", "Geachte", "binnen", "ontvangst"]:
        assert dutch not in text, f"Dutch {dutch!r} in the English letter:\n{text}"
    assert letter.subject == "Receipt of the complaint, reference SP-2027-0001"


def _files(root: Path) -> set[Path]:
    return {path for path in root.rglob("*") if path.is_file()}


def test_a_required_content_left_empty_refuses_the_whole_write(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
    media_root: Path,
) -> None:
    story = _smartplus_story(organisation, staff, clock, subjects=[("Frank de Wit", None)])
    story.step("subject_informed", "2027-04-20")  # a letter already kept: its file must stay
    complaint = story.complaint
    complaint.refresh_from_db()
    sequence, files = complaint.sequence, _files(media_root)
    counts = (
        ComplaintEvent.objects.count(),
        Letter.objects.count(),
        Document.objects.count(),
        OutboxMessage.objects.count(),
    )
    assert files, "the letter to the employee is kept on disk"

    # The facts are only known to the person writing the letter, and they left them empty.
    with pytest.raises(InvalidDetails) as refused:
        story.step("acknowledged", "2027-04-26", written={"facts": "", "outcome": "Excuses."})

    assert "Ontvangstbevestiging" in refused.value.message
    assert "mist: feiten" in refused.value.message
    complaint.refresh_from_db()
    assert complaint.sequence == sequence
    assert not complaint.events.filter(event="acknowledged").exists()
    assert (
        ComplaintEvent.objects.count(),
        Letter.objects.count(),
        Document.objects.count(),
        OutboxMessage.objects.count(),
    ) == counts
    assert _files(media_root) == files


def test_letters_by_email_go_through_the_outbox_with_their_pdf_and_letters_by_post_do_not(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    # The complainant has an e-mail address; the employee complained about is known by name only.
    story = _smartplus_story(organisation, staff, clock, subjects=[("Frank de Wit", None)])
    story.step("subject_informed", "2027-04-20")
    story.step("acknowledged", "2027-04-26", written={"outcome": "Excuses."})
    story.step("accepted", "2027-04-26")
    story.step("hearing_invitation_sent", "2027-04-27")

    letters = list(story.complaint.letters.order_by("pk"))
    by_email = [letter for letter in letters if letter.delivery == "email"]
    by_post = [letter for letter in letters if letter.delivery == "post"]
    assert {letter.addressee_name for letter in by_email} == {"Mevrouw De Vries"}
    assert {letter.addressee_name for letter in by_post} == {"Frank de Wit"}
    assert len(by_email) + len(by_post) == len(letters) == 4
    for letter in by_email:
        [message] = OutboxMessage.objects.filter(letter=letter)
        assert message.to_address == "de.vries@example.nl"
        assert message.subject == letter.subject
        assert message.attachment_id == letter.document_id
        assert pdf_bytes(letter).startswith(b"%PDF-")
        assert letter.posted_on is None
    for letter in by_post:
        assert not OutboxMessage.objects.filter(letter=letter).exists()
        assert letter.posted_on == letter.dated_on
    assert OutboxMessage.objects.filter(complaint=story.complaint).count() == len(by_email)


def test_a_copy_is_marked_as_such(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    integratiewerk = organisation("integratiewerk")
    ingrid = UserFactory(
        username="ingrid",
        full_name="Ingrid de Graaf",
        memberships=[(integratiewerk, RoleKind.MANAGER)],
        email="ingrid@integratiewerk.example",
    )
    story = Story(integratiewerk, staff(integratiewerk), clock)
    story.register("2027-04-22", manager_name="Ingrid de Graaf", manager=ingrid)
    story.step("acknowledged", "2027-05-10")

    letters = check_letters(story.complaint, {"ontvangstbevestiging": ["22 april 2027"]})
    original = [letter for letter in letters if not letter.is_copy]
    copies = [letter for letter in letters if letter.is_copy]
    assert [letter.addressee_name for letter in original] == ["Mevrouw De Vries"]
    # Integratiewerk's leidinggevende of this complaint gets a copy.
    assert [letter.addressee_name for letter in copies] == ["Ingrid de Graaf"]
    assert all(letter.party == "manager" for letter in copies)
    for letter in copies:
        assert "Afschrift" in pdf_text(letter)
    assert "Afschrift" not in pdf_text(original[0])


def test_integratiewerk_klachtenprocedure_3_en_7_copies_go_to_the_complaints_own_manager_only(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    # "De betreffende leidinggevende ontvangt hiervan een afschrift" (3); the decision goes to
    # "de klager en de betreffende leidinggevende" (7): the manager of this complaint, not every
    # manager of the foundation.
    integratiewerk = organisation("integratiewerk")
    for username, name in (("ingrid", "Ingrid de Graaf"), ("karel", "Karel Kok")):
        UserFactory(
            username=username,
            full_name=name,
            memberships=[(integratiewerk, RoleKind.MANAGER)],
            email=f"{username}@integratiewerk.example",
        )
    # Registered with the name only (no member linked): the copy goes by post to Karel.
    story = Story(integratiewerk, staff(integratiewerk), clock)
    story.register("2027-04-22", manager_name="Karel Kok", manager=None)
    story.step("acknowledged", "2027-05-10")
    copies = [letter for letter in story.complaint.letters.all() if letter.is_copy]
    assert [(letter.addressee_name, letter.party) for letter in copies] == [
        ("Karel Kok", "manager")
    ]


def test_without_a_recorded_manager_no_manager_gets_a_copy(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    integratiewerk = organisation("integratiewerk")
    UserFactory(
        username="ingrid",
        full_name="Ingrid de Graaf",
        memberships=[(integratiewerk, RoleKind.MANAGER)],
        email="ingrid@integratiewerk.example",
    )
    story = Story(integratiewerk, staff(integratiewerk), clock)
    story.register("2027-04-22")
    story.step("acknowledged", "2027-05-10")
    assert [letter.addressee_name for letter in story.complaint.letters.all()] == [
        "Mevrouw De Vries"
    ]


def test_an_own_wording_that_fails_on_the_texts_falls_back_to_the_default(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    # Saved when it passed the check (two nested loops are allowed, and with the sample texts
    # it renders small); a long text of the complaint makes it grow past the render budget.
    story = _smartplus_story(organisation, staff, clock)
    required = " ".join(
        "{{ " + c + " }}"
        for c in ("facts_date", "acknowledgement_date", "handler", "contact_person", "facts")
    )
    LetterTemplate.objects.create(
        organisation=story.organisation,
        letter_id="ontvangstbevestiging",
        language="nl",
        subject="Eigen onderwerp {{ reference }}",
        body=required + " {{ expected_term }}\n\n"
        "{% for a in facts %}{% for b in facts %}x{% endfor %}{% endfor %}",
    )
    rule = rule_of(story.regulation, "ontvangstbevestiging")
    assert wording_problems(rule, wording_for(story.organisation, rule, "nl"), "nl") == []

    long_facts = "Het traject liep anders dan afgesproken. " * 20
    # The preview tells the person sending it that the default wording is used, and why.
    clock.set("2027-04-26")
    pdf = preview(
        story.complaint,
        story.actor,
        NewEvent(Event.ACKNOWLEDGED, day("2027-04-26")),
        [LetterOrder("ontvangstbevestiging", written={**PERSON_TEXTS, "facts": long_facts})],
    )
    shown = normal(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages))
    assert "De eigen tekst van de brief 'Ontvangstbevestiging' kon niet worden ingevuld" in shown
    assert "de standaardtekst is gebruikt" in shown

    [letter] = story.step("acknowledged", "2027-04-26", written={"facts": long_facts})
    assert "kon niet worden ingevuld" not in pdf_text(letter)  # the letter itself does not say so

    text = pdf_text(letter)
    assert "Hierbij bevestigen wij dat wij uw klacht hebben ontvangen." in text  # the default
    assert "xxxx" not in text
    assert letter.subject.startswith("Ontvangst van de klacht")
    # The person sending it is told why (the composed letter carries the notice).
    complaint = story.complaint
    [composed] = compose(
        complaint,
        lifecycle_of(complaint).status(day("2027-04-26")),
        rule,
        dated_on=day("2027-04-26"),
        signatory="Sam",
        written={"facts": long_facts},
        offered={},
    )
    assert "standaardtekst is gebruikt" in composed.notice


def test_an_anonymous_complainant_without_an_address_gets_no_letter(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    iskander = organisation("iskander")
    story = Story(iskander, staff(iskander), clock)
    story.register(
        "2027-04-19", anonymous=True, complainant_name="", complainant_email="", channel="oral"
    )
    letters = story.step("acknowledged", "2027-04-21")

    assert letters == []
    assert not Letter.objects.filter(complaint=story.complaint).exists()
    assert not OutboxMessage.objects.filter(complaint=story.complaint).exists()


def test_a_term_with_its_own_letter_text_is_explained_in_those_words(
    db: None,
    organisation: OrganisationGetter,
    staff: Staff,
    clock: Clock,
) -> None:
    iskander = organisation("iskander")
    story = Story(iskander, staff(iskander), clock)
    story.register("2027-04-19")
    regulation = story.regulation
    own = "Na het gesprek hoort u binnen een week van ons hoe het verder gaat."
    deadlines = [
        d.model_copy(update={"letter_text": own}) if d.id == "vervolginformatie" else d
        for d in regulation.deadlines
    ]
    snapshot = lifecycle_of(story.complaint).status(day("2027-04-21"))
    snapshot = dataclasses.replace(
        snapshot, regulation=regulation.model_copy(update={"deadlines": deadlines})
    )
    text = Prefill(story.complaint, snapshot, "nl", day("2027-04-21")).values(
        [Content.PROCEDURE_INFORMATION]
    )["procedure_information"]
    assert f"- {own}" in text
    assert "In dat geval laten wij u ook binnen" not in text  # the built sentence it replaces
    assert "U krijgt binnen 5 werkdagen na ontvangst van uw klacht" in text  # the others stay
