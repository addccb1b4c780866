"""Refit the shipped relevance model (knowledge/relevance_model.json) on the bundled guidebooks.

    python tests/bench/fit_relevance.py

Writes knowledge/relevance_train.jsonl — the training questions: our planner-phrased training
split, relevance_extra_train.jsonl (fresh questions from all five guidebooks and hard marketing-adjacent
off-topic ones), the dev sets, off-topic training questions, and each of them with a politeness suffix, a
business-context prefix, a spoken filler and a common typo — then fits the model on them, picks
the threshold (offline answers) and the floor (with a chat model) on the training questions alone,
and prints how it does on the frozen and held-out sets (aggregates only). Never fitted on:
planner_test, planner_test2, questions_heldout, out_of_scope_extra.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
TRAIN_SOURCES = ("planner_train.jsonl", "relevance_extra_train.jsonl", "eval/questions_dev.jsonl",
                 "eval/questions_planner_dev.jsonl", "offtopic_train.jsonl")
REPORT = ("questions_heldout.jsonl", "out_of_scope_extra.jsonl")
# Off-topic questions the threshold must refuse, and in-scope ones the floor must still let a model see.
THRESHOLD_REFUSAL = 0.975
FLOOR_REFUSAL = 0.95


def main() -> None:
    os.environ.setdefault("CEHUA_HOME", tempfile.mkdtemp(prefix="cehua-fit-"))
    from knowledge import open_knowledge_base
    from knowledge.evaluate import is_hit, read_eval_file
    from knowledge.relevance import MODEL_PATH, TRAIN_PATH, fingerprint, fit_on, save_model, training_items
    from tests.perturb import variants

    items = []
    for name in TRAIN_SOURCES:
        base = read_eval_file(DATA / name)
        for index, item in enumerate(base):
            items.append(item)
            items.extend(v for kind, v in variants(item, index).items() if v.question != item.question)
    seen: set[str] = set()
    with open(TRAIN_PATH, "w", encoding="utf-8") as handle:
        for item in items:
            if item.question in seen:
                continue
            seen.add(item.question)
            handle.write(json.dumps({"question": item.question, "expect_any": item.expect_any,
                                     "out_of_scope": item.out_of_scope}, ensure_ascii=False) + "\n")
    kb = open_knowledge_base()
    kb.ensure_ready()
    from knowledge.retriever import evidence_for, unknown_words_of

    loaded = kb.loaded()
    assert loaded.generation is not None
    generation = loaded.generation
    evidence = {}

    def seen_by_model(question: str, phrasing: frozenset[str]):  # type: ignore[no-untyped-def]
        evidence[question] = evidence_for(generation, question, phrasing)
        return evidence[question]

    train = training_items()
    model = fit_on(seen_by_model, lambda q: unknown_words_of(generation, q), train, fingerprint_=fingerprint([d.sha256 for d in loaded.manifest.docs]),
                   trained_on=f"{TRAIN_PATH.name}: {len(train)} questions")
    scored = []
    for item in train:
        texts, features = evidence[item.question]
        answerable = not item.out_of_scope and any(is_hit(t, item.expect_any) for t in texts[:5])
        scored.append((model.probability(features), answerable, item.out_of_scope))
    off = sorted(p for p, _, oos in scored if oos)

    def cut(refusal: float) -> float:
        index = min(len(off) - 1, int(refusal * len(off)))
        return round(off[index] + 1e-4, 3)

    model = model.model_copy(update={"threshold": max(0.5, cut(THRESHOLD_REFUSAL)), "floor": cut(FLOOR_REFUSAL)})
    save_model(model, MODEL_PATH)
    print(f"fitted on {len(train)} questions; threshold {model.threshold}, floor {model.floor}")
    print("phrasing learned:", " ".join(model.phrasing))
    print("coefficients:", {n: round(c, 3) for n, c in zip(model.features, model.coef, strict=True)})
    for floor_name, cut_at in (("threshold", model.threshold), ("floor", model.floor)):
        answerable = [p for p, a, _ in scored if a]
        print(f"train {floor_name}: answerable accepted {sum(p >= cut_at for p in answerable) / len(answerable):.3f}, "
              f"off-topic refused {sum(p < cut_at for p in off) / len(off):.3f}")
    kb.loaded().relevance = None
    for name in REPORT:
        results = [(kb.search(i.question), i) for i in read_eval_file(DATA / name)]
        inside = [r for r, i in results if not i.out_of_scope]
        outside = [r for r, i in results if i.out_of_scope]
        line = f"{name}: "
        if inside:
            line += f"in-scope good_match {sum(r.good_match for r in inside) / len(inside):.3f} "
        if outside:
            line += (f"off-topic refused {sum(not r.good_match for r in outside) / len(outside):.3f}, "
                     f"kept from a model {sum(not r.plausible for r in outside) / len(outside):.3f}")
        print(line)


if __name__ == "__main__":
    main()
