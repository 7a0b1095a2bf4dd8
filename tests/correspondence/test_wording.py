"""The wording of letters, without a database: the defaults hold everything every preset requires,
the template check refuses what it must, and a template reads nothing but its own text."""

from __future__ import annotations

import pytest

from klachtenregister.correspondence.wording import (
    GENERAL_VARIABLES,
    contents_used,
    render_text,
    wording_problems,
)
from klachtenregister.letters.contents import CONTENT_LABELS
from klachtenregister.letters.defaults import Kind, Wording, contents_of, default_wording
from klachtenregister.register.errors import WordingError
from klachtenregister.regulations.loader import load_preset, preset_names
from klachtenregister.regulations.schema import Letter
from klachtenregister.regulations.vocabulary import Content

LANGUAGES = ("nl", "en")
PRESET_LETTERS = [
    pytest.param(load_preset(name), letter.id, id=f"{name}-{letter.id}")
    for name in preset_names()
    for letter in load_preset(name).letters
]


def _letter(preset: str, letter_id: str) -> Letter:
    return next(letter for letter in load_preset(preset).letters if letter.id == letter_id)


def test_every_preset_has_letters() -> None:
    # The parametrisation below must not pass by having nothing to check.
    assert sorted(preset_names()) == [
        "awb-h9",
        "infocus-samen",
        "integratiewerk",
        "iskander",
        "loket3",
        "smartplus",
    ]
    assert len(PRESET_LETTERS) >= 30


@pytest.mark.parametrize(("regulation", "letter_id"), PRESET_LETTERS)
@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("kind", list(Kind))
def test_default_wording_holds_every_required_content(
    regulation, letter_id: str, language: str, kind: Kind
) -> None:
    letter = next(item for item in regulation.letters if item.id == letter_id)
    wording = default_wording(letter, language, kind)

    used = contents_used(wording)
    assert set(letter.required_contents) <= set(used), (
        f"missing {sorted(set(letter.required_contents) - set(used))}"
    )
    # And exactly what the default means to say: nothing dropped, nothing stray.
    assert set(used) == set(contents_of(letter, kind))
    assert wording_problems(letter, wording, language) == []


def test_a_copy_says_it_is_a_copy_and_does_not_confirm_receipt_to_its_reader() -> None:
    letter = _letter("integratiewerk", "ontvangstbevestiging")
    body = default_wording(letter, "nl", Kind.COPY).body
    opening = body.split("\n\n")[1]
    assert opening.startswith("Dit is een afschrift ter informatie")
    assert "{{ copy_reason }}" in opening
    assert "Hierbij bevestigen wij dat wij uw klacht" not in body


def test_other_readers_are_not_told_the_complaint_unless_the_regulation_requires_it() -> None:
    # The decision of SmartPLUS requires the description; IN FOCUS Samen's does not.
    decision = _letter("infocus-samen", "uitspraak")
    for kind in (Kind.STAFF, Kind.COPY, Kind.THIRD_PARTY, Kind.SUBJECT):
        assert "{{ complaint_description }}" not in default_wording(decision, "nl", kind).body
    assert "{{ complaint_description }}" in default_wording(decision, "nl").body


def test_a_wording_with_deeply_nested_loops_is_refused() -> None:
    letter = _letter("awb-h9", "ontvangstbevestiging")
    loops = "".join("{% for x" + str(i) + " in complaint_description %}" for i in range(6))
    body = "{{ receipt_date }}" + loops + "x" + "{% endfor %}" * 6
    [problem] = wording_problems(letter, Wording("Ontvangst", body), "nl")
    assert "{% for %}" in problem


def test_rendering_stops_when_a_text_grows_too_large() -> None:
    body = "{% for a in t %}{% for b in t %}{% for c in t %}x{% endfor %}{% endfor %}{% endfor %}"
    with pytest.raises(WordingError, match="te lang"):
        render_text(body, {"t": "y" * 100})


@pytest.mark.parametrize("body", ['{{ receipt_date|ljust:"100000000" }}', "{% widthratio 1 1 9 %}"])
def test_a_wording_that_inflates_a_text_is_refused(body: str) -> None:
    letter = _letter("awb-h9", "ontvangstbevestiging")
    assert (
        len(wording_problems(letter, Wording("Ontvangst", "{{ receipt_date }}" + body), "nl")) == 1
    )


def test_every_content_has_a_label_in_both_languages() -> None:
    assert set(CONTENT_LABELS) == set(Content)
    assert all(dutch and english for dutch, english in CONTENT_LABELS.values())


def test_a_wording_without_a_required_content_is_refused_with_what_is_missing() -> None:
    letter = _letter("smartplus", "ontvangstbevestiging")
    body = default_wording(letter, "nl").body
    without = "\n\n".join(
        paragraph
        for paragraph in body.split("\n\n")
        if "{{ handler }}" not in paragraph and "{{ expected_term }}" not in paragraph
    )
    assert "{{ contact_person }}" in without  # a paragraph like it stays; it is not the handler

    problems = wording_problems(letter, Wording("Ontvangstbevestiging", without), "nl")

    assert problems == [
        "ontbreekt: behandelaar ({{ handler }})",
        "ontbreekt: verwachte termijn ({{ expected_term }})",
    ]


@pytest.mark.parametrize(
    "body",
    [
        "{% if receipt_date %}Ontvangen op {{ receipt_date }}.{% endif %}",
        # Printed only when a text holds a marker no real text holds (issue 16 §3).
        '{% if "@@" in receipt_date %}Ontvangen op {{ receipt_date }}.{% endif %}',
        "{% for x in handler %}{{ receipt_date }}{% endfor %}",
        "{% with d=receipt_date %}{{ d }}{% endwith %}",
        "{{ receipt_date|slice:':0' }}",
        "{% filter lower %}{{ receipt_date }}{% endfilter %}",
    ],
)
def test_a_content_printed_only_under_a_condition_is_not_printed(body: str) -> None:
    # The check reads the template's node tree: a required content counts only as a plain
    # {{ name }} at the top level, which prints whatever the other texts say.
    letter = _letter("awb-h9", "ontvangstbevestiging")
    assert wording_problems(letter, Wording("Ontvangst", body), "nl") == [
        "ontbreekt: datum van ontvangst ({{ receipt_date }})"
    ]


def test_optional_contents_may_stand_under_a_condition() -> None:
    letter = _letter("awb-h9", "ontvangstbevestiging")
    body = "Ontvangen op {{ receipt_date }}.{% if handler %} Behandelaar: {{ handler }}.{% endif %}"
    assert wording_problems(letter, Wording("Ontvangst", body), "nl") == []


def test_a_wording_that_mentions_a_content_only_in_a_comment_is_refused() -> None:
    letter = _letter("awb-h9", "ontvangstbevestiging")
    wording = Wording("Ontvangst", "{# {{ receipt_date }} #}Wij hebben uw klacht ontvangen.")
    assert wording_problems(letter, wording, "nl") == [
        "ontbreekt: datum van ontvangst ({{ receipt_date }})"
    ]


@pytest.mark.parametrize(
    ("subject", "body", "where"),
    [
        ("Ontvangst", "Ontvangen op {{ receipt_date }}.\n\n{% if handler %}\nOpen blok", "tekst"),
        ("Ontvangst {% if %}", "Ontvangen op {{ receipt_date }}.", "onderwerp"),
        ("Ontvangst", "Ontvangen op {{ receipt_date }}.\n{{ receipt_date|onbekend }}", "tekst"),
    ],
)
def test_a_wording_with_a_syntax_error_is_refused_naming_the_part(
    subject: str, body: str, where: str
) -> None:
    letter = _letter("awb-h9", "ontvangstbevestiging")

    problems = wording_problems(letter, Wording(subject, body), "nl")

    assert len(problems) == 1
    assert f"({where}, regel " in problems[0]


def test_a_syntax_error_names_its_line() -> None:
    with pytest.raises(WordingError, match=r"\(tekst, regel 3\)"):
        render_text("Regel een\nRegel twee\n{% endif %}", {}, "tekst")


def test_render_text_fills_in_without_escaping() -> None:
    # A letter is plain text; the PDF layout escapes it once.
    assert render_text("{{ organisation }}: {{ x }}", {"organisation": "A & B", "x": "<i>"}) == (
        "A & B: <i>"
    )
    assert "reference" in GENERAL_VARIABLES


@pytest.mark.parametrize(
    "source",
    [
        '{% load static %}{% static "x.css" %}',
        "{% load i18n %}{% translate 'Datum' %}",
        '{% ssi "/etc/passwd" %}',
    ],
)
def test_render_text_loads_no_tag_library(source: str) -> None:
    with pytest.raises(WordingError):
        render_text(source, {}, "tekst")


@pytest.mark.parametrize(
    "source",
    [
        '{% include "correspondence/letter.html" %}',
        '{% extends "correspondence/letter.html" %}',
        "{% include path %}",
    ],
)
def test_render_text_includes_no_other_template(source: str) -> None:
    # The project's own letter template exists; the engine of letter templates cannot see it,
    # nor any file a variable names.
    with pytest.raises(Exception) as failed:
        render_text(source, {"path": "/etc/passwd"}, "tekst")
    assert "<html" not in str(failed.value)
    assert "root:" not in str(failed.value)


@pytest.mark.parametrize(
    "body",
    [
        '{% include "correspondence/letter.html" %}{{ receipt_date }}',
        '{% extends "correspondence/letter.html" %}{{ receipt_date }}',
    ],
)
def test_a_wording_that_includes_another_template_is_refused(body: str) -> None:
    letter = _letter("awb-h9", "ontvangstbevestiging")
    problems = wording_problems(letter, Wording("Ontvangst", body), "nl")
    assert len(problems) == 1
