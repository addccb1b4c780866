"""Per-turn pass rate of the scripted planning conversations through POST /v1/chat (offline).

    python tests/bench/bench_plan_conversations.py [dev|test|all] [-v]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> None:
    from fastapi.testclient import TestClient

    from api.main import create_app
    from core.settings import Settings
    from tests.plan_conversations import conversations, run_conversation

    split = next((a for a in sys.argv[1:] if not a.startswith("-")), "all")
    verbose = "-v" in sys.argv
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        os.environ.pop(name, None)
    home = Path(tempfile.mkdtemp(prefix="cehua-plan-bench-"))
    settings = Settings(home=home)
    passed = total = 0
    with TestClient(create_app(settings, warm=False)) as client:
        for conversation in conversations(None if split == "all" else split):
            os.environ["CEHUA_TODAY"] = conversation["today"]
            for result in run_conversation(client, conversation):
                total += 1
                passed += result.passed
                if verbose or not result.passed:
                    mark = "ok " if result.passed else "FAIL"
                    print(f"{mark} {result.conversation}#{result.index} {result.say}  {'; '.join(result.problems)}")
    print(f"{split}: {passed}/{total} turns pass ({passed / max(total, 1):.2f})")


if __name__ == "__main__":
    main()
