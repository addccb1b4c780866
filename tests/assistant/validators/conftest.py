"""The validator tests' plans are 2026 campaigns written ahead of time: judge them from 2026-01-01."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _planning_day(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-01-01")
