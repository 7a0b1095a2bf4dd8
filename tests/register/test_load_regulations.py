"""Loading regulations into the database: all or nothing, and a loaded version never changes."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction

from klachtenregister.register.errors import RegulationLoadError
from klachtenregister.register.loading import LoadStatus, content_sha256, load_regulations
from klachtenregister.register.models import Organisation, RegulationVersion
from klachtenregister.register.selectors.regulations import stored_regulation
from klachtenregister.regulations.loader import load_preset, preset_names
from tests.support.regulation_files import (
    EXAMPLE,
    EXAMPLE_CALENDAR,
    organisation_presets,
    preset_text,
)

pytestmark = pytest.mark.django_db


def stored_state() -> list[tuple]:
    return sorted(
        RegulationVersion.objects.values_list(
            "regulation_id", "version", "content_sha256", "loaded_at", "organisation__name"
        )
    )


def a_regulation_text() -> tuple[str, str]:
    """(name or path, text) of a regulation to vary: the first organisation preset if any."""
    presets = organisation_presets()
    if presets:
        return presets[0], preset_text(presets[0])
    return str(EXAMPLE), EXAMPLE.read_text(encoding="utf-8")


def with_top_level(text: str, field: str, value: str) -> str:
    changed, count = re.subn(rf"(?m)^{field}:.*$", f"{field}: {value}", text, count=1)
    assert count == 1, f"no top-level {field!r} in the regulation text"
    return changed


def test_every_preset_is_loaded_with_its_exact_text():
    results = load_regulations()

    assert [r.status for r in results] == [LoadStatus.LOADED] * len(preset_names())
    assert RegulationVersion.objects.count() == len(preset_names())
    for name in preset_names():
        regulation = load_preset(name)
        stored = RegulationVersion.objects.get(regulation_id=regulation.id)
        assert stored.source_yaml == preset_text(name)
        assert stored.content_sha256 == content_sha256(preset_text(name))
        assert stored.source_path == ""
        assert (stored.name, stored.version) == (regulation.name, regulation.version)
        assert stored.effective_from == regulation.effective_from
        assert stored.calendar == regulation.calendar
    organisations = {o.slug: o for o in Organisation.objects.all()}
    assert sorted(organisations) == sorted(load_preset(n).id for n in organisation_presets())
    for name in organisation_presets():
        regulation = load_preset(name)
        organisation = organisations[regulation.id]
        assert organisation.name == regulation.organisation.name
        assert organisation.short_code == regulation.organisation.short_code


def test_loading_the_same_versions_again_changes_nothing():
    load_regulations()
    before = stored_state()

    results = load_regulations()

    assert [r.status for r in results] == [LoadStatus.UNCHANGED] * len(preset_names())
    assert stored_state() == before


def test_a_changed_file_with_the_same_version_is_refused_and_nothing_is_written(
    write_regulation,
):
    original, text = a_regulation_text()
    load_regulations([original])
    before = stored_state()
    changed = write_regulation("changed.yaml", text=with_top_level(text, "name", "Gewijzigd"))
    unrelated_new = write_regulation("new.yaml", replace={"id: voorbeeld": "id: nieuw"})

    with pytest.raises(RegulationLoadError) as refused:
        load_regulations([unrelated_new, changed])

    (problem,) = refused.value.problems
    assert problem.startswith(f"{changed}: version ")
    assert "is already loaded with other content; give the changed regulation a new version" in (
        problem
    )
    assert stored_state() == before
    assert not RegulationVersion.objects.filter(regulation_id="nieuw").exists()
    assert not Organisation.objects.filter(slug="nieuw").exists()


def test_the_changed_file_loads_as_a_new_version(write_regulation):
    original, text = a_regulation_text()
    (first,) = load_regulations([original])
    text = with_top_level(with_top_level(text, "name", "Gewijzigd"), "version", '"next"')
    changed = write_regulation("changed.yaml", text=text)

    (result,) = load_regulations([changed])

    assert (result.status, result.version) == (LoadStatus.LOADED, "next")
    versions = RegulationVersion.objects.filter(regulation_id=first.regulation_id)
    assert sorted(versions.values_list("version", flat=True)) == sorted([first.version, "next"])
    assert versions.get(version="next").source_yaml == text


def test_a_bad_file_among_good_ones_writes_nothing(write_regulation):
    bad = write_regulation("bad.yaml", replace={"short_code: VRB": "short_code: vrb"})
    good = write_regulation("good.yaml", replace={"id: voorbeeld": "id: goed"})

    with pytest.raises(RegulationLoadError) as refused:
        load_regulations([*preset_names(), good, bad])

    (problem,) = refused.value.problems
    assert problem.startswith(f"{bad}:")
    assert "organisation.short_code" in problem
    assert RegulationVersion.objects.count() == 0
    assert Organisation.objects.count() == 0


def test_the_problems_of_every_file_are_reported_together(write_regulation):
    first = write_regulation(
        "first.yaml", replace={"effective_from: 2026-01-01": "effective_from: soon"}
    )
    second = write_regulation("second.yaml", replace={"schema_version: 1": "schema_version: 7"})

    with pytest.raises(RegulationLoadError) as refused:
        load_regulations([first, "geen-reglement", second])

    problems = refused.value.problems
    assert [p.split(":")[0] for p in problems] == [str(first), "geen-reglement", str(second)]
    assert "bestand bestaat niet, en er is geen meegeleverd reglement met die naam" in problems[1]


def test_a_value_too_long_for_its_column_is_refused_before_writing(write_regulation):
    path = write_regulation(
        replace={"name: Klachtenreglement Voorbeeld": "name: " + "Klachtenreglement " * 40}
    )

    with pytest.raises(RegulationLoadError) as refused:
        load_regulations([path])

    assert refused.value.problems == [f"{path}: name: longer than 500 characters"]
    assert RegulationVersion.objects.count() == 0


def test_one_version_given_twice_with_different_text_is_refused(write_regulation):
    first = write_regulation("first.yaml")
    second = write_regulation("second.yaml", replace={"name: Klachtenreglement": "name: Reglement"})

    with pytest.raises(RegulationLoadError) as refused:
        load_regulations([first, second])

    assert "with other content; give the changed regulation a new version" in str(refused.value)
    assert RegulationVersion.objects.count() == 0


def test_one_version_given_twice_with_the_same_text_is_loaded_once(write_regulation):
    first = write_regulation("first.yaml")
    second = write_regulation("second.yaml")

    results = load_regulations([first, second])

    assert [r.status for r in results] == [LoadStatus.LOADED, LoadStatus.UNCHANGED]
    assert RegulationVersion.objects.count() == 1


def test_a_template_regulation_belongs_to_no_organisation(write_regulation):
    # A template is marked in the data, not by its id.
    template = write_regulation(
        "model.yaml", replace={"id: voorbeeld": "id: model\ntemplate: true"}
    )

    (result,) = load_regulations([template])

    assert result.organisation is None
    stored = RegulationVersion.objects.get(regulation_id="model")
    assert stored.is_template
    assert stored.organisation is None
    assert Organisation.objects.count() == 0


def test_the_database_refuses_a_version_that_is_neither_template_nor_owned():
    with pytest.raises(IntegrityError), transaction.atomic():
        RegulationVersion.objects.create(
            is_template=False,
            regulation_id="los",
            name="Los",
            version="1",
            effective_from="2026-01-01",
            calendar="nl-atw",
            source_yaml="",
            content_sha256="",
        )


def test_the_newest_version_names_the_organisation(write_regulation):
    def version(number: str, effective: str, name: str):
        return write_regulation(
            f"v{number}.yaml",
            replace={
                'version: "2026-1"': f'version: "{number}"',
                "effective_from: 2026-01-01": f"effective_from: {effective}",
                "name: Voorbeeld Re-integratie B.V.": f"name: {name}",
            },
        )

    load_regulations([version("2", "2026-01-01", "Oude naam")])
    load_regulations([version("3", "2027-01-01", "Nieuwe naam")])
    load_regulations([version("1", "2025-01-01", "Oudste naam")])

    organisation = Organisation.objects.get(slug="voorbeeld")
    assert organisation.name == "Nieuwe naam"
    assert organisation.regulation_versions.count() == 3


def test_a_calendar_file_next_to_the_regulation_is_found_again_when_read_back(
    tmp_path, write_regulation
):
    shutil.copy(EXAMPLE_CALENDAR, tmp_path / "kerstsluiting.yaml")
    path = write_regulation(
        "voorbeeld.yaml", replace={"calendar: nl-atw": "calendar: kerstsluiting.yaml"}
    )

    load_regulations([path])

    stored = RegulationVersion.objects.get(regulation_id="voorbeeld")
    assert stored.calendar == str(tmp_path / "kerstsluiting.yaml")
    assert stored.source_path == str(path.resolve())
    read_back = stored_regulation(stored)
    assert read_back.problems == []
    assert read_back.regulation.calendar == stored.calendar


def test_a_calendar_that_does_not_exist_is_refused(write_regulation):
    path = write_regulation(replace={"calendar: nl-atw": "calendar: geen-kalender.yaml"})

    with pytest.raises(RegulationLoadError) as refused:
        load_regulations([path])

    assert refused.value.problems[0].startswith(f"{path}:")
    assert "calendar" in refused.value.problems[0]
    assert RegulationVersion.objects.count() == 0


# --- the management command -------------------------------------------------------------------


def test_the_command_says_what_it_loaded_and_skipped(write_regulation):
    path = write_regulation()
    out = StringIO()

    call_command("load_regulations", str(path), stdout=out)
    call_command("load_regulations", str(path), stdout=out)

    lines = out.getvalue().splitlines()
    assert lines[0].startswith("loaded    voorbeeld 2026-1 (Voorbeeld Re-integratie B.V.)")
    assert "1 loaded, 0 unchanged" in lines
    assert any(line.startswith("unchanged voorbeeld 2026-1") for line in lines)
    assert "0 loaded, 1 unchanged" in lines


def test_the_command_loads_every_preset_by_default():
    out = StringIO()

    call_command("load_regulations", stdout=out)

    assert f"{len(preset_names())} loaded, 0 unchanged" in out.getvalue()


def test_the_command_fails_with_the_problems_of_a_bad_file(write_regulation):
    bad = write_regulation("bad.yaml", replace={"  short_code: VRB ": "  short_code: [VRB "})
    err = StringIO()

    with pytest.raises(CommandError) as failed:
        call_command("load_regulations", str(bad), stdout=StringIO(), stderr=err)

    assert failed.value.returncode == 2
    assert "nothing loaded" in str(failed.value)
    assert err.getvalue().startswith(f"{bad}:")
    assert "YAML-syntaxfout" in err.getvalue()
    assert RegulationVersion.objects.count() == 0


@pytest.mark.django_db(False)
def test_python_dash_m_runs_management_commands(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "klachtenregister", "help", "load_regulations"],
        capture_output=True,
        text=True,
        env={
            "KLACHTENREGISTER_VAR_DIR": str(tmp_path),
            "KLACHTENREGISTER_ENV": "development",  # production would want its secret key
            "PATH": "/usr/bin:/bin",
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "python -m klachtenregister load_regulations" in result.stdout
    assert "NAME_OR_FILE" in result.stdout
