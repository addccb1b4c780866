"""The linters are part of the one test command, so CI and developers run the same checks."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.paths import REPO_ROOT


@pytest.mark.parametrize(
    "command",
    [
        pytest.param([sys.executable, "-m", "ruff", "check", "."], id="ruff"),
        pytest.param([sys.executable, "-m", "mypy"], id="mypy"),
    ],
)
def test_code_passes(command: list[str]) -> None:
    done = subprocess.run(command, cwd=REPO_ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
