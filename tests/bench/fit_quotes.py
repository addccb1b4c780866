"""Refit the quote ranker (assistant/chat/quote_model.json): which sentence of the retrieved passages to quote.

    python tests/bench/fit_quotes.py [--report] [--answers] [--cache FILE] [--extra FILE ...]

For every training question the guidebooks answer, the passages are retrieved as the chat service
retrieves them, and every sentence that shares a topic word with the question is a candidate (a sentence before
a lead-in twice: quoted alone, and on into the list the lead-in announces): it is a positive when what quoting it
would say (its sentence run or its list) holds an expected phrase (and, for a sentence whose quote alone holds it,
not also its quote on into the list). The sentence's n-grams are read twice, the
second time only for questions asking how to do something (``asks_how``), where measures answer and descriptions
of the problem do not. A
logistic regression over the candidates' signals (``assistant.chat.quote_ranker.FEATURES``) is fitted,
its regularisation chosen by cross-validation grouped by question (a question and its rephrasings never
score each other). ``--report`` prints, cross-fitted, how often the best-ranked candidate holds the answer
under the hand-weighted score and under the ranker.

Fitted on: planner_train, relevance_extra_train, the dev sets, the dev splits of the answer-form and English
cases, the files named with ``--extra`` (planner_words_train26.jsonl: asks in planners' own words, each for one
guidebook sentence), and each with a politeness suffix, a context prefix, a filler and a typo. Never fitted on:
planner_test, planner_test2, planner_test3, questions_heldout, the test splits of the answer-form and English cases,
any planner dev set.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
SOURCES = ("planner_train.jsonl", "relevance_extra_train.jsonl", "eval/questions_dev.jsonl",
           "eval/questions_planner_dev.jsonl")
FORM_SOURCES = ("answer_form.jsonl", "answer_form_test2.jsonl", "english_questions.jsonl",
                "english_questions_test2.jsonl")
FORM_SPLITS = ("dev", "dev2")
MIN_DF = 3
# What the ranker's probability adds to the hand-weighted score. The probability says which sentence answers
# best, trained on what quoting one sentence gives; an answer quotes up to three, so the blend was chosen by the
# whole answer's hit rate, cross-fitted over the training questions (5 folds by question, plain wording; 344
# questions, C=0.1): 0 (hand weights alone) 297, 0.25 299, 0.5 298, 1.0 297, 3.0 297.
BLEND = 0.25


def training_questions(extra: tuple[str, ...] = ()) -> list[dict[str, Any]]:
    """(question, expected phrases, group) for every training question and its variants; ``extra``, more files of
    tests/data to train on."""
    from knowledge.evaluate import EvalItem, read_eval_file
    from tests.perturb import variants

    rows: list[dict[str, Any]] = []
    items: list[tuple[str, EvalItem]] = []
    for name in (*SOURCES, *extra):
        items += [(f"{name}:{item.id}", item) for item in read_eval_file(DATA / name) if not item.out_of_scope]
    for name in FORM_SOURCES:
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line) if line.strip() else None
            if not row or row.get("split") not in FORM_SPLITS or row.get("out_of_scope"):
                continue
            expect = row.get("expect_any") or row.get("expect_all") or [
                p for part in row.get("expect_parts", []) for p in part]
            items.append((f"{name}:{row['id']}", EvalItem(id=row["id"], question=row["question"], expect_any=expect)))
    for index, (group, item) in enumerate(items):
        for each in (item, *(v for v in variants(item, index).values() if v.question != item.question)):
            rows.append({"question": each.question, "expect_any": each.expect_any, "group": group})
    return rows


def candidates_of(service: Any, question: str) -> list[tuple[Any, str, dict[str, float]]]:
    """The candidates the chat service would rank for ``question`` (each part's, for a question of several)."""
    from assistant.chat.extractive import asks_for_list, quote_candidates
    from assistant.chat.question import asks_how
    from assistant.chat.service import join_adjacent, question_parts
    from core.text.scripts import detect_script, to_simplified

    script = detect_script(question)
    standalone = question if script == "en" else to_simplified(question)
    result = service._search(standalone)
    if not result.good_match:
        return []
    passages = join_adjacent(service._with_list_sections(result.passages))
    focus = service.quote_focus(standalone, script, passages, result.understood)
    parts = question_parts(focus) if script != "en" else []
    if len(parts) > 1:
        return [c for part in parts for c in quote_candidates(part, passages, context=focus, echoes=result.precedents)]
    return quote_candidates(focus, passages, list_question=asks_for_list(standalone), how=asks_how(standalone),
                            asker=standalone, echoes=result.precedents)


def others_precedents() -> Any:
    """For a question group, the shipped labelled questions of the other parts only (``fit_ranking``'s folds):
    the ``precedent`` feature of a training question is measured as for a question never seen, never against
    its own rephrasings."""
    from knowledge.precedents import load_precedents
    from tests.bench.fit_ranking import others_of

    return others_of(load_precedents().items)


def collect(service: Any, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    from knowledge.evaluate import is_hit
    from knowledge.precedents import using

    out = []
    others = others_precedents()
    for number, row in enumerate(rows):
        with using(others(row["group"])):
            found = candidates_of(service, row["question"])
        labels = [is_hit(said, row["expect_any"]) for _, said, _ in found]
        if not any(labels):
            continue  # nothing to choose between: retrieval's or the decision's miss, not the quote's
        # A sentence that answers alone is not answered better by running on into the list after it: of a unit's
        # quotes that hold the answer, only the shortest is a positive (a definition, not the principles after it).
        answering_alone = {id(unit) for (unit, _, features), label in zip(found, labels, strict=True)
                           if label and not features["into_list"]}
        labels = [label and not (features["into_list"] and id(unit) in answering_alone)
                  for (unit, _, features), label in zip(found, labels, strict=True)]
        for (unit, said, features), label in zip(found, labels, strict=True):
            out.append({"q": number, "group": row["group"], "y": int(label), "question": row["question"],
                        "text": unit.text, "said": said, **features})
    return out


def top_hit(frame_rows: list[dict[str, Any]], scores: list[float]) -> float:
    """The share of questions whose best-scored candidate is a positive."""
    best: dict[int, tuple[float, int]] = {}
    for row, score in zip(frame_rows, scores, strict=True):
        if row["q"] not in best or score > best[row["q"]][0]:
            best[row["q"]] = (score, row["y"])
    return sum(y for _, y in best.values()) / max(1, len(best))


def design(data: list[dict[str, Any]]) -> tuple[Any, list[str]]:
    """The candidates as the ranker reads them (its features, then the L2-normalised indicator vector of the
    sentence's n-grams seen in at least ``MIN_DF`` distinct sentences, so a weight is about a way of writing,
    not one sentence), and that n-gram vocabulary."""
    from scipy import sparse
    from sklearn.feature_extraction.text import CountVectorizer
    from sklearn.preprocessing import normalize

    from assistant.chat.quote_ranker import FEATURES, char_ngrams
    from core.text.scripts import to_simplified

    texts = [to_simplified(row["text"]) for row in data]
    df: Counter[str] = Counter(g for text in set(texts) for g in char_ngrams(text))
    vocabulary = sorted(g for g, n in df.items() if n >= MIN_DF)
    vectorizer = CountVectorizer(analyzer=lambda t: list(char_ngrams(t)), vocabulary=vocabulary, binary=True)
    grams = normalize(vectorizer.transform(texts))
    # The n-grams again, only for questions asking how to do something (``QuoteRanker.how_ngrams``).
    how = sparse.diags([float(row["how"]) for row in data]) @ grams
    x = sparse.hstack([sparse.csr_matrix([[row[f] for f in FEATURES] for row in data]), grams, how]).tocsr()
    return x, vocabulary


def fit_ranker(data: list[dict[str, Any]], c: float) -> tuple[Any, list[float]]:
    """The ranker fitted on the candidates ``data`` (regularisation ``c``), and the fitted model's probability
    for each candidate."""
    from sklearn.linear_model import LogisticRegression

    from assistant.chat.quote_ranker import FEATURES, QuoteRanker

    x, vocabulary = design(data)
    model = LogisticRegression(C=c, max_iter=3000).fit(x, [row["y"] for row in data])
    coef = [float(w) for w in model.coef_[0]]
    dense, n = len(FEATURES), len(vocabulary)
    ranker = QuoteRanker(features=list(FEATURES), coef=coef[:dense], intercept=float(model.intercept_[0]),
                         ngrams=dict(zip(vocabulary, coef[dense:dense + n], strict=True)),
                         how_ngrams={g: w for g, w in zip(vocabulary, coef[dense + n:], strict=True) if w},
                         blend=BLEND,
                         trained_on=f"{len({r['q'] for r in data})} questions, {len(data)} candidates, C={c}")
    return ranker, [float(p) for p in model.predict_proba(x)[:, 1]]


def answer_hits(data: list[dict[str, Any]], folds: list[Any], c: float, blends: tuple[float, ...],
                extra: tuple[str, ...] = ()) -> dict[float, float]:
    """Cross-fitted whole-answer hit rate for each blend: every question the candidates come from is asked of the
    chat service while a ranker fitted on the other folds picks the quotes (blend 0: the hand-weighted score alone).
    What an answer quotes is up to three places, so this, not the best candidate alone, says which blend serves."""
    from assistant.chat import extractive
    from knowledge.evaluate import is_hit
    from knowledge.precedents import using
    from tests.bench.offline import offline_chat

    rows = training_questions(extra)
    _, _, service = offline_chat()
    others = others_precedents()
    shipped = extractive.shipped_ranker
    hits = dict.fromkeys(blends, 0)
    asked = 0
    try:
        for train, test in folds:
            ranker, _ = fit_ranker([data[i] for i in train], c)
            questions = sorted({data[i]["q"] for i in test})
            asked += len(questions)
            for blend in blends:
                fold_ranker = ranker.model_copy(update={"blend": blend})
                extractive.shipped_ranker = lambda r=fold_ranker: r  # type: ignore[assignment]
                for q in questions:
                    with using(others(rows[q]["group"])):
                        answer = service.ask(rows[q]["question"])
                    hits[blend] += bool(answer.citations) and is_hit(answer.answer, rows[q]["expect_any"])
    finally:
        extractive.shipped_ranker = shipped  # type: ignore[assignment]
    return {blend: hit / max(1, asked) for blend, hit in hits.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--report", action="store_true")
    parser.add_argument("--answers", action="store_true",
                        help="also the cross-fitted whole-answer hit rate for several blends (a few minutes)")
    parser.add_argument("--cache", type=Path, help="read/write the collected candidates here")
    parser.add_argument("--extra", action="append", default=[],
                        help="also train on this file of tests/data (repeatable), e.g. planner_words_train26.jsonl")
    args = parser.parse_args()
    os.environ.setdefault("CEHUA_HOME", tempfile.mkdtemp(prefix="cehua-fit-"))
    import numpy as np
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import GroupKFold

    from assistant.chat.quote_ranker import FEATURES, MODEL_PATH
    from tests.bench.offline import offline_chat

    if args.cache and args.cache.exists():
        data = json.loads(args.cache.read_text(encoding="utf-8"))
    else:
        _, _, service = offline_chat()
        data = collect(service, training_questions(tuple(args.extra)))
        if args.cache:
            args.cache.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    x, vocabulary = design(data)
    y = np.array([row["y"] for row in data])
    print(f"{len({r['q'] for r in data})} questions, {len(data)} candidates, {int(y.sum())} positive, "
          f"{len(vocabulary)} n-grams")
    folds = list(GroupKFold(n_splits=5).split(x, y, [row["group"] for row in data]))

    def crossfit(c: float) -> np.ndarray:
        scores = np.zeros(len(y))
        for train, test in folds:
            model = LogisticRegression(C=c, max_iter=3000).fit(x[train], y[train])
            scores[test] = model.decision_function(x[test])
        return scores

    tried = {c: top_hit(data, list(crossfit(c))) for c in (0.03, 0.1, 0.3, 1.0)}
    best = max(tried, key=lambda c: tried[c])
    if args.report:
        print(f"best candidate holds the answer: hand-weighted {top_hit(data, [r['base'] for r in data]):.3f}; "
              + "; ".join(f"ranker C={c} {v:.3f}" for c, v in tried.items()))
    if args.answers:
        rates = answer_hits(data, folds, best, (0.0, 0.25, 0.5, 1.0), tuple(args.extra))
        print("whole answer holds the answer, cross-fitted: " + "; ".join(
            f"blend {blend} {rate:.3f}" for blend, rate in rates.items()))
    ranker, _ = fit_ranker(data, best)
    ranker.coef = [round(w, 4) for w in ranker.coef]
    ranker.intercept = round(ranker.intercept, 4)
    ranker.ngrams = {g: round(w, 4) for g, w in ranker.ngrams.items()}
    ranker.how_ngrams = {g: round(w, 4) for g, w in ranker.how_ngrams.items() if round(w, 4)}
    MODEL_PATH.write_text(json.dumps(ranker.model_dump(), ensure_ascii=False, indent=0) + "\n", encoding="utf-8")
    print("coefficients:", dict(zip(FEATURES, ranker.coef, strict=True)), f"{len(ranker.ngrams)} n-grams")


if __name__ == "__main__":
    main()
