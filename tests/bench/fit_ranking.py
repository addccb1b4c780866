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
0.962). The look halves are those of every set ``bench_answers.DEV_HALVED`` names except the held-out and
marketing-adjacent ones (``NEVER_FITTED``), so a new dev set joins the fit when it joins the halves.

The same questions first teach the planner-word → guidebook-word table (``knowledge.associations``,
written to knowledge/associations_model.json). The ranking model is fitted on the ``association`` feature
each question would get from a table learned without it (``FOLDS`` parts by question group, each measured
with the table of the others), as a question never seen would: measured with the table it was learned
from, every training answer would write its own question's bridge words. They are also the precedents
(``knowledge.precedents``, written to knowledge/precedents_model.json), and the ``precedent`` feature is
cross-fitted the same way: each question is compared with the precedents of the other parts only, never
with its own rephrasings, both for the feature and for the candidates their answers bring
(``Generation.answer_rows``).

Prints retrieval on the dev and held-out sets (aggregates only). Never fitted on: planner_test*,
questions_heldout, adjacent_dev, the hold halves. Run tests/bench/fit_relevance.py afterwards: the
relevance model reads the top passages this ranking gives.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
REPORT = ("eval/questions_dev.jsonl", "questions_heldout.jsonl", "planner_dev5.jsonl", "planner_dev6.jsonl")
NEVER_FITTED = ("heldout", "adjacent-dev")  # halved dev sets that judge, never fitted on
FOLDS = 5

if TYPE_CHECKING:
    from knowledge.precedents import Precedent, Precedents


def _fold(group: str) -> int:
    return int(hashlib.sha1(group.encode()).hexdigest(), 16) % FOLDS


def others_of(labelled: Iterable[Precedent]) -> Callable[[str], Precedents]:
    """For a question group, the ``labelled`` questions of the other folds only: what a training question is
    compared with, as a question never seen would be, never with its own rephrasings."""
    from knowledge.precedents import Precedents

    items = list(labelled)
    by_fold = {fold: Precedents(p for p in items if _fold(p.group) != fold) for fold in range(FOLDS)}
    return lambda group: by_fold[_fold(group)]


def look_sets() -> list[Path]:
    """The halved dev sets whose look halves the ranking learns from: every one ``bench_answers.DEV_HALVED``
    names except those that only judge (``NEVER_FITTED``), so a new dev set joins the fit when it joins the halves."""
    from tests.bench.bench_answers import DEV_HALVED, FILES

    return [FILES[name] for name in DEV_HALVED if name not in NEVER_FITTED]


def look_questions() -> list[tuple[str, str, list[str]]]:
    """(group, question, expected phrases) of every in-scope question of the look halves of ``look_sets``; the
    group is ``file:id``. Never a question of a hold half: those judge the fit."""
    from knowledge.evaluate import read_eval_file
    from tests.bench.bench_answers import in_half

    return [(f"{path.name}:{item.id}", item.question, item.expect_any) for path in look_sets()
            for item in read_eval_file(path) if not item.out_of_scope and in_half(item.id, "look")]


def main() -> None:
    argparse.ArgumentParser(description=__doc__.splitlines()[0]).parse_args()
    os.environ.setdefault("CEHUA_HOME", tempfile.mkdtemp(prefix="cehua-fit-"))
    from knowledge import associations, cedict, open_knowledge_base, precedents
    from knowledge.associations import Example, Plausible, association, count
    from knowledge.evaluate import evaluate_retrieval, is_hit, read_eval_file
    from knowledge.precedents import Precedent, alike_text, labelled_text, normalized
    from knowledge.ranking import MODEL_PATH, Candidate, fit_ranking, ranking_model
    from knowledge.relevance import load_model, training_items
    from knowledge.retriever import _analysis

    kb = open_knowledge_base()
    kb.ensure_ready()
    generation = kb.loaded().generation
    assert generation is not None
    relevance = load_model()
    phrasing = frozenset(relevance.phrasing if relevance else ())
    items = [(item.group, item.question, item.expect_any) for item in training_items() if not item.out_of_scope]
    look = look_questions()
    trained_on = (f"relevance_train.jsonl: {len(items)} in-scope questions; the look halves of "
                  f"{', '.join(p.name for p in look_sets())}: {len(look)}")
    analyses = {question: _analysis(generation, question) for _, question, _ in items + look}
    cases = [Precedent(labelled_text(question, analyses[question].asking, analyses[question].background),
                       tuple(normalized(a) for a in expect_any if a.strip()), group)
             for group, question, expect_any in items + look]
    precedents.save(cases, trained_on)
    precedents.load_precedents.cache_clear()
    others = others_of(cases)
    questions = []
    examples: dict[int, list[tuple[list[tuple[Candidate, dict[str, float], bool]], Example]]] = {}
    for group, question, expect_any in items + look:
        analysis = analyses[question]
        terms = generation.terms(analysis, phrasing)
        # Compared with the other groups' precedents only, never its own rephrasings: for the candidates
        # their answers bring and for the ``precedent`` feature alike.
        measured = [(c, m, is_hit(generation.chunks[c.row].text, expect_any))
                    for c, m in generation.candidates(analysis.asking, analysis.background, terms,
                                                      alike_text(analysis.asking, analysis.background),
                                                      others(group))]
        # The passages an answer has to beat: the best-fused ones without it.
        competing = sorted((m["bm25_rank"] + m["dense_rank"], c.row) for c, m, holds in measured if not holds)
        example = Example(terms, analysis.asking + analysis.background,
                          [generation.lower_texts[c.row] for c, _, holds in measured if holds],
                          [generation.lower_texts[row] for _, row in sorted(competing, reverse=True)])
        examples.setdefault(_fold(group), []).append((measured, example))
        questions.append(measured)
    bridges = generation.bridges
    plausible = Plausible({w for w in generation.segments.terms() if not w.startswith("#")} | set(bridges.words),
                          lambda word: bridges.nearest(word, associations.NEAREST), cedict.glossed_alike)
    everything = count((e for part in examples.values() for _, e in part), plausible)
    for members in examples.values():
        table = (everything - count((e for _, e in members), plausible)).table()
        for measured, example in members:
            for c, m, _ in measured:
                m["association"] = association(example.terms, generation.lower_texts[c.row], table)
    table = everything.table()
    associations.save(table, trained_on)
    associations.load_table.cache_clear()
    print(f"associations: {len(table)} question words, {sum(len(v) for v in table.values())} guidebook words")
    found = sum(any(holds for *_, holds in q) for q in questions)
    model = fit_ranking([[(m, holds) for _, m, holds in q] for q in questions], trained_on=trained_on)
    MODEL_PATH.write_text(model.model_dump_json(indent=1) + "\n", encoding="utf-8")
    ranking_model.cache_clear()
    print(f"fitted on {len(items)} + {len(look)} questions ({found} with the answer among their candidates)")
    print("weights:", dict(zip(model.features, model.weights, strict=True)), f"slope {model.slope} intercept {model.intercept}")
    for name in REPORT:
        report = evaluate_retrieval(kb, read_eval_file(DATA / name), k=5)
        print(f"{name}: recall@5 {report.recall_at_k:.3f}  MRR@10 {report.mrr_at_10:.3f}")


if __name__ == "__main__":
    main()
