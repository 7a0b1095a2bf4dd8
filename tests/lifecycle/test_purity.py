"""The engine is the functional core: it runs without Django (GUIDE.md §6)."""

from __future__ import annotations

import subprocess
import sys


def test_the_engine_imports_and_replays_without_django():
    code = (
        "import sys\n"
        "from klachtenregister.lifecycle import record, replay\n"
        "from klachtenregister.lifecycle.scenario import read_scenario\n"
        "from klachtenregister.regulations.loader import load_preset\n"
        "result = replay(load_preset('iskander'), [record('2027-04-29', 'received',"
        " channel='written')])\n"
        "assert result.refused is None\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))\n"
    )
    completed = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.strip() == "[]"
