"""The refit scripts rewrite shipped model files, so asking one for help must print help and touch nothing."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from tests.paths import REPO_ROOT

FIT_SCRIPTS = ("fit_ranking.py", "fit_relevance.py", "fit_quotes.py", "fit_senses.py")


def _models() -> dict[str, str]:
    return {path.name: hashlib.sha1(path.read_bytes()).hexdigest() for path in (REPO_ROOT / "knowledge").glob("*.json*")}


@pytest.mark.parametrize("script", FIT_SCRIPTS)
def test_help_prints_usage_and_writes_nothing(script: str) -> None:
    before = _models()
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tests" / "bench" / script), "--help"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout
    assert _models() == before


@pytest.mark.parametrize("script", FIT_SCRIPTS)
def test_an_unknown_option_is_refused_before_any_fit(script: str) -> None:
    before = _models()
    done = subprocess.run(
        [sys.executable, str(REPO_ROOT / "tests" / "bench" / script), "--no-such-option"],
        cwd=REPO_ROOT, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 2
    assert "unrecognized arguments: --no-such-option" in done.stderr
    assert _models() == before
