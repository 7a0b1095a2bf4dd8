"""The start page (Dutch at /, English at /en/), the admin and the health check."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.html import escape

from klachtenregister.register.loading import load_regulations
from klachtenregister.register.models import RegulationVersion
from klachtenregister.register.selectors.regulations import stored_regulation
from klachtenregister.regulations.loader import load_regulation_file
from klachtenregister.regulations.terms import deadlines_at_receipt

pytestmark = pytest.mark.django_db


def page(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def row(html: str, row_id: str) -> str:
    match = re.search(rf'<tr id="{re.escape(row_id)}">(.*?)</tr>', html, re.DOTALL)
    assert match, f"no table row {row_id!r}"
    return match.group(1)


def test_the_start_page_shows_each_organisation_and_each_deadline(client, write_regulation):
    load_regulations()
    load_regulations([write_regulation()])

    html = page(client)

    assert '<html lang="nl">' in html
    versions = RegulationVersion.objects.filter(organisation__isnull=False)
    assert versions.count() >= 1
    for version in versions.select_related("organisation"):
        regulation = stored_regulation(version).regulation
        organisation = version.organisation
        assert f'<h2 id="org-{organisation.slug}">{escape(organisation.name)}</h2>' in html
        assert escape(regulation.name) in html
        for deadline in regulation.deadlines:
            cells = row(html, f"{regulation.id}-{deadline.id}")
            assert escape(deadline.label) in cells
            assert escape(deadline.source) in cells


def test_the_terms_table_says_how_long_from_what_and_met_by_what(client, write_regulation):
    load_regulations([write_regulation()])

    html = page(client)

    cells = row(html, "voorbeeld-ontvangstbevestiging")
    assert '<th scope="row">Ontvangstbevestiging' in cells
    assert "5 werkdagen" in cells
    assert "Klacht ontvangen" in cells  # the regulation's own event label
    assert "Ontvangst bevestigd" in cells
    assert "Art. 3 lid 3" in cells
    assert "alleen als: Niet in behandeling genomen" in row(html, "voorbeeld-niet_in_behandeling")
    assert "verlengbaar met ten hoogste 4 weken" in row(html, "voorbeeld-beslissing")
    for header in ("Termijn", "Soort", "Duur", "Telt vanaf", "Voldaan met", "Bron"):
        assert f'<th scope="col">{header}</th>' in html


def test_due_dates_are_those_of_a_complaint_received_today(client, write_regulation):
    path = write_regulation()
    load_regulations([path])
    today = timezone.localdate()

    html = page(client)

    due = deadlines_at_receipt(load_regulation_file(path), today)
    assert due, "the example has terms that start at receipt"
    for item in due:
        assert f'datetime="{item.due.isoformat()}"' in row(html, f"voorbeeld-{item.deadline.id}")
    assert "datetime=" not in row(html, "voorbeeld-verslag_hoorzitting")


def test_the_english_page_has_english_interface_strings(client, write_regulation):
    load_regulations([write_regulation()])

    html = page(client, "/en/")

    assert '<html lang="en">' in html
    assert "Organisations and their complaint regulations" in html
    for header in ("Term", "Kind", "Duration", "Counted from", "Met by", "Source"):
        assert f'<th scope="col">{header}</th>' in html
    cells = row(html, "voorbeeld-ontvangstbevestiging")
    assert "Acknowledgement of receipt" in cells  # the regulation's label_en
    assert "5 working days" in cells
    assert "Complaint received" in cells
    assert "Telt vanaf" not in html


def test_both_languages_link_to_each_other(client):
    assert 'href="/en/" lang="en" hreflang="en"' in page(client, "/")
    assert 'href="/" lang="nl" hreflang="nl"' in page(client, "/en/")


def test_the_page_shows_what_was_loaded_not_what_is_on_disk_now(client, write_regulation):
    path = write_regulation()
    load_regulations([path])
    write_regulation(replace={"label: Verslag van het horen": "label: Later gewijzigd"})

    html = page(client)

    assert "Verslag van het horen" in row(html, "voorbeeld-verslag_hoorzitting")
    assert "Later gewijzigd" not in html


def test_a_stored_text_that_no_longer_reads_is_reported(client, write_regulation):
    load_regulations([write_regulation()])
    RegulationVersion.objects.update(source_yaml="id: [")

    html = page(client)

    assert "Dit opgeslagen reglement kan niet meer worden gelezen" in html
    assert "YAML-syntaxfout" in html
    # In the page's language: the English start page says it in English.
    english = client.get("/en/").content.decode()
    assert "YAML syntax error" in english and "YAML-syntaxfout" not in english


def test_an_empty_register_says_how_to_load_regulations(client):
    html = page(client)

    assert "Er zijn nog geen reglementen geladen." in html
    assert "python -m klachtenregister load_regulations" in html


def test_templates_are_shown_apart_from_organisations(client, write_regulation):
    load_regulations([write_regulation(replace={"id: voorbeeld": "id: awb-h9\ntemplate: true"})])

    html = page(client)

    assert '<h2 id="templates">Modelreglementen</h2>' in html
    assert "awb-h9-beslissing" in html
    assert 'id="org-' not in html


def test_the_version_in_force_is_shown_and_the_others_listed(client, write_regulation):
    today = timezone.localdate()
    old = write_regulation("old.yaml")
    future = write_regulation(
        "future.yaml",
        replace={
            'version: "2026-1"': 'version: "toekomst"',
            "effective_from: 2026-01-01": f"effective_from: {today + dt.timedelta(days=400)}",
            "label: Verslag van het horen": "label: Nieuw verslag",
        },
    )
    load_regulations([old, future])

    html = page(client)

    assert "Verslag van het horen" in html
    assert "Nieuw verslag" not in html
    assert "Andere versies" in html
    assert "versie toekomst, geldig vanaf" in html


def test_health(client):
    # No worker has beaten yet: the database is fine, the worker is not (tests/watch has more).
    response = client.get("/health")

    assert response.status_code == 503
    assert response.json()["database"] == connection.vendor
    assert response.json()["worker"]["status"] == "silent"


# --- admin --------------------------------------------------------------------------------------


def test_admin_shows_regulation_versions_read_only(admin_client, write_regulation):
    load_regulations([write_regulation()])
    version = RegulationVersion.objects.get()

    listing = admin_client.get("/admin/register/regulationversion/")
    detail = admin_client.get(f"/admin/register/regulationversion/{version.pk}/change/")
    add = admin_client.get("/admin/register/regulationversion/add/")
    organisation = admin_client.get(
        f"/admin/register/organisation/{version.organisation_id}/change/"
    )

    assert listing.status_code == 200
    assert "Klachtenreglement Voorbeeld Re-integratie" in listing.content.decode()
    assert detail.status_code == 200
    assert 'name="version"' not in detail.content.decode()  # no input: read-only
    assert "schema_version: 1" in detail.content.decode()
    assert add.status_code == 403
    assert organisation.status_code == 200
    assert 'name="name"' in organisation.content.decode()  # organisations stay editable
