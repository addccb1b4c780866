"""A small schema-driven fuzz run in the suite: no generated request gets a 5xx (the larger run is
``python tests/bench/bench_fuzz.py``)."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from tests.api.schema_fuzz import fuzz, fuzz_settings


def test_generated_requests_never_get_a_server_error(kb_home: Path, tmp_path: Path,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    home = tmp_path / "home"
    shutil.copytree(kb_home, home)  # fuzzed uploads and deletions must not touch the shared index
    app = create_app(fuzz_settings(home), warm=False)
    with caplog.at_level(logging.CRITICAL), TestClient(app):
        report = fuzz(app, max_examples=2, budget_seconds=90)
    assert report.operations >= 20 and report.requests >= report.operations, report.summary()
    assert report.server_errors == [], report.summary()
