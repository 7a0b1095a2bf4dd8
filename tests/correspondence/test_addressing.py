"""How a letter addresses its reader and names the complainant, without a database."""

from __future__ import annotations

import pytest

from klachtenregister.correspondence.addressees import name_in_sentence, salutation, surname


@pytest.mark.parametrize(
    ("name", "language", "expected"),
    [
        ("Mevrouw De Vries", "nl", "Geachte mevrouw De Vries"),
        ("mevrouw de Vries", "nl", "Geachte mevrouw De Vries"),
        ("Mw. El Idrissi", "nl", "Geachte mevrouw El Idrissi"),
        ("De heer De Vries", "nl", "Geachte heer De Vries"),
        ("dhr. van Dam", "nl", "Geachte heer Van Dam"),
        ("Pieter de Vries", "nl", "Geachte Pieter de Vries"),
        ("  Pieter   de Vries ", "nl", "Geachte Pieter de Vries"),
        ("", "nl", "Geachte heer, mevrouw"),
        ("Mevrouw De Vries", "en", "Dear Ms De Vries"),
        ("Lucas van der Linden", "en", "Dear Lucas van der Linden"),
        ("", "en", "Dear Sir or Madam"),
        # A name that only begins like a form of address is a name.
        ("Heerke Bakker", "nl", "Geachte Heerke Bakker"),
        ("Mevrouw", "nl", "Geachte Mevrouw"),
    ],
)
def test_salutation(name: str, language: str, expected: str) -> None:
    assert salutation(name, language) == expected


def test_within_a_sentence_the_form_of_address_is_lower_case() -> None:
    assert name_in_sentence("Mevrouw De Vries") == "mevrouw De Vries"
    assert name_in_sentence("De heer Jansen") == "de heer Jansen"
    assert name_in_sentence("Pieter de Vries") == "Pieter de Vries"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Pieter de Vries", "De Vries"),
        ("Fatima el Idrissi", "El Idrissi"),
        ("Fatima El Idrissi", "El Idrissi"),
        ("Jan van den Berg", "Van den Berg"),
        ("Anna Maria Jansen", "Jansen"),
        ("Anna Jansen-de Vries", "Jansen-de Vries"),
        ("P.J. van 't Hof", "Van 't Hof"),
        ("de Vries", "De Vries"),
        ("Bakker", "Bakker"),
    ],
)
def test_the_surname_with_its_prefix_capitalised(name: str, expected: str) -> None:
    assert surname(name) == expected


@pytest.mark.parametrize(
    ("name", "language", "form", "expected"),
    [
        ("Pieter de Vries", "nl", "mr", "Geachte heer De Vries"),
        ("Fatima el Idrissi", "nl", "ms", "Geachte mevrouw El Idrissi"),
        ("Jan van den Berg", "nl", "mr", "Geachte heer Van den Berg"),
        ("Pieter de Vries", "nl", "neutral", "Geachte Pieter de Vries"),
        ("Pieter de Vries", "en", "mr", "Dear Mr De Vries"),
        ("Fatima el Idrissi", "en", "ms", "Dear Ms El Idrissi"),
        # The form chosen wins over one written in the name, which is not printed twice.
        ("Mevrouw de Vries", "nl", "mr", "Geachte heer De Vries"),
        # Neutral with a form written in the name keeps what was written.
        ("Mevrouw de Vries", "nl", "neutral", "Geachte mevrouw De Vries"),
        ("", "nl", "ms", "Geachte heer, mevrouw"),
    ],
)
def test_salutation_with_the_form_of_address_chosen_at_registration(
    name: str, language: str, form: str, expected: str
) -> None:
    assert salutation(name, language, form) == expected
