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
from klachtenregister.letters.defaults import Wording, contents_of, default_wording
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
def test_default_wording_holds_every_required_content(
    regulation, letter_id: str, language: str
) -> None:
    letter = next(item for item in regulation.letters if item.id == letter_id)
    wording = default_wording(letter, language)

    used = contents_used(wording)
    assert set(letter.required_contents) <= set(used), (
        f"missing {sorted(set(letter.required_contents) - set(used))}"
    )
    # And exactly what the default means to say: nothing dropped, nothing stray.
    assert set(used) == set(contents_of(letter))
    assert wording_problems(letter, wording, language) == []


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


def test_a_content_printed_only_under_a_condition_still_counts_as_printed() -> None:
    # With every content filled in, {% if %} prints it: the check asks whether the wording can
    # say it, and the sending refuses an empty required text separately.
    letter = _letter("awb-h9", "ontvangstbevestiging")
    wording = Wording(
        "Ontvangst", "{% if receipt_date %}Ontvangen op {{ receipt_date }}.{% endif %}"
    )
    assert wording_problems(letter, wording, "nl") == []


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
