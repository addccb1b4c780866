"""`kill -9` at any instant of add, rebuild and remove leaves the previous knowledge base usable, a retry
works, and the next start clears what the killed writer left (issue 14)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.knowledge.conftest import two_guide_home
from tests.paths import REPO_ROOT


@pytest.fixture(scope="module")
def tiny_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A knowledge base of two small guides (rebuilt from their document folders alone)."""
    return two_guide_home(tmp_path_factory.mktemp("tiny") / "home")


# Durable steps each operation passes (so a kill lands in every gap between them).
MIN_STEPS = {"add": 8, "rebuild": 12, "remove": 5}


@pytest.mark.parametrize("op", ["add", "rebuild", "remove"])
def test_a_kill_at_every_step_leaves_the_previous_knowledge_base_usable(
    tiny_home: Path, tmp_path: Path, op: str
) -> None:
    home = tmp_path / "home"
    shutil.copytree(tiny_home, home)
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-m", "tests.knowledge.kill_driver", str(home), op], cwd=REPO_ROOT,
                          env=env, capture_output=True, text=True, timeout=900)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines and lines[-1].get("done"), done.stdout[-2000:] + done.stderr[-3000:]
    checks = [line for line in lines if "checked" in line]
    steps = [line["step"] for line in lines if "step" in line]
    assert len(checks) >= MIN_STEPS[op], steps
    assert {"before swap", "swapped"} <= set(steps)
    failed = [(line["k"], steps[line["k"] - 1]) for line in checks if line["checked"] != 0]
    assert not failed, f"not usable or no retry after a kill at {failed}:\n{done.stderr[-3000:]}"
