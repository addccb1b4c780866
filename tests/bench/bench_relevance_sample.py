"""A local relevance fit on a sample of the training questions against one on all of them (issue 15).

Run: ``python tests/bench/bench_relevance_sample.py [--guides 400]``. Builds the bundled guidebooks plus
``--guides`` growing-vocabulary guides (``tests/guides.py``), so the guides hold most chunks and the
knowledge base gets a relevance model of its own, then fits it on all training questions and on at most
1 or 2 rephrasings of each (``knowledge.retriever.fit_sample``, two seeds for 2), and reports, per frozen
set, how many in-scope questions each model accepts (good_match) and answers (accepted with an expected
phrase in the top 5), how many off-topic ones it refuses, and each fit's CPU time (the training
questions' analyses are shared, so the first fit pays them all).
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
from tests.bench.bench_kb_scale import _settings  # noqa: E402
from tests.guides import growing_guide, guidebook_sentences  # noqa: E402

SETS = ["planner_test.jsonl", "planner_test2.jsonl", "planner_test3.jsonl", "out_of_scope_extra.jsonl",
        "questions_heldout.jsonl", "eval/questions_dev.jsonl"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--guides", type=int, default=400)
    args = parser.parse_args()
    from knowledge import relevance_process, retriever
    from knowledge.base import KnowledgeBase
    from knowledge.evaluate import is_hit
    from knowledge.relevance import fit_on, training_items

    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as tmp:
        home = Path(tmp) / "home"
        kb = KnowledgeBase(_settings(home))
        kb.ensure_ready()
        rng = random.Random(11)
        sentences = guidebook_sentences()
        guides = Path(tmp) / "guides"
        guides.mkdir()
        for i in range(args.guides):
            (guides / f"brand_{i:05d}.md").write_text(growing_guide(i, rng, sentences), encoding="utf-8")
        relevance_process.APART_CHUNKS = 1 << 40  # the add fits nothing (each model is fitted below)
        retriever.prepare_relevance = lambda *a, **k: None  # type: ignore[assignment]
        kb.add([guides])
        loaded = kb.loaded()
        generation = loaded.generation
        assert generation is not None
        analyses: dict = {}

        def analysed(question: str):  # type: ignore[no-untyped-def]
            if question not in analyses:
                analyses[question] = retriever._analysis(generation, question)
            return analyses[question]

        sets = {name: [json.loads(line) for line in (ROOT / "tests" / "data" / name).read_text(encoding="utf-8")
                       .splitlines() if line.strip()] for name in SETS}
        items = training_items()
        print(json.dumps({"chunks": len(generation.chunks), "training_questions": len(items)}))
        for label, subset in [("all", items), ("2 per question", retriever.fit_sample(items, 2)),
                              ("2 per question, other seed", _other_seed(items)),
                              ("1 per question", retriever.fit_sample(items, 1))]:
            cpu = time.process_time()
            generation.prefetch_dense([(analysed(i.question).asking, analysed(i.question).background) for i in subset])
            model = fit_on(lambda q, phrasing: retriever.evidence_for(generation, q, phrasing, analysed(q)),
                           lambda q: retriever.unknown_words_of(generation, q, analysed(q)), subset).model
            generation.forget_prefetched()
            cpu = time.process_time() - cpu
            loaded.relevance = model
            row: dict[str, object] = {"fit": label, "questions": len(subset), "cpu_s": round(cpu, 1)}
            for name, questions in sets.items():
                inside = [q for q in questions if not q.get("out_of_scope")]
                off = [q for q in questions if q.get("out_of_scope")]
                accepted = answered = refused = 0
                for q in inside:
                    found = retriever.search(loaded, kb.paths, q["question"], 5)
                    accepted += found.good_match
                    answered += found.good_match and any(is_hit(p.text, q["expect_any"]) for p in found.passages)
                for q in off:
                    refused += not retriever.search(loaded, kb.paths, q["question"], 5).good_match
                row[name] = {k: v for k, v in (("accepted", f"{accepted}/{len(inside)}"),
                                               ("answered", f"{answered}/{len(inside)}"),
                                               ("refused", f"{refused}/{len(off)}")) if not v.endswith("/0")}
            print(json.dumps(row, ensure_ascii=False), flush=True)


def _other_seed(items):  # type: ignore[no-untyped-def]
    """Two rephrasings per question, other ones than ``fit_sample`` takes."""
    groups: dict[str, list] = {}
    for item in items:
        groups.setdefault(item.group_key, []).append(item)
    rng = random.Random(1)
    return [i for key in sorted(groups) for i in (groups[key] if len(groups[key]) <= 2 else rng.sample(groups[key], 2))]


if __name__ == "__main__":
    main()
