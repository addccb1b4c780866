"""Where the tests and benchmarks find the shared development evaluation sets.

The checkout sits beside ``shared/`` (on developer machines and in CI), so the default is
``<repo>/../shared/eval``; ``CEHUA_EVAL_DIR`` points elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_EVAL = Path(os.environ.get("CEHUA_EVAL_DIR") or REPO_ROOT.parent / "shared" / "eval")
EVAL_QUESTIONS = SHARED_EVAL / "questions_dev.jsonl"
EVAL_PLANS = SHARED_EVAL / "plans"
EVAL_BRIEFS = SHARED_EVAL / "briefs"
