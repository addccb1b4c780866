"""Refit the shipped ranking model (knowledge/ranking_model.json) and the word associations it reads
(knowledge/associations.json) on the bundled guidebooks.

    python tests/bench/fit_ranking.py

The training questions are the relevance model's (knowledge/relevance_train.jsonl: our planner-phrased
training split, relevance_extra_train.jsonl, the dev sets and questions generated from the guidebooks'
section headings, each also rephrased; see tests/bench/fit_relevance.py), in scope only. The associations
(``knowledge.associations``) are counted from each question's words and the words of the passage holding
its expected phrase. For the ranking, every row BM25 or dense search finds is measured (``knowledge.ranking``)
and labelled by whether it holds an expected phrase; the model learns from pairs of rows with and without
the answer. A question's rows are measured with associations counted without its own group (``FOLDS``
folds), so the ranking weighs them as they hold for questions they were not learned from. Prints retrieval
on the dev and held-out sets (aggregates only). Never fitted on: planner_test*, planner_dev5, planner_dev6,
questions_heldout. Run tests/bench/fit_relevance.py afterwards: the relevance model reads the top passages
this ranking gives.
"""

from __future__ import annotations

import hashlib
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
REPORT = ("eval/questions_dev.jsonl", "questions_heldout.jsonl", "planner_dev5.jsonl")
FOLDS = 5


def _compact(text: str) -> str:
    """``text`` without whitespace (as ``knowledge.evaluate.is_hit`` compares)."""
    return "".join(text.split())


def main() -> None:
    os.environ.setdefault("CEHUA_HOME", tempfile.mkdtemp(prefix="cehua-fit-"))
    from core.text.scripts import to_simplified
    from knowledge import open_knowledge_base
    from knowledge.associations import (
        MAX_ANSWERS,
        Example,
        association_model,
        fit_associations,
        passage_words,
        question_words,
    )
    from knowledge.associations import MODEL_PATH as ASSOCIATIONS_PATH
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
    items = [item for item in training_items() if not item.out_of_scope]
    analyses = [_analysis(generation, item.question) for item in items]
    texts = [_compact(generation.lower_texts[row]) for row in range(len(generation.chunks))]
    offers = [passage_words(generation.lower_texts[row]) for row in range(len(generation.chunks))]
    examples: list[Example] = []
    for item, analysis in zip(items, analyses, strict=True):
        phrases = [_compact(to_simplified(p).lower()) for p in item.expect_any if p]
        rows = [row for row, text in enumerate(texts) if any(p in text for p in phrases)]
        if 0 < len(rows) <= MAX_ANSWERS:
            examples.append(Example(item.group_key, question_words(analysis), frozenset().union(*(offers[r] for r in rows))))
    trained_on = f"relevance_train.jsonl: {len(items)} in-scope questions"
    associations = fit_associations(examples, trained_on)
    fold_of = {group: int(hashlib.sha1(group.encode()).hexdigest(), 16) % FOLDS for group in {e.group for e in examples}}
    held_out = [fit_associations([e for e in examples if fold_of[e.group] != fold]) for fold in range(FOLDS)]
    questions = []
    for item, analysis in zip(items, analyses, strict=True):
        terms = generation.terms(analysis, phrasing)
        fold = fold_of.get(item.group_key)
        learned = held_out[fold] if fold is not None else associations
        questions.append([(measured, is_hit(generation.chunks[c.row].text, item.expect_any))
                          for c, measured in generation.candidates(analysis.asking, analysis.background, terms, learned)])
    found = sum(any(holds for _, holds in q) for q in questions)
    model = fit_ranking(questions, trained_on=trained_on)
    ASSOCIATIONS_PATH.write_text(associations.model_dump_json(indent=0) + "\n", encoding="utf-8")
    association_model.cache_clear()
    MODEL_PATH.write_text(model.model_dump_json(indent=1) + "\n", encoding="utf-8")
    ranking_model.cache_clear()
    print(f"associations: {len(associations.links)} question words linked, from {len(examples)} questions")
    print(f"fitted on {len(items)} questions ({found} with the answer among their candidates)")
    print("weights:", dict(zip(model.features, model.weights, strict=True)), f"slope {model.slope} intercept {model.intercept}")
    for name in REPORT:
        report = evaluate_retrieval(kb, read_eval_file(DATA / name), k=5)
        print(f"{name}: recall@5 {report.recall_at_k:.3f}  MRR@10 {report.mrr_at_10:.3f}")


if __name__ == "__main__":
    main()
