"""Follow-up answers offline: hit rate per kind of follow-up over multi-turn conversations.

    python tests/bench/bench_followups.py [--show-misses] [--file tests/data/conversations_dev.jsonl]

Each line of the conversations file is ``{"id", "kind", "turns": [{"question", "expect_any"?}]}``.
Every turn is asked in one conversation with ``ChatService`` offline over the bundled guidebooks
(indexed under CEHUA_HOME, a temporary directory when unset). A turn with ``expect_any`` is a hit
when its answer contains an expected phrase (the eval hit rule) and cites a passage. A follow-up
also counts as "re-cited" when it cites a passage the previous answer already cited (the complaint:
「那风险呢?」 after a 满减 question quoting the 满减 passage again).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CONVERSATIONS = ROOT / "tests" / "data" / "conversations_dev.jsonl"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=CONVERSATIONS)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    from knowledge.evaluate import is_hit
    from tests.bench.offline import offline_chat

    _, kb, service = offline_chat()
    conversations = [json.loads(line) for line in args.file.read_text(encoding="utf-8").splitlines() if line]
    service.ask(conversations[0]["turns"][0]["question"])  # warm caches

    hits: dict[str, list[bool]] = defaultdict(list)
    repeated: dict[str, list[bool]] = defaultdict(list)
    seconds: list[float] = []
    for conversation in conversations:
        kind = conversation["kind"]
        conversation_id = None
        previous: set[tuple[str, int, int]] = set()
        for position, turn in enumerate(conversation["turns"]):
            started = time.perf_counter()
            answer = service.ask(turn["question"], conversation_id)
            seconds.append(time.perf_counter() - started)
            conversation_id = answer.conversation
            cited = {(c.doc, c.start, c.end) for c in answer.citations}
            if position and turn.get("expect_any"):
                hit = bool(answer.citations) and is_hit(answer.answer, turn["expect_any"])
                hits[kind].append(hit)
                repeated[kind].append(bool(cited & previous))
                if args.show_misses and not hit:
                    print(f"--- MISS {conversation['id']} ({kind}) {turn['question']!r} → "
                          f"{answer.standalone_question!r}\n{answer.answer.strip()[:300]}\n")
            previous = cited

    print(f"{'kind':12}{'follow-ups':>12}{'hit rate':>10}{'re-cited':>10}")
    for kind in sorted(hits):
        print(f"{kind:12}{len(hits[kind]):>12}{sum(hits[kind]) / len(hits[kind]):>10.3f}"
              f"{sum(repeated[kind]):>10}")
    every = [h for values in hits.values() for h in values]
    again = sum(sum(values) for values in repeated.values())
    print(f"{'overall':12}{len(every):>12}{sum(every) / len(every):>10.3f}{again:>10}")
    print(f"offline answer p50 {statistics.median(seconds) * 1000:.1f} ms (n={len(seconds)})")


if __name__ == "__main__":
    main()
