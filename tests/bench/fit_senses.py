"""Fit the sense model (``knowledge/senses.py``): which of CC-CEDICT's Chinese words an English word means.

    python tests/bench/fit_senses.py [--dry-run]

Training data: every English phrase of the hand glossary (``knowledge/glossary.tsv``) that CC-CEDICT also
glosses with at least two words general Chinese uses, one of which the glossary chose. A conditional logit
(softmax over one phrase's candidates) learns how much the main sense, general Zipf, use by the bundled
guidebooks and how many of their chunks use it count. It prints the 5-fold cross-validated share of phrases
whose top candidate is one the glossary chose, next to the dictionary order the translation used before
(main senses only, the guidebooks' words first), and writes ``knowledge/senses_model.json``.

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


def training_groups() -> list[tuple[str, list[dict[str, float]], list[int]]]:
    """(English phrase, its candidates' features, 1 for those the glossary chose) per usable glossary phrase."""
    from knowledge import cedict
    from knowledge.glossary import default_glossary
    from knowledge.senses import features
    from tests.bench.bench_english import _service

    groups = []
    with _service() as (kb, _):
        generation = kb.loaded().generation
        for key, chosen in default_glossary().entries.items():
            phrase = " ".join(key)
            candidates = cedict.senses(phrase)
            labels = [int(word in chosen) for word, _ in candidates]
            if len(candidates) < 2 or not any(labels):
                continue
            rows = [features(word, main, generation.doc_freq_of)
                    for word, main in candidates]
            groups.append((phrase, rows, labels))
    return groups


def _matrix(rows: list[dict[str, float]]) -> np.ndarray:
    from knowledge.senses import FEATURES

    return np.array([[row[name] for name in FEATURES] for row in rows])


def fit(groups: list[tuple[str, list[dict[str, float]], list[int]]]) -> np.ndarray:
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


def accuracy(groups: list[tuple[str, list[dict[str, float]], list[int]]], weights: np.ndarray) -> float:
    return float(np.mean([labels[int(np.argmax(_matrix(rows) @ weights))] for _, rows, labels in groups]))


def dictionary_order(groups: list[tuple[str, list[dict[str, float]], list[int]]]) -> float:
    """The share the earlier choice got right: main senses only, the guidebooks' words first, commoner first."""
    right = []
    for _, rows, labels in groups:
        pool = [i for i, row in enumerate(rows) if row["main"]] or list(range(len(rows)))
        pool.sort(key=lambda i: (-rows[i]["known"], -rows[i]["zipf"]))
        right.append(labels[pool[0]])
    return float(np.mean(right))


def main() -> None:
    from knowledge.senses import FEATURES, MODEL_PATH

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dry-run", action="store_true", help="print the figures, do not write the model")
    args = parser.parse_args()
    groups = training_groups()
    order = list(range(len(groups)))
    random.Random(0).shuffle(order)
    held = []
    for fold in range(FOLDS):
        test = {i for i in order[fold::FOLDS]}
        weights = fit([g for i, g in enumerate(groups) if i not in test])
        held.append(accuracy([g for i, g in enumerate(groups) if i in test], weights))
    weights = fit(groups)
    print(f"{len(groups)} glossary phrases with 2+ dictionary words, one of them the glossary's")
    print(f"  top word is the glossary's: dictionary order {dictionary_order(groups):.3f}, "
          f"fitted model {np.mean(held):.3f} ({FOLDS}-fold cross-validated)")
    print("  weights: " + ", ".join(f"{n} {w:+.3f}" for n, w in zip(FEATURES, weights, strict=True)))
    if args.dry_run:
        return
    model = {"weights": {n: round(float(w), 4) for n, w in zip(FEATURES, weights, strict=True)},
             "context": CONTEXT, "stand_in": STAND_IN, "phrases": len(groups),
             "cross_validated_top1": round(float(np.mean(held)), 4)}
    MODEL_PATH.write_text(json.dumps(model, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {MODEL_PATH}")


if __name__ == "__main__":
    main()
