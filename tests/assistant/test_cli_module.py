"""``python -m assistant.cli`` runs the ``cehua`` command."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.paths import REPO_ROOT


def test_the_command_runs_as_a_module_where_its_script_is_not_on_path() -> None:
    """``python -m assistant.cli`` said 「'assistant.cli' is a package and cannot be directly executed」, so a
    planner whose ``pip install --user`` put ``cehua`` off PATH had no way to run it."""
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    done = subprocess.run([sys.executable, "-m", "assistant.cli", "validate", "--help"], capture_output=True,
                          text=True, env=env, cwd=REPO_ROOT, timeout=120, check=False)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith("Usage: cehua validate [OPTIONS] FILE\n")
