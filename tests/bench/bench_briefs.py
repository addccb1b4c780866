"""Request understanding: every labelled request in tests/data/requests.jsonl parsed with its own
"today" and compared on budget, start and end (and missing/date_in_past), and on the channels, mechanics,
product, audience and currency where a case labels them, per split.

    python tests/bench/bench_briefs.py [REQUESTS.jsonl] [--verbose]
"""

from __future__ import annotations

import argparse
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from assistant.briefs.evaluate import judge_request, read_requests  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file", nargs="?", default=str(ROOT / "tests" / "data" / "requests.jsonl"))
    parser.add_argument("--verbose", "-v", action="store_true")
    args = parser.parse_args()
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for case in read_requests(Path(args.file)):
        problem = judge_request(case)
        totals[case.split][0] += not problem
        totals[case.split][1] += 1
        if problem and args.verbose:
            print(f"  {case.id} [{case.split}] {case.text}\n      {problem}")
    for split, (ok, n) in sorted(totals.items()):
        print(f"{split}: {ok}/{n} requests read exactly (budget, start, end, missing, labelled fields)")


if __name__ == "__main__":
    main()
