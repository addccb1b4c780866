"""Fit the sense model (``knowledge/senses.py``): which of CC-CEDICT's Chinese words an English word means.

    python tests/bench/fit_senses.py [--dry-run]

Training data: every English phrase of the hand glossary (``knowledge/glossary.tsv``) that CC-CEDICT also
glosses with at least two words general Chinese uses, one of which the glossary chose; and the English words of
the training sets' English questions, each with the Chinese word(s) it means there
(``tests/data/senses_questions.tsv``). The glossary holds marketing words only, whose right Chinese is nearly
always a word the guidebooks use; the question words include everyday and off-topic ones ("register a
trademark", "plan a wedding reception"), whose right Chinese often is not. A conditional logit (softmax over one
word's candidates) learns how much the main sense, general Zipf, use by the bundled guidebooks, how many of
their chunks use it, and how much the candidate means that English word among its own glosses (where the gloss
stands, its share of their English use) count. It prints the 5-fold cross-validated share of words whose top
candidate is a right one, for each source, next to the dictionary order the translation used before (main
senses only, the guidebooks' words first), and writes ``knowledge/senses_model.json``.

``CONTEXT`` (how much nearness in meaning to the question's other words counts) and ``STAND_IN`` (how near a
guidebook word must be to stand for a candidate the guidebooks never use) cannot be learnt from a glossary
without questions: they were chosen on the look half of the English dev questions
(``bench_english.py --half look``) and judged on the hold half.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CONTEXT = 2.0
STAND_IN = 0.75
L2 = 0.1
STEPS = 400
RATE = 0.1
FOLDS = 5


QUESTION_WORDS = ROOT / "tests" / "data" / "senses_questions.tsv"

Group = tuple[str, list[dict[str, float]], list[int]]


def question_words() -> list[tuple[str, tuple[str, ...]]]:
    """(English word as written, the Chinese words it means) per row of ``QUESTION_WORDS``."""
    rows = []
    for number, line in enumerate(QUESTION_WORDS.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        if len(parts) != 3:
            raise SystemExit(f"{QUESTION_WORDS} line {number}: write 'question id<TAB>word<TAB>中文|中文'")
        rows.append((parts[1], tuple(parts[2].split("|"))))
    return rows


def training_groups() -> tuple[list[Group], list[Group]]:
    """(English word or phrase, its candidates' features, 1 for the right ones) per usable glossary phrase,
    and per usable question word."""
    from knowledge import cedict
    from knowledge.glossary import _forms, _glossed_forms, default_glossary
    from knowledge.senses import features
    from tests.bench.bench_english import _service

    def group(english: str, candidates: tuple[tuple[str, bool], ...], forms: tuple[str, ...],
              chosen: tuple[str, ...]) -> list[Group]:
        labels = [int(word in chosen) for word, _ in candidates]
        if len(candidates) < 2 or not any(labels):
            return []
        return [(english, [features(word, main, uses, forms) for word, main in candidates], labels)]

    glossary: list[Group] = []
    questions: list[Group] = []
    with _service() as (kb, _):
        uses = kb.loaded().generation.doc_freq_of
        for key, chosen in default_glossary().entries.items():
            phrase = " ".join(key)
            glossary += group(phrase, cedict.senses(phrase), (phrase,), chosen)
        for word, chosen in question_words():
            forms = _forms(word)
            questions += group(word, cedict.word_senses(forms), _glossed_forms(forms), chosen)
    return glossary, questions


def _matrix(rows: list[dict[str, float]]) -> np.ndarray:
    from knowledge.senses import FEATURES

    return np.array([[row[name] for name in FEATURES] for row in rows])


def fit(groups: list[Group]) -> np.ndarray:
    """Conditional-logit weights (gradient ascent on the mean log-likelihood, L2 penalty)."""
    from knowledge.senses import FEATURES

    data = [(_matrix(rows), np.array(labels, dtype=float) / sum(labels)) for _, rows, labels in groups]
    weights = np.zeros(len(FEATURES))
    for _ in range(STEPS):
        gradient = np.zeros_like(weights)
        for x, target in data:
            scores = x @ weights
            p = np.exp(scores - scores.max())
            gradient += x.T @ (target - p / p.sum())
        weights += RATE * (gradient / len(data) - L2 * weights)
    return weights


def accuracy(groups: list[Group], weights: np.ndarray) -> float:
    return float(np.mean([labels[int(np.argmax(_matrix(rows) @ weights))] for _, rows, labels in groups]))


def dictionary_order(groups: list[Group]) -> float:
    """The share the earlier choice got right: main senses only, the guidebooks' words first, commoner first."""
    right = []
    for _, rows, labels in groups:
        pool = [i for i, row in enumerate(rows) if row["main"]] or list(range(len(rows)))
        pool.sort(key=lambda i: (-rows[i]["known"], -rows[i]["zipf"]))
        right.append(labels[pool[0]])
    return float(np.mean(right))


def _folds(groups: list[Group], seed: int) -> list[int]:
    """Each group's cross-validation fold (a shuffle of 0..FOLDS-1 repeated)."""
    order = list(range(len(groups)))
    random.Random(seed).shuffle(order)
    fold = [0] * len(groups)
    for n, i in enumerate(order):
        fold[i] = n % FOLDS
    return fold


def main() -> None:
    from knowledge.senses import FEATURES, MODEL_PATH

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the figures, do not write the model")
    args = parser.parse_args()
    glossary, questions = training_groups()
    folds = [_folds(glossary, 0), _folds(questions, 1)]
    held: list[list[float]] = [[], []]
    for fold in range(FOLDS):
        train = [g for source, groups in zip(folds, (glossary, questions), strict=True)
                 for i, g in enumerate(groups) if source[i] != fold]
        weights = fit(train)
        for n, groups in enumerate((glossary, questions)):
            held[n].append(accuracy([g for i, g in enumerate(groups) if folds[n][i] == fold], weights))
    weights = fit(glossary + questions)
    print(f"{len(glossary)} glossary phrases and {len(questions)} question words with 2+ dictionary words, "
          "one of them right")
    for name, groups, scores in (("glossary", glossary, held[0]), ("question words", questions, held[1])):
        print(f"  top word right, {name}: dictionary order {dictionary_order(groups):.3f}, "
              f"fitted model {np.mean(scores):.3f} ({FOLDS}-fold cross-validated)")
    print("  weights: " + ", ".join(f"{n} {w:+.3f}" for n, w in zip(FEATURES, weights, strict=True)))
    if args.dry_run:
        return
    model = {"weights": {n: round(float(w), 4) for n, w in zip(FEATURES, weights, strict=True)},
             "context": CONTEXT, "stand_in": STAND_IN, "phrases": len(glossary), "question_words": len(questions),
             "cross_validated_top1": round(float(np.mean(held[0])), 4),
             "cross_validated_top1_questions": round(float(np.mean(held[1])), 4)}
    MODEL_PATH.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
