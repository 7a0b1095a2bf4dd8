"""All complaints of an organisation (``selectors.complaint_list``): the search in the derived
``search_text`` (accents and case ignored, every word), a reference by prefix, every filter, the
order, the access rules of ``access.visible_complaints``, hostile parameters, and the export.

Three Iskander complaints and one of Loket3, written through the services:
- A (ISK-2027-0001), received Mon 19 Apr 2027 from Fatima el Idrissi about Jan Jansen, handled by
  Piet; acknowledged late (3 May: the acknowledgement term, due 26 Apr, is missed), an external
  party engaged (no escalation: Iskander names no route), decided founded ("De coördinator
  ..."), closed on Mon 3 May.
- B (ISK-2027-0002), received Tue 20 Apr by e-mail from Karel de Groot, represented by Ömer
  Çelik, for the Gemeente Utrecht; acknowledged on time; no handler.
- C (ISK-2027-0003), received Wed 21 Apr, decided unfounded, closed and reopened on 3 May.
- X, Loket3's, received 3 May and escalated to the opdrachtgever.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.http import QueryDict

from klachtenregister.register.models import Complaint, Organisation
from klachtenregister.register.search import normalise
from klachtenregister.register.selectors.complaint_list import (
    ComplaintQuery,
    category_labels,
    choices,
    export_table,
    search_complaints,
)
from klachtenregister.register.services import register_complaint
from klachtenregister.regulations.vocabulary import RoleKind
from tests.factories import UserFactory
from tests.support.clock_and_race import Clock, day
from tests.support.complaints import complaint_data, record


@dataclass
class World:
    klara: User
    piet: User
    jan: User
    a: Complaint
    b: Complaint
    c: Complaint
    elsewhere: Complaint
    iskander: Organisation
    loket: User  # Loket3's coordinator; Iskander names no escalation route, Loket3 does

    def found(self, user: User | None = None, **params: Any) -> list[str]:
        query = ComplaintQuery.from_params(params)
        assert query.problems == (), query.problems
        names = {self.a.pk: "A", self.b.pk: "B", self.c.pk: "C", self.elsewhere.pk: "X"}
        complaints = search_complaints(user or self.klara, self.iskander, query)
        return [names[c.pk] for c in complaints]


def _decide_and_close(complaint: Complaint, klara: User, outcome: str, on: str) -> None:
    record(complaint, klara, "accepted", on)
    # Stroomschema rij 6: the complainant was heard before the judgement.
    record(complaint, klara, "hearing_held", on, {"heard": ["melder"]})
    record(complaint, klara, "decision_made", on, {"outcome": outcome, "motivation": MOTIVATION})
    record(complaint, klara, "decision_sent", on)
    record(complaint, klara, "closed", on)


MOTIVATION = "De coördinator bevestigt dat de afspraak niet is nagekomen."


@pytest.fixture
def world(
    iskander: Organisation, loket3: Organisation, klara: User, piet: User, clock: Clock
) -> World:
    jan = UserFactory(
        username="jan", full_name="Jan Jansen", memberships=[(iskander, RoleKind.COORDINATOR)]
    )
    clock.set("2027-04-19")
    a = register_complaint(
        iskander,
        klara,
        complaint_data(
            "2027-04-19",
            complainant_name="Fatima el Idrissi",
            category="Bejegening",
            commissioning_party="UWV",
            subjects=[("Jan Jansen", jan)],
        ),
    )
    clock.set("2027-04-20")
    b = register_complaint(
        iskander,
        klara,
        complaint_data(
            "2027-04-20",
            channel="email",
            complainant_name="Karel de Groot",
            complainant_email="karel@example.org",
            representative_name="Ömer Çelik",
            category="Communicatie",
            commissioning_party="Gemeente Utrecht",
            description='=HYPERLINK("http://example.org")',
        ),
    )
    record(b, klara, "acknowledged", "2027-04-20")
    clock.set("2027-04-21")
    c = register_complaint(iskander, klara, complaint_data("2027-04-21", category="Bejegening"))
    clock.set("2027-05-03")
    record(
        a,
        klara,
        "handler_assigned",
        "2027-05-03",
        {"handler": "Piet Pietersen"},
        {"handler": piet.pk},
    )
    record(a, klara, "acknowledged", "2027-05-03")
    # Iskander engages an external party itself (Stroomschema rij 2 en 5); it is no escalation.
    record(a, klara, "external_party_engaged", "2027-05-03", {"party": "externe_partij"})
    _decide_and_close(a, klara, "founded", "2027-05-03")
    record(c, klara, "acknowledged", "2027-05-03")
    _decide_and_close(c, klara, "unfounded", "2027-05-03")
    record(c, klara, "reopened", "2027-05-03", {"reason": "Een nieuw feit"})
    loket = UserFactory(username="lotte", memberships=[(loket3, RoleKind.COORDINATOR)])
    elsewhere = register_complaint(
        loket3, loket, complaint_data("2027-05-03", complainant_name="Fatima el Idrissi")
    )
    record(elsewhere, loket, "escalated", "2027-05-03", {"to": "opdrachtgever"})
    for complaint in (a, b, c, elsewhere):
        complaint.refresh_from_db()
    return World(klara, piet, jan, a, b, c, elsewhere, iskander, loket)


def test_normalise_drops_case_and_accents() -> None:
    assert normalise("Coördinator Ömer ÇELİK") == normalise("coordinator omer celik")


def test_the_projection_derives_outcome_closing_escalation_and_reopening(world: World) -> None:
    a, c = world.a, world.c
    assert (a.state, a.outcome, a.closed_on, a.escalated, a.reopened) == (
        "closed",
        "founded",
        day("2027-05-03"),
        False,
        False,
    )
    assert world.elsewhere.escalated
    # Reopened: the decision and the closing no longer hold.
    assert (c.outcome, c.closed_on, c.escalated, c.reopened) == ("", None, False, True)


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("Idrissi", ["A"]),  # part of "el Idrissi"
        ("IDRISSI", ["A"]),
        ("coordinator", ["C", "A"]),  # "coördinator", in the decision's motivation (event detail)
        ("omer celik", ["B"]),  # the representative, accents and case ignored, every word
        ("karel@example", ["B"]),
        ("jan jansen", ["A"]),  # the person complained about
        ("Idrissi Karel", []),  # every word must be found
        ("afspraken", ["C", "A"]),  # the description
        ("externe_partij", ["A"]),  # the escalation's detail
        ("", ["C", "B", "A"]),
    ],
)
def test_search_is_accent_and_case_insensitive_and_needs_every_word(
    world: World, q: str, found: list[str]
) -> None:
    assert world.found(q=q) == found


@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text and trigram search are PostgreSQL's"
)
@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("bevestigd", ["C", "A"]),  # "bevestigt" in the motivation: the same Dutch word form
        ("Idrisi", ["A"]),  # a near spelling of "Idrissi"
        ("Idrisi Jansen", ["A"]),  # still every word
        ("Idrisi Karel", []),
        ("Idr", ["A"]),  # short words only by substring
        ("Ixr", []),
    ],
)
def test_on_postgresql_a_word_form_and_a_near_spelling_are_found(
    world: World, q: str, found: list[str]
) -> None:
    assert world.found(q=q) == found


def test_the_filter_choices_are_the_values_in_use(world: World, loket3: Organisation) -> None:
    register_complaint(
        loket3,
        UserFactory(username="lisa", memberships=[(loket3, RoleKind.COORDINATOR)]),
        complaint_data("2027-05-03", category="Alleen bij Loket3"),
    )
    assert choices(world.iskander, category_labels(world.iskander)) == {
        "category": [("Bejegening", "Bejegening"), ("Communicatie", "Communicatie")],
        "commissioning_party": [("Gemeente Utrecht", "Gemeente Utrecht"), ("UWV", "UWV")],
    }


def test_a_category_chosen_from_the_regulation_reads_as_its_label(world: World) -> None:
    """Intake stores the id of the regulation's category (Iskander: 'begeleiding'); the filter,
    the rows and the export show its label, a typed category as it was typed."""
    register_complaint(
        world.iskander, world.klara, complaint_data("2027-05-03", category="begeleiding")
    )
    label = "Begeleiding door de re-integratiespecialist"
    assert category_labels(world.iskander)["begeleiding"] == label
    assert ("begeleiding", label) in choices(world.iskander, category_labels(world.iskander))[
        "category"
    ]
    table = export_table(world.klara, world.iskander, ComplaintQuery.from_params({}))
    column = table.headings.index("Categorie")
    assert {row[column] for row in table.rows} >= {label, "Bejegening"}


@pytest.mark.parametrize(
    ("q", "found"),
    [
        ("isk-2027-1", ["A"]),  # the number without its zeros
        ("ISK-2027-0002", ["B"]),  # exact
        ("isk-2027-000", ["C", "B", "A"]),  # prefix
        ("ISK-2027", ["C", "B", "A"]),
        ("ISK-2026-1", []),
    ],
)
def test_a_reference_is_found_by_prefix(world: World, q: str, found: list[str]) -> None:
    assert world.found(q=q) == found


@pytest.mark.parametrize(
    ("params", "found"),
    [
        ({"state": "closed"}, ["A"]),
        ({"state": "registered"}, ["B"]),
        ({"year": "2027"}, ["C", "B", "A"]),
        ({"year": "2026"}, []),
        ({"received_from": "2027-04-20"}, ["C", "B"]),
        ({"received_to": "2027-04-20"}, ["B", "A"]),
        ({"received_from": "2027-04-20", "received_to": "2027-04-20"}, ["B"]),
        ({"category": "Bejegening"}, ["C", "A"]),
        ({"channel": "email"}, ["B"]),
        ({"outcome": "founded"}, ["A"]),
        ({"outcome": "unfounded"}, []),  # C's decision fell with the reopening
        ({"commissioning_party": "Gemeente Utrecht"}, ["B"]),
        ({"missed": "any"}, ["C", "A"]),
        ({"missed": "acknowledgement"}, ["C", "A"]),
        ({"missed": "decision"}, []),
        # Iskander names no escalation route (stroomschema rij 2 en 5): see the Loket3 test below.
        ({"escalated": "1"}, []),
        ({"escalated": "0"}, ["C", "B", "A"]),
        ({"reopened": "1"}, ["C"]),
        ({"reopened": "0", "category": "Bejegening"}, ["A"]),
    ],
)
def test_every_filter(world: World, params: dict[str, str], found: list[str]) -> None:
    assert world.found(**params) == found


def test_the_escalated_filter(world: World) -> None:
    loket3 = world.elsewhere.organisation
    for value, found in (("1", [world.elsewhere.pk]), ("0", [])):
        query = ComplaintQuery.from_params({"escalated": value})
        assert [c.pk for c in search_complaints(world.loket, loket3, query)] == found


def test_the_handler_filter(world: World) -> None:
    assert world.found(handler=str(world.piet.pk)) == ["A"]
    assert world.found(handler=str(world.klara.pk)) == []


@pytest.mark.parametrize(
    ("sort", "found"),
    [
        ("", ["C", "B", "A"]),  # newest first
        ("received_on", ["A", "B", "C"]),
        ("-reference", ["C", "B", "A"]),
        ("reference", ["A", "B", "C"]),
        ("complainant_name", ["A", "B", "C"]),  # Fatima, Karel, Mevrouw De Vries
        ("-complainant_name", ["C", "B", "A"]),
        # By the stored state: accepted (C, reopened), closed (A), registered (B).
        ("state", ["C", "A", "B"]),
        ("-state", ["B", "A", "C"]),
        # Only B has a running term (afhandeling, 18 May); A and C, without one, come last
        # either way, in the order of their reference.
        ("next_due", ["B", "A", "C"]),
        ("-next_due", ["B", "C", "A"]),
    ],
)
def test_sort(world: World, sort: str, found: list[str]) -> None:
    assert world.found(sort=sort) == found


def test_a_handler_finds_only_the_complaints_they_handle(world: World) -> None:
    assert world.found(world.piet) == ["A"]
    assert world.found(world.piet, q="Karel") == []


def test_a_subject_finds_nothing_about_themselves(world: World) -> None:
    assert world.found(world.jan) == ["C", "B"]
    assert world.found(world.jan, q="Idrissi") == []
    assert world.found(world.jan, q="ISK-2027-0001") == []


def test_another_organisations_complaints_are_never_found(
    world: World, loket3: Organisation
) -> None:
    assert "X" not in world.found(q="Idrissi")
    query = ComplaintQuery.from_params({"q": "Idrissi"})
    assert list(search_complaints(world.klara, loket3, query)) == []


def test_hostile_parameters_are_ignored_and_named() -> None:
    params = QueryDict(
        "year=abc&received_from=0001-01-01&received_to=2027-02-30&handler=%C2%B9"
        "&sort=;drop&state=evil&missed=x&escalated=maybe&q=" + "x" * 5000
    )
    query = ComplaintQuery.from_params(params)
    assert query.year is None and query.received_from is None and query.received_to is None
    assert query.handler is None and query.state == "" and query.missed == ""
    assert query.escalated is None and query.sort == "-received_on" and len(query.q) == 200
    assert len(query.problems) == 8


def test_query_params_round_trip() -> None:
    query = ComplaintQuery.from_params(
        {"q": "Idrissi", "year": "2027", "escalated": "0", "sort": "state", "handler": "3"}
    )
    assert ComplaintQuery.from_params(query.params()) == query
    assert query.sorted_by("state").sort == "-state"
    assert query.sorted_by("reference").sort == "reference"


def test_export_has_every_term_and_the_throughput_in_working_days(world: World) -> None:
    table = export_table(world.klara, world.iskander, ComplaintQuery.from_params({}))
    rows = {row[0]: dict(zip(table.headings, row, strict=True)) for row in table.rows}
    a = rows["ISK-2027-0001"]
    assert a["Naam klager"] == "Fatima el Idrissi"
    assert a["Stand"] == "afgesloten" and a["Uitkomst"] == "gegrond"
    assert a["Behandelaar"] == "Piet Pietersen" and a["Opdrachtgever"] == "UWV"
    assert a["Afgesloten op"] == day("2027-05-03")
    term = next(h for h in table.headings if h.endswith(" uiterlijk")).removesuffix(" uiterlijk")
    assert a[f"{term} uiterlijk"] == day("2027-04-26")
    assert a[f"{term} gehaald op"] == day("2027-05-03")
    # 20, 21, 22, 23, 26, (Koningsdag 27), 28, 29, 30 April and 3 May.
    assert a["Doorlooptijd in werkdagen"] == 9
    assert rows["ISK-2027-0002"]["Doorlooptijd in werkdagen"] is None


def test_export_leaves_out_personal_data_for_a_handler(world: World) -> None:
    table = export_table(world.piet, world.iskander, ComplaintQuery.from_params({}))
    assert "Naam klager" not in table.headings
    assert "E-mailadres klager" not in table.headings
    assert [row[0] for row in table.rows] == ["ISK-2027-0001"]


def test_export_reads_a_chunk_of_complaints_in_a_fixed_number_of_queries(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Handlers and terms are read per chunk, not per complaint: with chunks of one complaint
    the rows are the same as with one chunk, and the queries grow by chunk only."""
    from django.test.utils import CaptureQueriesContext

    from klachtenregister.register.selectors import complaint_list

    def export() -> tuple[list[list[object]], int]:
        with CaptureQueriesContext(connection) as queries:
            table = export_table(world.klara, world.iskander, ComplaintQuery.from_params({}))
            rows = list(table.rows)
        return rows, len(queries)

    whole, whole_queries = export()
    monkeypatch.setattr(complaint_list, "EXPORT_CHUNK", 1)
    one_by_one, chunked_queries = export()

    assert len(whole) >= 2
    assert one_by_one == whole
    # Two more queries (handlers, terms) for every further chunk, and nothing per complaint.
    assert chunked_queries - whole_queries == 2 * (len(whole) - 1)
