"""Where the tests and benchmarks find the development evaluation sets.

They live inside the repository (``tests/data/eval``, copied from the team's shared dev sets) so a
fresh clone with nothing beside it runs every test; ``CEHUA_EVAL_DIR`` points a benchmark at another
set of the same layout (e.g. a held-out one).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
EVAL_DIR = Path(os.environ.get("CEHUA_EVAL_DIR") or REPO_ROOT / "tests" / "data" / "eval")
EVAL_QUESTIONS = EVAL_DIR / "questions_dev.jsonl"
EVAL_PLANS = EVAL_DIR / "plans"
EVAL_BRIEFS = EVAL_DIR / "briefs"
