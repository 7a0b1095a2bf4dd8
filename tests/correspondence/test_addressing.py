"""How a letter addresses its reader and names the complainant, without a database."""

from __future__ import annotations

import pytest

from klachtenregister.correspondence.addressees import name_in_sentence, salutation


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
