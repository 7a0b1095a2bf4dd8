"""The accounts app keeps its own English catalogue: complete, compiled, no fuzzy guesses."""

from __future__ import annotations

import gettext
from pathlib import Path

import klachtenregister.accounts
from tests.config.test_settings_and_translations import _po_entries

PO_FILE = Path(klachtenregister.accounts.__file__).parent / "locale/en/LC_MESSAGES/django.po"


def test_every_accounts_message_is_translated_and_compiled():
    with PO_FILE.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    entries = _po_entries(PO_FILE.read_text(encoding="utf-8"))

    assert len(entries) > 5
    for msgid, plural, strs in entries:
        assert all(strs), f"untranslated: {msgid!r}"
        if plural is None:
            assert catalogue.gettext(msgid) == strs[0], f"django.mo is stale for {msgid!r}"
        else:
            assert catalogue.ngettext(msgid, plural, 1) == strs[0]
            assert catalogue.ngettext(msgid, plural, 2) == strs[1]
    assert "fuzzy" not in PO_FILE.read_text(encoding="utf-8")
