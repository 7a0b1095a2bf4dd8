"""Fixtures for the web shell: regulation files written to a temporary directory."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from regulation_files import EXAMPLE


@pytest.fixture
def write_regulation(tmp_path: Path) -> Callable[..., Path]:
    """Write a regulation file: the example (or ``text``) with replacements applied."""

    def write(
        name: str = "regulation.yaml",
        *,
        text: str | None = None,
        replace: dict[str, str] | None = None,
    ) -> Path:
        content = EXAMPLE.read_text(encoding="utf-8") if text is None else text
        for old, new in (replace or {}).items():
            assert old in content, f"fixture text not found: {old!r}"
            content = content.replace(old, new, 1)
        path = tmp_path / name
        path.write_text(content, encoding="utf-8")
        return path

    return write
