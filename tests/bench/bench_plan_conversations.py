"""Per-turn pass rate of the scripted planning conversations through POST /v1/chat (offline).

    python tests/bench/bench_plan_conversations.py [--part dev23,hold23 | dev|test|all] [-v]

Each part (split) is counted on its own line, then all of them together; ``--part`` takes one or more splits,
comma-separated (the positional split is the old spelling of one). A frozen part's failing turns (a split named
hold…) are counted, never printed, unless ``--show-hold`` is given: whoever tunes must not read them.
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
    from tests.plan_conversations import conversations, run_conversation, splits

    args = sys.argv[1:]
    if "--part" in args:
        at = args.index("--part")
        if at + 1 >= len(args):
            sys.exit(f"--part needs a split name, one of: {', '.join(splits())}")
        parts = [p for p in args[at + 1].split(",") if p]
        args = args[:at] + args[at + 2:]
    else:
        named = next((a for a in args if not a.startswith("-")), "all")
        parts = splits() if named == "all" else [named]
    unknown = [p for p in parts if p not in splits()]
    if unknown:
        sys.exit(f"no conversations in split(s) {unknown}; the splits are: {', '.join(splits())}")
    verbose = "-v" in args
    show_hold = "--show-hold" in args
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL"):
        os.environ.pop(name, None)
    home = Path(tempfile.mkdtemp(prefix="cehua-plan-bench-"))
    settings = Settings(home=home)
    counts: dict[str, list[int]] = {}
    with TestClient(create_app(settings, warm=False)) as client:
        for part in parts:
            count = counts.setdefault(part, [0, 0])
            for conversation in conversations(part):
                os.environ["CEHUA_TODAY"] = conversation["today"]
                for result in run_conversation(client, conversation):
                    count[1] += 1
                    count[0] += result.passed
                    if (verbose or not result.passed) and (show_hold or not part.startswith("hold")):
                        mark = "ok " if result.passed else "FAIL"
                        print(f"{mark} {result.conversation}#{result.index} {result.say}  {'; '.join(result.problems)}")
    for part, (passed, total) in counts.items():
        print(f"{part}: {passed}/{total} turns pass ({passed / max(total, 1):.2f})")
    passed, total = (sum(c[i] for c in counts.values()) for i in (0, 1))
    print(f"all of {','.join(parts)}: {passed}/{total} turns pass ({passed / max(total, 1):.2f})")


if __name__ == "__main__":
    main()
