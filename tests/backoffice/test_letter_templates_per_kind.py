"""An organisation's own wording per kind of addressee (docs/letters.md "Templates"): besides the
wording for the letter's first recipient, one for each other kind the letter has. Integratiewerk's
acknowledgement goes to the complainant with a copy to the manager; the coordinator writes the
copy's wording on the *Brieven* pages, through HTTP, and the manager's copy (only) says it.
"""

from __future__ import annotations

from collections.abc import Callable

from django.test import Client

from klachtenregister.correspondence.models import LetterTemplate
from klachtenregister.letters.defaults import Kind, default_wording
from klachtenregister.register.models import Organisation
from klachtenregister.register.selectors.regulations import (
    regulation_version_for,
    stored_regulation,
)
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock, day
from tests.support.letters import Story, check_letters, pdf_text, rule_of
from tests.support.webflows import parse, problem, url

ACK = "ontvangstbevestiging"
COPY_SENTENCE = "U ontvangt dit afschrift als leidinggevende; u hoeft er niets mee te doen."


def test_a_wording_of_its_own_for_the_copy_to_the_manager(
    client: Client, staff: Staff, organisation: Callable[[str], Organisation], clock: Clock
) -> None:
    integratiewerk = organisation("integratiewerk")
    ingrid = UserFactory(
        username="ingrid",
        full_name="Ingrid de Graaf",
        memberships=[(integratiewerk, RoleKind.MANAGER)],
        email="ingrid@integratiewerk.example",
    )
    office = staff(integratiewerk)
    client.force_login(office)
    listing = parse(client.get(url("letter_templates", "integratiewerk")).content)
    [row] = [tr for tr in listing.find_all("tr") if tr.attrs.get("data-letter") == ACK]
    copies = row.find("ul", {"data-kind": "copy"})
    assert copies is not None, "the list offers the copy's wording"
    nl = copies.find("li", {"data-language": "nl"})
    assert nl is not None and nl.attrs["data-own"] == "no"
    link = nl.find("a")
    assert link is not None
    edit = link.attrs["href"]
    assert edit.endswith("?voor=copy")

    page = parse(client.get(edit).content)
    kind = page.find(attrs={"id": "wording-kind"})
    assert kind is not None and kind.text() == "voor afschrift ter informatie"
    body = page.find("textarea", {"name": "body"})
    assert body is not None
    regulation = stored_regulation(regulation_version_for(integratiewerk, day("2027-04-19")))
    rule = rule_of(regulation.regulation, ACK)
    default = default_wording(rule, "nl", Kind.COPY)
    # The form offers the copy's default wording.
    assert body.text().split() == default.body.split()

    salutation, rest = default.body.split("\n\n", 1)
    response = client.post(
        edit,
        {
            "subject": default.subject,
            "body": f"{salutation}\n\n{COPY_SENTENCE}\n\n{rest}",
            "action": "save",
        },
    )
    assert response.status_code == 302, problem(response)
    assert response["Location"].endswith("?voor=copy")
    assert LetterTemplate.objects.get(letter_id=ACK, language="nl").kind == "copy"

    story = Story(integratiewerk, office, clock)
    # The copy goes to the complaint's own leidinggevende (Klachtenprocedure 3 en 7).
    story.register(
        "2027-04-22", facts_date=day("2027-03-15"), manager_name="Ingrid de Graaf", manager=ingrid
    )
    story.step("acknowledged", "2027-04-23")
    check_letters(story.complaint, {ACK: []})
    texts = {letter.is_copy: pdf_text(letter) for letter in story.complaint.letters.all()}
    assert COPY_SENTENCE in texts[True]
    assert COPY_SENTENCE not in texts[False]
