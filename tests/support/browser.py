"""The browser tests' Chromium: Debian's ``chromium`` package, driven by Playwright
(``playwright install`` cannot download browsers here). Without /usr/bin/chromium a browser test
is skipped, unless KLACHTENREGISTER_REQUIRE_BROWSER=1 (as in CI), when it fails."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
REQUIRE_BROWSER = "KLACHTENREGISTER_REQUIRE_BROWSER"


def require_chromium() -> None:
    if CHROMIUM.exists():
        return
    reason = f"{CHROMIUM} is missing (Debian package 'chromium'); the browser test cannot run"
    if os.environ.get(REQUIRE_BROWSER) == "1":
        pytest.fail(f"{reason}, and {REQUIRE_BROWSER}=1 requires it")
    pytest.skip(reason)
