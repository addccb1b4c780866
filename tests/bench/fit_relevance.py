"""Refit the shipped relevance model (knowledge/relevance_model.json) on the bundled guidebooks.

    python tests/bench/fit_relevance.py

Writes knowledge/relevance_train.jsonl — the training questions: our planner-phrased training
split, relevance_extra_train.jsonl (fresh questions from all five guidebooks and hard marketing-adjacent
off-topic ones), the dev sets, off-topic training questions (offtopic_adjacent_train.jsonl: a spread of the
domains next to marketing — HR, payroll, tax and invoices, ad law and IP, IT and platform accounts, logistics,
finance, design software, product development, sales and service scripts, office admin — in Simplified,
Traditional, Cantonese and English), the files named with ``--extra`` (planner_words_train26.jsonl: asks in planners'
own words for the guidebooks' sentences — 网红 for 意见领袖, 复盘 for 活动总结 — from every section of the five
guidebooks, and off-topic household and business-admin asks; not read by default, since no refit with it met round
twenty-six's criterion, see docs/answer_quality.md; offtopic_train27.jsonl: off-topic asks that share marketing and
business words — leases, mail/DNS/website hosting, platform and ad-account verification, invoices/VAT, payroll/MPF/社保,
trademarks, company registration, customs, English household and business admin — in Simplified, Taiwan and Hong Kong
Traditional and English, written in round twenty-seven for a wording classifier fitted on topic,
``--wording-learns topic``; round twenty-eight's candidates also ``--wording-learns found``, the in-scope asks whose
passage the ranker misses left out of the wording fit, and ``--threshold-refusal 0.98``: measured, not shipped, see
docs/answer_quality.md), and each of them with a politeness suffix, a
business-context prefix, a spoken filler and a common typo; and questions generated from the guidebooks'
own topics (section headings and the labelled items inside sections, 「客户导向原则:…」) put the ways of
question_templates.yaml (each topic asked two ways, one of them with a context, courtesy, filler, typo or
Traditional form, and once in English when the glossary has English for every word of it) — then fits
the model on them (the threshold for offline answers and the floor with a chat model are picked on the
training questions alone, each scored by a model fitted without it, see ``knowledge.relevance.fit_on``),
and prints how it does on the held-out sets (aggregates only) and how well the probabilities are calibrated
(per tenth of probability, the share of the training questions scored there by a model fitted without them that
are answerable). Never fitted on: planner_test,
planner_test2, planner_test3, planner_test4, planner_test5, planner_dev5 (a dev set measured, not fitted on),
questions_heldout, out_of_scope_extra, adjacent_dev (the marketing-adjacent dev set the gate's changes are
measured on), trad_dev (Traditional questions in Taiwan and Hong Kong wording, halved into look and hold).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import sys
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from knowledge.precedents import Precedent, Precedents
    from knowledge.relevance import TrainingItem

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
DATA = ROOT / "tests" / "data"
TRAIN_SOURCES = ("planner_train.jsonl", "relevance_extra_train.jsonl", "eval/questions_dev.jsonl",
                 "eval/questions_planner_dev.jsonl", "offtopic_train.jsonl", "offtopic_adjacent_train.jsonl")
REPORT = ("questions_heldout.jsonl", "out_of_scope_extra.jsonl")
# Off-topic questions the threshold must refuse, and in-scope ones the floor must still let a model see.
TEMPLATES = Path(__file__).with_name("question_templates.yaml")
# Headings that name no topic a question could ask about (a year placeholder, an article number).
_NUMBERING = re.compile(r"^(?:第[一二三四五六七八九十\d]+[章节篇]\s*|[\d.]+\s*|[一二三四五六七八九十]+、\s*|\d+、\s*|[(（][一二三四五六七八九十\d]+[)）]\s*)+")
_UNASKABLE = re.compile(r"[_:：\d]|篇")
ASKS_PER_HEADING = 2


# A labelled item inside a section (「客户导向原则:以客户需求为核心…」「(1)主打产品:挑选…」) names a topic too.
_LABEL = re.compile(r"(?:^|[。;；\n])[-\s]*(?:[(（]?[\da-z一二三四五六七八九十]+[)）.、])?\s*([\u4e00-\u9fff]{3,12})[:：]([^\n]{12,})")
# Words that join the parts of a heading, as English says them (None: left out).
_JOINERS = {"与": "and", "和": "and", "及": "and", "、": "and", "的": None}


def topics(chunks) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """What the guidebooks themselves name as topics, each with a phrase of the text about it: section
    headings (a phrase from the middle of the section's last line) and labelled items inside sections
    (the first words after the label)."""
    from core.text.scripts import to_simplified

    out: list[tuple[str, str]] = []
    seen: set[str] = set()

    def add(topic: str, expect: str) -> None:
        topic = _NUMBERING.sub("", topic).strip(" ：:。")
        if topic not in seen and not _UNASKABLE.search(topic) and 3 <= len(topic) <= 16 and len(expect) >= 10:
            seen.add(topic)
            out.append((topic, expect))

    for chunk in chunks:
        body = to_simplified(chunk.text.strip().splitlines()[-1])
        if len(body) >= 24:
            add(to_simplified(chunk.section.split(" > ")[-1]), body[len(body) // 2: len(body) // 2 + 12])
        for label, rest in _LABEL.findall(to_simplified(chunk.text)):
            add(label, rest.strip()[:12])
    return out


def heading_questions(chunks, seed: int = 8) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """Training questions from the guidebooks' own topics (``topics``): each asked ``ASKS_PER_HEADING``
    ways, the second dressed as planners write (context first, thanks last, a filler, a typo or
    Traditional characters); the answer expected is a phrase of the text about it."""
    import yaml

    from core.text.scripts import to_traditional
    from tests.perturb import typo

    templates = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))
    rng = random.Random(seed)
    out: list[dict] = []  # type: ignore[type-arg]
    for heading, expect in topics(chunks):
        for n, ask in enumerate(rng.sample(templates["asks"], ASKS_PER_HEADING)):
            question = ask.format(h=heading)
            if n:
                dress = rng.choice(("context", "courtesy", "filler", "typo", "traditional"))
                if dress == "context":
                    question = rng.choice(templates["context"]) + question
                elif dress == "courtesy":
                    question = question + rng.choice(templates["courtesy"])
                elif dress == "filler":
                    question = rng.choice(templates["filler"]) + question
                elif dress == "typo":
                    question = typo(question)
                else:
                    question = to_traditional(question)
            out.append({"question": question, "expect_any": [expect], "out_of_scope": False, "group": f"h:{heading}"})
    return out


def in_english(topic: str, english: dict[str, str]) -> str | None:
    """``topic`` (Simplified) in the English the glossary gives its words (``english``: a guidebook term →
    its English key), or None when a word of it has none."""
    from core.text import segment

    words: list[str] = []
    for word in segment.cut(topic):
        if word in _JOINERS:
            joiner = _JOINERS[word]
            if joiner and words:
                words.append(joiner)
            continue
        if word not in english:
            return None
        words.append(english[word])
    return " ".join(words) or None


def english_questions(chunks, seed: int = 8) -> list[dict]:  # type: ignore[no-untyped-def,type-arg]
    """English training questions about the guidebooks' own topics (``topics``) whose every word the
    glossary translates: each asked one of the ``english_asks`` ways, half of them dressed as planners
    write (a situation first, thanks last, a spoken opening). Without them the English questions the
    model learns from are a few dozen, most of them off-topic."""
    import yaml

    from knowledge.glossary import default_glossary

    templates = yaml.safe_load(TEMPLATES.read_text(encoding="utf-8"))
    english: dict[str, str] = {}
    for key, terms in default_glossary().entries.items():  # the glossary's first key for a term
        english.setdefault(terms[0], " ".join(key))
    rng = random.Random(seed)
    out: list[dict] = []  # type: ignore[type-arg]
    for heading, expect in topics(chunks):
        topic = in_english(heading, english)
        if topic is None:
            continue
        question = rng.choice(templates["english_asks"]).format(h=topic)
        dress = rng.choice(("plain", "context", "courtesy", "filler"))
        if dress == "context":
            question = rng.choice(templates["english_context"]) + " " + question
        elif dress == "courtesy":
            question = question + " " + rng.choice(templates["english_courtesy"])
        elif dress == "filler":
            question = rng.choice(templates["english_filler"]) + " " + question[0].lower() + question[1:]
        out.append({"question": question, "expect_any": [expect], "out_of_scope": False, "group": f"h:{heading}"})
    return out


def precedents_for(train: Sequence[TrainingItem], labelled: Iterable[Precedent]) -> Callable[[str], Precedents]:
    """For a training question, the ``labelled`` questions it is searched with: those of the other folds only
    (``fit_ranking.others_of``, the folds fit_ranking and fit_quotes cross-fit by). Every in-scope training
    question is a precedent too; searched with its own rephrasings it would be ranked and judged as answered by
    itself (``precedent``, ``asked_like``, precedent candidates), which a question never seen is not, and the
    model would trust evidence unseen questions never have (round fourteen's leak, in rel18's new form)."""
    from tests.bench.fit_ranking import others_of

    others = others_of(labelled)
    group_of = {item.question: item.group_key for item in train}
    return lambda question: others(group_of.get(question, question))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--training-set-only", action="store_true",
                        help="write relevance_train.jsonl and stop (fit_ranking reads its in-scope questions, and runs "
                             "before this fit when they change)")
    parser.add_argument("--extra", action="append", default=[], metavar="FILE",
                        help="also train on this file of tests/data (repeatable), e.g. planner_words_train26.jsonl")
    parser.add_argument("--wording-learns", choices=("answered", "topic", "found"), default=None,
                        help="what the wording classifier learns (default: knowledge.relevance.WORDING_LEARNS)")
    parser.add_argument("--off-topic-weight", type=float, default=None, metavar="W",
                        help="weight of an off-topic question in the wording fit (default: knowledge.relevance.OFF_TOPIC_WEIGHT)")
    parser.add_argument("--threshold-refusal", type=float, default=None, metavar="SHARE",
                        help="share of the off-topic training questions the threshold refuses (default: "
                             "knowledge.relevance.THRESHOLD_REFUSAL)")
    args = parser.parse_args()
    os.environ.setdefault("CEHUA_HOME", tempfile.mkdtemp(prefix="cehua-fit-"))
    from knowledge import open_knowledge_base
    from knowledge.evaluate import read_eval_file
    from knowledge.relevance import (
        MODEL_PATH,
        OFF_TOPIC_WEIGHT,
        THRESHOLD_REFUSAL,
        TRAIN_PATH,
        WORDING_LEARNS,
        fingerprint,
        fit_on,
        save_model,
        training_items,
    )
    from tests.perturb import variants

    kb = open_knowledge_base()
    kb.ensure_ready()
    from knowledge.precedents import load_precedents, using
    from knowledge.retriever import evidence_for, unknown_words_of

    loaded = kb.loaded()
    assert loaded.generation is not None
    generation = loaded.generation
    rows: list[dict] = []  # type: ignore[type-arg]
    for name in (*TRAIN_SOURCES, *args.extra):
        base = read_eval_file(DATA / name)
        for index, item in enumerate(base):
            group = f"{name}:{item.id}"
            for each in (item, *(v for v in variants(item, index).values() if v.question != item.question)):
                rows.append({"question": each.question, "expect_any": each.expect_any,
                             "out_of_scope": each.out_of_scope, "group": group})
    rows.extend(heading_questions(generation.chunks))
    rows.extend(english_questions(generation.chunks))
    seen: set[str] = set()
    with open(TRAIN_PATH, "w", encoding="utf-8") as handle:
        for row in rows:
            if row["question"] not in seen:
                seen.add(row["question"])
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")
    if args.training_set_only:
        print(f"wrote {TRAIN_PATH} ({len(seen)} questions)")
        return

    train = training_items()
    searched_with = precedents_for(train, load_precedents().items)

    def seen_by_model(question: str, phrasing: frozenset[str]):  # type: ignore[no-untyped-def]
        with using(searched_with(question)):
            return evidence_for(generation, question, phrasing)

    fitted = fit_on(seen_by_model, lambda q: unknown_words_of(generation, q), train,
                    fingerprint_=fingerprint([d.sha256 for d in loaded.manifest.docs]),
                    trained_on=f"{TRAIN_PATH.name}: {len(train)} questions",
                    wording_learns=args.wording_learns or WORDING_LEARNS,
                    off_topic_weight=args.off_topic_weight or OFF_TOPIC_WEIGHT,
                    threshold_refusal=args.threshold_refusal or THRESHOLD_REFUSAL)
    model, scored = fitted.model, fitted.scored
    off = [p for p, _, oos in scored if oos]
    save_model(model, MODEL_PATH)
    print(f"fitted on {len(train)} questions; threshold {model.threshold}, floor {model.floor}")
    print("phrasing learned:", " ".join(model.phrasing))
    print("coefficients:", {n: round(c, 3) for n, c in zip(model.features, model.coef, strict=True)})
    print(f"wording: {len(model.wording)} n-grams")
    for floor_name, cut_at in (("threshold", model.threshold), ("floor", model.floor)):
        answerable = [p for p, a, _ in scored if a]
        print(f"train {floor_name}: answerable accepted {sum(p >= cut_at for p in answerable) / len(answerable):.3f}, "
              f"off-topic refused {sum(p < cut_at for p in off) / len(off):.3f}")
    print("reliability of the cross-fitted probabilities (bin: questions, mean probability, share answerable):")
    for low in (i / 10 for i in range(10)):
        in_bin = [(p, a) for p, a, _ in scored if low <= p < low + 0.1 or (low == 0.9 and p == 1.0)]
        if in_bin:
            print(f"  {low:.1f}-{low + 0.1:.1f}: {len(in_bin):5d}  {sum(p for p, _ in in_bin) / len(in_bin):.3f}  "
                  f"{sum(a for _, a in in_bin) / len(in_bin):.3f}")
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
