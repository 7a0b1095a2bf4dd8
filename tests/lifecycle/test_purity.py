"""The functional core runs without Django (docs/architecture.md): every module of the core
imports in a fresh interpreter without pulling in Django or any app of the Django shell, and the
engine replays a complaint there."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

# The pure core: these packages with every module below them, and these single modules.
CORE_PACKAGES = (
    "klachtenregister.calendars",
    "klachtenregister.regulations",
    "klachtenregister.lifecycle",
    "klachtenregister.letters",
)
CORE_MODULES = ("klachtenregister.yamlio", "klachtenregister.i18n")

# What the core must never import: Django, and the Django project and its apps.
SHELL = tuple(
    f"klachtenregister.{name}"
    for name in ("config", "register", "correspondence", "watch", "backoffice", "demo")
)


def _run(code: str) -> str:
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, check=False
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def _forbidden(modules: list[str]) -> list[str]:
    return sorted(
        name
        for name in modules
        if name == "django"
        or name.startswith("django.")
        or any(name == shell or name.startswith(f"{shell}.") for shell in SHELL)
    )


def test_the_core_imports_and_replays_without_django_or_the_shell():
    code = f"""
        import importlib, json, pkgutil, sys

        def fail(name):
            raise ImportError(f"cannot import {{name}}")

        imported = []
        for name in {CORE_PACKAGES!r}:
            package = importlib.import_module(name)
            imported.append(name)
            for module in pkgutil.walk_packages(package.__path__, name + ".", onerror=fail):
                importlib.import_module(module.name)
                imported.append(module.name)
        for name in {CORE_MODULES!r}:
            importlib.import_module(name)
            imported.append(name)

        from klachtenregister.lifecycle import record, replay
        from klachtenregister.regulations.loader import load_preset
        result = replay(load_preset("iskander"), [record("2027-04-29", "received",
                        channel="written")])
        assert result.refused is None

        print(json.dumps({{"imported": imported, "loaded": sorted(sys.modules)}}))
    """
    result = json.loads(_run(code))
    # The walk reached the modules below the packages, not only the packages themselves.
    assert {
        "klachtenregister.calendars.working_days",
        "klachtenregister.regulations.loader",
        "klachtenregister.lifecycle.engine",
        "klachtenregister.lifecycle.scenario",
        "klachtenregister.letters.defaults",
        "klachtenregister.yamlio",
        "klachtenregister.i18n",
    } <= set(result["imported"])
    assert _forbidden(result["loaded"]) == []
