"""`klachten simulate` shows the intake to-do (issue 14 §3) through the existing `todos` key:
Integratiewerk, Klachtenprocedure 2 ("Een klacht wordt schriftelijk ingediend bij de directeur"),
an oral complaint asked to be put in writing."""

from __future__ import annotations

import io
import json
from pathlib import Path

from klachtenregister.cli.main import main


def test_integratiewerk_klachtenprocedure_2_simulate_lists_the_written_form_todo(
    tmp_path: Path,
) -> None:
    scenario = tmp_path / "oral.yaml"
    scenario.write_text(
        "subjects: [sanne]\n"
        "events:\n"
        "  - {on: 2027-04-22, event: received, channel: oral, role: directeur}\n"
        "  - {on: 2027-04-22, event: written_form_requested, role: directeur}\n"
        "  - {on: 2027-05-03, event: complaint_put_in_writing, role: directeur}\n",
        encoding="utf-8",
    )
    out = io.StringIO()
    code = main(["simulate", "integratiewerk", str(scenario), "--json"], out=out)
    assert code == 0
    payload = json.loads(out.getvalue())
    assert payload["refused"] is None
    assert payload["todos"] == [
        {
            "id": "klacht_op_schrift",
            "kind": "written_form",
            "created_on": "2027-04-22",
            "done_on": "2027-05-03",
            "source": "Indienen, stap 3; Klachtenprocedure 2",
        }
    ]
    # The terms count from the written complaint (3 May), not the oral receipt.
    starts = {deadline["id"]: deadline["start"] for deadline in payload["deadlines"]}
    assert starts["ontvangstbevestiging"] == "2027-05-03"
