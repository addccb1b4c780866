"""Refit the shipped ranking model (knowledge/ranking_model.json) on the bundled guidebooks.

    python tests/bench/fit_ranking.py

The training questions are the relevance model's (knowledge/relevance_train.jsonl: our planner-phrased
training split, relevance_extra_train.jsonl, the dev sets and questions generated from the guidebooks'
section headings, each also rephrased; see tests/bench/fit_relevance.py), in scope only. For each, every
row BM25 or dense search finds is measured (``knowledge.ranking``) and labelled by whether it holds an
expected phrase; the model learns from pairs of rows with and without the answer. Also fitted on the look
halves of the planner dev sets and trad_dev (``bench_answers.in_half``), planners' own phrasing the training
questions lack, never on their hold halves, which judge it (counting each look question three times, as
often as a training question comes rephrased, measured worse on the hold halves: recall@5 0.959 against
0.962). Prints retrieval on the dev and held-out sets (aggregates only). Never fitted on: planner_test*,
questions_heldout, the hold halves. Run tests/bench/fit_relevance.py afterwards: the relevance model reads
the top passages this ranking gives.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
REPORT = ("eval/questions_dev.jsonl", "questions_heldout.jsonl", "planner_dev5.jsonl", "planner_dev6.jsonl")
LOOK = ("planner_dev5.jsonl", "planner_dev6.jsonl", "planner_dev7.jsonl", "planner_dev8.jsonl", "planner_dev9.jsonl",
        "planner_dev10.jsonl", "trad_dev.jsonl")


def main() -> None:
    os.environ.setdefault("CEHUA_HOME", tempfile.mkdtemp(prefix="cehua-fit-"))
    from knowledge import open_knowledge_base
    from knowledge.evaluate import evaluate_retrieval, is_hit, read_eval_file
    from knowledge.ranking import MODEL_PATH, fit_ranking, ranking_model
    from knowledge.relevance import load_model, training_items
    from knowledge.retriever import _analysis

    kb = open_knowledge_base()
    kb.ensure_ready()
    generation = kb.loaded().generation
    assert generation is not None
    relevance = load_model()
    phrasing = frozenset(relevance.phrasing if relevance else ())
    from tests.bench.bench_answers import in_half

    items = [(item.question, item.expect_any) for item in training_items() if not item.out_of_scope]
    look = [(item.question, item.expect_any) for name in LOOK for item in read_eval_file(DATA / name)
            if not item.out_of_scope and in_half(item.id, "look")]
    questions = []
    for question, expect_any in items + look:
        analysis = _analysis(generation, question)
        terms = generation.terms(analysis, phrasing)
        questions.append([(measured, is_hit(generation.chunks[c.row].text, expect_any))
                          for c, measured in generation.candidates(analysis.asking, analysis.background, terms)])
    found = sum(any(holds for _, holds in q) for q in questions)
    model = fit_ranking(questions, trained_on=f"relevance_train.jsonl: {len(items)} in-scope questions; the look "
                                              f"halves of {', '.join(LOOK)}: {len(look)}")
    MODEL_PATH.write_text(model.model_dump_json(indent=1) + "\n", encoding="utf-8")
    ranking_model.cache_clear()
    print(f"fitted on {len(items)} + {len(look)} questions ({found} with the answer among their candidates)")
    print("weights:", dict(zip(model.features, model.weights, strict=True)), f"slope {model.slope} intercept {model.intercept}")
    for name in REPORT:
        report = evaluate_retrieval(kb, read_eval_file(DATA / name), k=5)
        print(f"{name}: recall@5 {report.recall_at_k:.3f}  MRR@10 {report.mrr_at_10:.3f}")


if __name__ == "__main__":
    main()
