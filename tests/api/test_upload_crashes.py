"""`kill -9` of the API server at any instant of a document upload leaves the previous knowledge base
usable, a retry of the upload works, and the next start removes the upload's staging folder (issue 14)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.knowledge.conftest import two_guide_home
from tests.paths import REPO_ROOT

# A kill while the body arrives, in the staging folder, in each stage of the add, around the swap.
STEPS = ["mid-body", "upload staging", "document committed", "vectors stored", "segment committed",
         "before swap", "swapped"]


def test_a_server_killed_at_every_step_of_an_upload_restarts_clean_and_takes_the_upload_again(
    tmp_path: Path,
) -> None:
    home = two_guide_home(tmp_path / "home")
    tmpdir = tmp_path / "tmp"  # where uploads were staged before (TemporaryDirectory): must stay empty too
    tmpdir.mkdir()
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT), "TMPDIR": str(tmpdir)}
    # Every checkpoint of the add itself is killed in tests/knowledge/test_kb_crashes.py; here the server
    # dies at the points an upload adds and at each stage of the add it triggers.
    done = subprocess.run([sys.executable, "-m", "tests.api.upload_kill_driver", str(home), *STEPS],
                          cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=1500)
    lines = [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]
    assert lines and lines[-1].get("done"), done.stdout[-2000:] + done.stderr[-3000:]
    checks = [line for line in lines if "checked" in line]
    assert [line["step"] for line in checks] == STEPS
    failed = [(line["k"], line["step"]) for line in checks if line["checked"] != 0]
    assert not failed, f"not usable, not clean or no retry after a kill at {failed}:\n{done.stderr[-4000:]}"
