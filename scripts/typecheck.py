"""The type check of ``make lint`` and of pre-commit: mypy, with the settings in pyproject.toml.

1. The pure core, and this script, with ``mypy --strict``: no error, no baseline. The core is the
   modules of pyproject.toml's override that sets ``disallow_untyped_defs``.
2. The whole package (``mypy src/klachtenregister``): the core with those strict flags, the Django
   shell in mypy's default mode, against ``mypy-baseline.txt``: one error a line as
   ``file: [code] message`` (no line numbers, so moving code does not touch it). It fails

   - on an error that is not in the baseline: fix it (the output says where it is); and
   - on a baseline line that no longer occurs: it was fixed, so delete that line from the file.

   So the baseline can only shrink.

Run from anywhere: ``.venv/bin/python scripts/typecheck.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# django-stubs loads the settings: the development ones, which need no secret key (pre-commit
# runs this script without `make`).
os.environ.setdefault("KLACHTENREGISTER_ENV", "development")
BASELINE = ROOT / "mypy-baseline.txt"
TARGET = "src/klachtenregister"
# Plain, stable output whatever the configuration says about presentation.
MYPY = [
    sys.executable,
    "-m",
    "mypy",
    "--no-pretty",
    "--no-color-output",
    "--no-error-summary",
    "--hide-column-numbers",
    "--show-error-codes",
]
ERROR = re.compile(
    r"^(?P<path>[^:\n]+):(?P<line>\d+): error: (?P<message>.*?)(?:  \[(?P<code>[a-z0-9-]+)\])?$"
)


def normalise(path: str, code: str, message: str) -> str:
    # Line numbers inside a message ("defined on line 12") move with the code as well.
    message = re.sub(r"\bline \d+\b", "line N", message)
    return f"{path}: [{code}] {message}"


def strict_paths() -> list[str]:
    """The files of the modules pyproject.toml checks strictly (``package.*`` or ``module``)."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    paths = []
    for override in config["tool"]["mypy"].get("overrides", []):
        if not override.get("disallow_untyped_defs"):
            continue
        modules = override["module"]
        for module in [modules] if isinstance(modules, str) else modules:
            path = Path("src", *module.removesuffix(".*").split("."))
            paths.append(str(path if (ROOT / path).is_dir() else path.with_suffix(".py")))
    if not paths:
        sys.exit("typecheck: pyproject.toml names no strictly checked module")
    return paths


def check_strict() -> bool:
    # A cache of its own: the strict flags would invalidate the other run's cache of the core.
    command = [*MYPY, "--strict", "--cache-dir", ".mypy_cache/strict"]
    paths = [*strict_paths(), "scripts/typecheck.py"]
    result = subprocess.run([*command, *paths], cwd=ROOT, check=False)
    if result.returncode == 0:
        print("mypy --strict: ok (the core)")
    return result.returncode == 0


def mypy_errors() -> tuple[Counter[str], list[str]]:
    """The errors, normalised (with their count), and each error as mypy reported it."""
    command = [*MYPY, TARGET]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    if result.returncode not in (0, 1):
        sys.stderr.write(result.stdout + result.stderr)
        sys.exit(f"typecheck: mypy failed (exit {result.returncode})")
    found: Counter[str] = Counter()
    reported: list[str] = []
    for line in result.stdout.splitlines():
        match = ERROR.match(line)
        if match is None:
            if ": note: " in line or not line.strip():
                continue
            # Anything else mypy says is an error without a place: never in the baseline.
            sys.stderr.write(result.stdout + result.stderr)
            sys.exit(f"typecheck: unexpected mypy output: {line}")
        key = normalise(match["path"], match["code"] or "misc", match["message"])
        found[key] += 1
        reported.append(line)
    return found, reported


def baseline() -> Counter[str]:
    if not BASELINE.exists():
        return Counter()
    lines = BASELINE.read_text(encoding="utf-8").splitlines()
    return Counter(line for line in lines if line.strip() and not line.startswith("#"))


def main() -> int:
    if not check_strict():
        return 1
    found, reported = mypy_errors()
    known = baseline()
    new = found - known
    fixed = known - found
    if new:
        print(f"mypy: {sum(new.values())} new error(s), not in {BASELINE.name}; fix them:")
        for line in reported:
            match = ERROR.match(line)
            assert match is not None
            if normalise(match["path"], match["code"] or "misc", match["message"]) in new:
                print(f"  {line}")
    if fixed:
        print(
            f"mypy: {sum(fixed.values())} line(s) of {BASELINE.name} no longer occur: fixed, so "
            "delete them from it (the baseline only shrinks):"
        )
        for entry, count in sorted(fixed.items()):
            for _ in range(count):
                print(f"  {entry}")
    if new or fixed:
        return 1
    print(f"mypy: ok ({sum(found.values())} error(s), all in {BASELINE.name})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
