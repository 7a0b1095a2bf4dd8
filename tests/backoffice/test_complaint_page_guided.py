"""The complaint page, findable and guided (issue 12 §5): the handler and committee in the facts
block, "Wat kan nu" grouped (what meets a running term, the next steps of the regulation's
path, the rest folded away), no preselected handler or outcome, and the regulation's path for
this complaint at the top (docs/backoffice.md, "The complaint page").

Iskander: a complaint about Jan registered by the klachtenfunctionaris Klara on Mon 19 Apr 2027.
Its acknowledgement term is 5 werkdagen (Tue 27 Apr is Koningsdag: due Mon 26 Apr), its overall
term 4 weeks (Mon 17 May is Whit Monday: due Tue 18 May).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import User
from django.test import Client

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import Staff, UserFactory
from tests.support.clock_and_race import Clock
from tests.support.webflows import (
    Node,
    act,
    action_forms,
    complaint_url,
    page_error,
    parse,
    problem,
    register,
    stored_log,
)


@dataclass
class Case:
    client: Client
    clock: Clock
    complaint: Complaint
    piet: User


@pytest.fixture
def case(client: Client, clock: Clock, iskander: Organisation, klara: User, piet: User) -> Case:
    UserFactory(username="jan", memberships=[(iskander, RoleKind.HANDLER)], email="")
    clock.set("2027-04-19")
    client.force_login(klara)
    complaint = register(
        client, "iskander", "2027-04-19", facts_date="2027-04-09", subjects=["jan"]
    )
    return Case(client, clock, complaint, piet)


def in_treatment(case: Case) -> None:
    case.clock.set("2027-04-20")
    for event, fields in (
        ("acknowledged", {}),
        ("accepted", {}),
        ("handler_assigned", {"handler": case.piet.pk}),
    ):
        response = act(case.client, case.complaint, event, "2027-04-20", **fields)
        assert response.status_code == 302, problem(response)


def page(case: Case) -> Node:
    response = case.client.get(complaint_url(case.complaint))
    assert response.status_code == 200
    return parse(response.content)


def fact(html: Node, node_id: str) -> str:
    node = html.find("dd", {"id": node_id})
    assert node is not None, f"no {node_id} in the facts block"
    return node.text()


def groups(html: Node) -> dict[str, list[str]]:
    """The actions of "Wat kan nu" per group, in the page's order."""
    section = html.find("section", {"aria-labelledby": "actions"})
    assert section is not None
    folded = section.find("details", {"id": "actions-other"})
    other = [] if folded is None else folded.find_all("details", {"class": "action"})
    result: dict[str, list[str]] = {"meets": [], "path": [], "other": []}
    group = ""
    for node in section.iter():
        if node.tag == "h3":
            group = node.attrs["id"].removeprefix("actions-")
        elif node.tag == "details" and "action" in node.attrs.get("class", "").split():
            key = "other" if node in other else group
            result[key].append(node.attrs["id"].removeprefix("action-"))
    return result


def path_steps(html: Node) -> dict[str, list[str]]:
    section = html.find("section", {"id": "path"})
    assert section is not None, "no path overview"
    steps: dict[str, list[str]] = {"done": [], "now": [], "to-come": []}
    for item in section.find_all("li"):
        steps[item.attrs["data-path"]].append(item.text())
    return steps


# --- the facts block ------------------------------------------------------------------------


def test_the_facts_name_the_handler_once_assigned(case: Case) -> None:
    assert fact(page(case), "fact-handler") == "nog niet aangewezen"
    # Iskander has no committee: no committee row.
    assert page(case).find("dd", {"id": "fact-committee"}) is None

    in_treatment(case)

    assert fact(page(case), "fact-handler") == "Piet Pietersen"


def test_the_facts_name_the_committee_once_appointed(
    client: Client, clock: Clock, organisation: Callable[[str], Organisation], staff: Staff
) -> None:
    integratiewerk = organisation("integratiewerk")
    sam = staff(integratiewerk, email="")
    UserFactory(
        username="cora",
        full_name="Cora Commissie",
        memberships=[(integratiewerk, RoleKind.COMMITTEE)],
        email="",
    )
    clock.set("2027-04-19")
    client.force_login(sam)
    complaint = register(client, integratiewerk.slug, "2027-04-19")
    html = parse(client.get(complaint_url(complaint)).content)
    assert fact(html, "fact-committee") == "nog niet aangewezen"
    form = action_forms(client.get(complaint_url(complaint)).content)["committee_appointed"]
    members = [value for value, label in form.choices("members") if label == "Cora Commissie"]

    response = act(client, complaint, "committee_appointed", "2027-04-19", members=members)
    assert response.status_code == 302, problem(response)

    html = parse(client.get(complaint_url(complaint)).content)
    assert fact(html, "fact-committee") == "Cora Commissie"


# --- "Wat kan nu", grouped ----------------------------------------------------------------------


def test_a_just_registered_complaint_offers_the_acknowledgement_first(case: Case) -> None:
    html = page(case)
    found = groups(html)

    assert found["meets"][0] == "acknowledged"
    assert set(found["meets"]) == {"acknowledged", "resolved_informally"}
    # The next steps of the path, in the regulation's course.
    assert found["path"][:4] == [
        "accepted",
        "declared_inadmissible",
        "handler_assigned",
        "consultation_held",
    ]
    # Iskander names no escalation route (stroomschema rij 2 en 5): 'escalated' is not offered.
    assert {"withdrawn", "external_party_engaged", "note_added"} <= set(found["other"])
    assert "escalated" not in found["other"]
    assert not {"withdrawn", "escalated"} & set(found["meets"] + found["path"])
    # Folded away: closed by default.
    folded = html.find("details", {"id": "actions-other"})
    assert folded is not None and "open" not in folded.attrs


def test_a_complaint_in_treatment_offers_the_next_steps(case: Case) -> None:
    in_treatment(case)
    found = groups(page(case))

    # Only the overall term runs: settling it informally meets it; deciding is the next step.
    assert found["meets"] == ["resolved_informally"]
    # Stroomschema rij 6: the hearing is offered, then held or declined, before the judgement.
    assert {"hearing_invitation_sent", "hearing_held"} <= set(found["path"])
    assert "decision_made" not in found["path"]
    assert "acknowledged" not in found["meets"] + found["path"] + found["other"]
    assert "withdrawn" in found["other"]


def test_a_folded_form_posted_with_an_error_is_shown_open(case: Case) -> None:
    # (Iskander offers no 'escalated', stroomschema rij 2 en 5; a note is folded away too.)
    response = act(case.client, case.complaint, "note_added", "2027-04-19", kind="telephone")

    assert response.status_code == 400
    html = parse(response.content)
    folded = html.find("details", {"id": "actions-other"})
    assert folded is not None and "open" in folded.attrs
    noted = html.find("details", {"id": "action-note_added"})
    assert noted is not None and "open" in noted.attrs


# --- no preselection ----------------------------------------------------------------------------


def test_the_handler_select_has_nothing_chosen(case: Case) -> None:
    form = action_forms(case.client.get(complaint_url(case.complaint)).content)["handler_assigned"]
    select = form.node.find("select", {"name": "handler"})
    assert select is not None
    # No person is selected: the browser shows the empty first choice.
    chosen = [option.attrs["value"] for option in select.find_all("option", {"selected": True})]
    assert chosen in ([], [""])
    assert form.choices("handler")[0] == ("", "— kies —")
    assert "Piet Pietersen" in [label for _value, label in form.choices("handler")]


def test_posting_without_a_handler_is_refused_with_a_message(case: Case) -> None:
    before = len(stored_log(case.complaint))

    response = act(case.client, case.complaint, "handler_assigned", "2027-04-19")

    assert response.status_code == 400
    html = parse(response.content)
    assert page_error(response.content) == "Controleer de gegevens van 'behandelaar aangewezen'."
    form = html.find("details", {"id": "action-handler_assigned"})
    assert form is not None and "open" in form.attrs
    assert "Kies een klachtbehandelaar." in form.text()
    assert len(stored_log(case.complaint)) == before


def test_posting_a_decision_without_an_outcome_is_refused(case: Case) -> None:
    in_treatment(case)
    heard = act(case.client, case.complaint, "hearing_held", "2027-04-20", heard="Mevrouw De Vries")
    assert heard.status_code == 302, problem(heard)
    form = action_forms(case.client.get(complaint_url(case.complaint)).content)["decision_made"]
    assert form.choices("outcome")[0] == ("", "— kies —")

    response = act(case.client, case.complaint, "decision_made", "2027-04-20", motivation="Zo.")

    assert response.status_code == 400
    assert "Kies een oordeel." in parse(response.content).text()


# --- the path overview --------------------------------------------------------------------------


def test_the_path_overview_of_a_just_registered_complaint(case: Case) -> None:
    steps = path_steps(page(case))

    assert [step.split(" ", 1)[1] for step in steps["done"]] == [
        "Klacht ingediend ma 19-04-2027",
        "Klacht opgenomen in klachtenregistratiesysteem ma 19-04-2027",
    ]
    assert len(steps["now"]) == 2
    assert "Schriftelijke ontvangstbevestiging" in steps["now"][0]
    assert "uiterlijk ma 26-04-2027" in steps["now"][0]
    assert "Klacht afgehandeld binnen vier weken" in steps["now"][1]
    assert "uiterlijk di 18-05-2027" in steps["now"][1]
    assert steps["to-come"][0].startswith("○ Ontvangstbevestiging verstuurd")
    assert steps["to-come"][-1].startswith("○ Klacht afgerond")


def test_the_path_overview_moves_on_with_the_complaint(case: Case) -> None:
    in_treatment(case)
    steps = path_steps(page(case))

    assert [step.split(" ", 1)[1] for step in steps["done"]][2:] == [
        "Ontvangstbevestiging verstuurd di 20-04-2027",
        "Klacht in behandeling genomen di 20-04-2027",
        "Behandelaar bepaald di 20-04-2027",
    ]
    assert len(steps["now"]) == 1 and "uiterlijk di 18-05-2027" in steps["now"][0]
    to_come = " ".join(steps["to-come"])
    assert "Ontvangstbevestiging" not in to_come
    assert "Behandelaar bepaald" not in to_come
    assert "Klacht beoordeeld" in to_come
