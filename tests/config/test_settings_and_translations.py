"""Settings come from the environment (in development, as `make run` and the tests ask, and in
production); the English catalogue is compiled and complete."""

from __future__ import annotations

import gettext
import json
import os
import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings

from klachtenregister.i18n import LOCALE_DIR

PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"


def settings_in_subprocess(tmp_path: Path, **env: str) -> dict:
    code = (
        "import json; from django.conf import settings as s; "
        "print(json.dumps({'db': s.DATABASES['default'], 'debug': s.DEBUG, "
        "'secret': s.SECRET_KEY}, default=str))"
    )
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_"))}
    clean.pop("KLACHTENREGISTER_VAR_DIR", None)
    clean.pop("KLACHTENREGISTER_ENV", None)
    clean["DJANGO_SETTINGS_MODULE"] = "klachtenregister.config.settings"
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env={**clean, **env},
        cwd=tmp_path,
        check=True,
    )
    return json.loads(result.stdout)


def test_the_default_database_is_an_sqlite_file_in_the_var_directory(tmp_path):
    var = tmp_path / "var-dir"

    values = settings_in_subprocess(
        tmp_path, KLACHTENREGISTER_VAR_DIR=str(var), KLACHTENREGISTER_ENV="development"
    )

    assert values["db"]["ENGINE"] == "django.db.backends.sqlite3"
    assert values["db"]["NAME"] == str(var / "klachtenregister.sqlite3")
    assert var.is_dir()
    assert values["debug"] is True
    assert values["secret"].startswith("django-insecure-")


def test_database_url_secret_and_debug_come_from_the_environment(tmp_path):
    values = settings_in_subprocess(
        tmp_path,
        KLACHTENREGISTER_VAR_DIR=str(tmp_path / "unused"),
        DATABASE_URL="postgres://someone@db.example:5433/register",
        DJANGO_SECRET_KEY="a-real-secret",
        DJANGO_ALLOWED_HOSTS="klachten.example.nl",
        DJANGO_DEBUG="false",
    )

    assert values["db"]["ENGINE"] == "django.db.backends.postgresql"
    assert (values["db"]["HOST"], values["db"]["PORT"]) == ("db.example", 5433)
    assert values["db"]["NAME"] == "register"
    assert values["secret"] == "a-real-secret"
    assert values["debug"] is False
    assert not (tmp_path / "unused").exists()


def test_the_interface_is_dutch_and_translatable_to_english():
    assert settings.LANGUAGE_CODE == "nl"
    assert [code for code, _ in settings.LANGUAGES] == ["nl", "en"]
    assert "django.middleware.locale.LocaleMiddleware" in settings.MIDDLEWARE
    assert Path(settings.LOCALE_PATHS[0]) == LOCALE_DIR
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ


def _po_entries(text: str) -> list[tuple[str, str | None, list[str]]]:
    """(msgid, msgid_plural, msgstrs) of each entry except the header."""
    entries = []
    for block in text.split("\n\n"):
        fields: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'(msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                fields[key] = match.group(2)
            elif line.startswith('"') and key:
                fields[key] += line[1:-1]

        def unquote(value: str) -> str:
            return value.replace('\\"', '"').replace("\\n", "\n").replace("\\\\", "\\")

        if fields.get("msgid"):
            strs = [unquote(v) for k, v in sorted(fields.items()) if k.startswith("msgstr")]
            plural = fields.get("msgid_plural")
            entries.append((unquote(fields["msgid"]), plural and unquote(plural), strs))
    return entries


def test_every_message_is_translated_and_the_compiled_catalogue_is_current():
    with PO_FILE.with_suffix(".mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    entries = _po_entries(PO_FILE.read_text(encoding="utf-8"))

    assert len(entries) > 50
    for msgid, plural, strs in entries:
        assert all(strs), f"untranslated: {msgid!r}"
        if plural is None:
            assert catalogue.gettext(msgid) == strs[0], f"django.mo is stale for {msgid!r}"
        else:
            assert catalogue.ngettext(msgid, plural, 1) == strs[0]
            assert catalogue.ngettext(msgid, plural, 2) == strs[1]


def test_no_translation_is_a_fuzzy_guess():
    # makemessages marks a changed message "fuzzy" and keeps the old translation, which is
    # usually wrong; compilemessages leaves it out, so it would silently show Dutch.
    fuzzy = [line for line in PO_FILE.read_text(encoding="utf-8").splitlines() if "fuzzy" in line]
    assert fuzzy == []
