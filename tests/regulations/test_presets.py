"""What every shipped preset shares: a header that says where it comes from, and complete labels."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic import ValidationError

from klachtenregister.regulations.loader import load_preset, preset_names
from klachtenregister.regulations.schema import EscalationRoute

HEADERS = {
    # id: (organisation short code, version, source document, template)
    "iskander": ("ISK", "seed-1", "seeds/iskander.txt", False),
    "integratiewerk": ("IW", "seed-1", "seeds/integratiewerk.txt", False),
    "infocus-samen": ("IFS", "seed-1", "seeds/infocus-samen.txt", False),
    "loket3": ("L3", "seed-1", "seeds/loket3.txt", False),
    "smartplus": ("SP", "seed-1", "seeds/smartplus.txt", False),
    "awb-h9": ("AWB", "2026-2", "Algemene wet bestuursrecht, hoofdstuk 9, afdeling 9.1", True),
}
SEEDS = [name for name, header in HEADERS.items() if header[2].startswith("seeds/")]


def test_exactly_the_six_presets_ship():
    assert sorted(preset_names()) == sorted(HEADERS)


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_header(name):
    regulation = load_preset(name)
    assert regulation.id == name
    short_code, version, source_document, template = HEADERS[name]
    assert regulation.organisation.short_code == short_code
    assert regulation.version == version
    assert regulation.source_document == source_document
    assert regulation.template is template
    assert regulation.effective_from == dt.date(2026, 1, 1)
    assert regulation.calendar == "nl-atw"


@pytest.mark.parametrize("name", SEEDS)
def test_a_seed_without_a_date_says_so(name):
    assert any("no effective date" in note for note in load_preset(name).notes)


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_everything_named_has_an_english_label_and_a_source(name):
    regulation = load_preset(name)
    named = [*regulation.deadlines, *regulation.roles, *regulation.admissibility.grounds]
    named += regulation.letters
    missing = [item.id for item in named if not item.label_en]
    assert missing == []
    assert all(item.source.strip() for item in named)


@pytest.mark.parametrize("name", sorted(HEADERS))
def test_every_escalation_route_names_its_body_in_both_languages(name):
    routes = load_preset(name).escalation
    assert [route.id for route in routes if not (route.name and route.name_en)] == []


@pytest.mark.parametrize(
    ("website", "valid"),
    [
        ("www.nationaleombudsman.nl", True),
        ("https://www.uwv.nl/klachten", True),
        ("nationale ombudsman", False),
        ("www", False),
        ("javascript:alert(1)", False),
    ],
)
def test_a_route_website_is_a_web_address(website, valid):
    route = {
        "id": "ombudsman",
        "label": "Nationale Ombudsman",
        "to": "nationale_ombudsman",
        "source": "Art. 1",
        "website": website,
    }
    if valid:
        assert EscalationRoute.model_validate(route).website == website
    else:
        with pytest.raises(ValidationError):
            EscalationRoute.model_validate(route)
