"""The refit scripts rewrite shipped model files, so asking one for help must print help and touch nothing."""

from __future__ import annotations

import hashlib
import subprocess
import sys

import pytest

from assistant.chat import quote_ranker
from knowledge import associations, ranking, relevance, senses
from tests.paths import REPO_ROOT

FIT_SCRIPTS = ("fit_ranking.py", "fit_relevance.py", "fit_quotes.py", "fit_senses.py")
# Every file those scripts write.
WRITTEN = (ranking.MODEL_PATH, associations.MODEL_PATH, relevance.MODEL_PATH, relevance.TRAIN_PATH,
           quote_ranker.MODEL_PATH, senses.MODEL_PATH)


def _models() -> dict[str, str]:
    return {path.name: hashlib.sha1(path.read_bytes()).hexdigest() for path in WRITTEN}


def _run(script: str, option: str) -> subprocess.CompletedProcess[str]:
    """Run ``script`` with ``option`` and check it left every shipped model file as it was."""
    before = _models()
    done = subprocess.run([sys.executable, str(REPO_ROOT / "tests" / "bench" / script), option],
                          cwd=REPO_ROOT, capture_output=True, text=True, timeout=120)
    assert _models() == before
    return done


@pytest.mark.parametrize("script", FIT_SCRIPTS)
def test_help_prints_usage_and_writes_nothing(script: str) -> None:
    done = _run(script, "--help")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage:" in done.stdout


@pytest.mark.parametrize("script", FIT_SCRIPTS)
def test_an_unknown_option_is_refused_before_any_fit(script: str) -> None:
    done = _run(script, "--no-such-option")
    assert done.returncode == 2
    assert "unrecognized arguments: --no-such-option" in done.stderr
