"""How the relevance model learns: the threshold is picked on probabilities of questions the model was
fitted without, phrasing is learned once per question (not once per rephrasing), and the training
questions the guidebooks' own structure gives (headings, labelled items, their English) are askable."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from knowledge.chunk import Chunk
from knowledge.relevance import TrainingItem, cross_fitted, fit, learn_phrasing

sys.path.insert(0, str(Path(__file__).parents[1] / "bench"))
from datetime import UTC

import fit_relevance  # noqa: E402


def _rows(n: int, seed: int = 3) -> tuple[list[dict[str, float]], list[int], list[str]]:
    rng = random.Random(seed)
    rows: list[dict[str, float]] = []
    labels: list[int] = []
    groups: list[str] = []
    for i in range(n):
        label = i % 2
        rows.append({"coverage": rng.gauss(0.7 if label else 0.4, 0.15), "dense": rng.gauss(0.6 if label else 0.4, 0.1)})
        labels.append(label)
        groups.append(f"g{i // 3}")
    return rows, labels, groups


def test_cross_fitted_probabilities_come_from_models_that_never_saw_the_question() -> None:
    rows, labels, groups = _rows(120)
    # One off-topic question that looks answerable, asked three ways: the model fitted on it learns a
    # little of it, one fitted without it does not.
    for _ in range(3):
        rows.append({"coverage": 0.95, "dense": 0.9})
        labels.append(0)
        groups.append("odd")
    whole = fit(rows, labels)
    held_out = cross_fitted(rows, labels, groups, whole)
    assert len(held_out) == len(rows)
    assert all(h > whole.probability(rows[-1]) for h in held_out[-3:])
    assert held_out[:120] != [whole.probability(r) for r in rows[:120]]


def test_a_fold_without_both_kinds_keeps_the_whole_fit() -> None:
    rows, labels, _ = _rows(10)
    whole = fit(rows, labels)
    held_out = cross_fitted(rows, labels, ["only"] * len(rows), whole)
    assert held_out == [whole.probability(r) for r in rows]


def test_a_word_is_phrasing_only_when_different_questions_use_it() -> None:
    items = [TrainingItem(question=f"试卖{i}", expect_any=["x"], group="one") for i in range(6)]
    items += [TrainingItem(question=f"讲究{i}", expect_any=["x"], group=f"q{i}") for i in range(2)]

    def unknown(question: str) -> set[str]:
        return {question[:2]}

    assert learn_phrasing(items, unknown) == ["讲究"]  # 试卖: one question asked six ways


def _chunk(section: str, text: str, n: int = 0) -> Chunk:
    return Chunk(chunk_id=f"c{n}", doc="d", title="t", section=section, text=text, start=0, end=len(text))


CHUNKS = [
    _chunk("第六章 价格策略 > 6.1.4 套餐定价策略",
           "6.1.4套餐定价策略\n套餐定价策略是指企业将多个产品或服务组合在一起,以一定的价格销售,满足多样化需求。"),
    _chunk("第6章 渠道策略优化 > 6.1.1 渠道设计原则",
           "6.1.1渠道设计原则\n客户导向原则:以客户需求为核心,保证渠道设计与目标市场的高度契合。效率原则:提高渠道运营效率,降低成本。", 1),
]


def test_topics_come_from_headings_and_labelled_items() -> None:
    topics = dict(fit_relevance.topics(CHUNKS))
    assert "套餐定价策略" in topics and "渠道设计原则" in topics
    assert topics["客户导向原则"].startswith("以客户需求为核心")  # a labelled item inside the section
    corpus = "".join(c.text for c in CHUNKS)
    assert all(expect in corpus for expect in topics.values())


@pytest.mark.parametrize(("topic", "english"), [
    ("渠道设计原则", "channel design principle"),
    ("价格促销与赠品促销", "price promotion and free gift promotion"),
    ("价格促销与赠品促销组合", None),  # 组合 has no English here
])
def test_a_topic_is_asked_in_english_only_when_every_word_has_english(topic: str, english: str | None) -> None:
    glossary = {"渠道": "channel", "设计": "design", "原则": "principle", "价格": "price", "促销": "promotion",
                "赠品": "free gift"}
    assert fit_relevance.in_english(topic, glossary) == english


def test_english_training_questions_are_english_and_about_the_topic() -> None:
    questions = fit_relevance.english_questions(CHUNKS)
    assert questions, "the bundled glossary translates these headings"
    for q in questions:
        assert q["question"].isascii() and not q["out_of_scope"] and q["group"].startswith("h:")


def test_a_stored_fit_weighing_a_feature_search_no_longer_measures_is_redone() -> None:
    from datetime import datetime

    from knowledge.relevance import load_model
    from knowledge.retriever import _still_fits
    from knowledge.storage import DocInfo

    model = load_model()
    assert model is not None
    docs = [DocInfo(doc_id="d", title="t", source_name="d.txt", sha256="abc", chunks=10, added_at=datetime.now(UTC))]
    assert _still_fits(model, {"abc"}, docs)
    older = model.model_copy(update={"features": [*model.features, "unknown_peak"]})
    assert not _still_fits(older, {"abc"}, docs)


def test_a_training_question_is_searched_without_its_own_groups_precedents() -> None:
    """Every in-scope training question is a precedent too: searched with its own rephrasings, it would be ranked
    and judged as answered by itself, which a question never seen is not (rel18's leak)."""
    from knowledge.precedents import Precedent

    train = [TrainingItem(question="活动预算怎么分?", expect_any=["预算"], group="a:1"),
             TrainingItem(question="活动预算如何分配?", expect_any=["预算"], group="a:1"),
             TrainingItem(question="门店怎么引流?", expect_any=["引流"], group="a:2"),
             TrainingItem(question="公司年会节目怎么排?", out_of_scope=True)]
    labelled = [Precedent("活动预算怎么分", ("预算",), "a:1"), Precedent("门店怎么引流", ("引流",), "a:2"),
                *(Precedent(f"问题{i}", ("答",), f"b:{i}") for i in range(40))]
    searched = fit_relevance.precedents_for(train, labelled)
    for item in train:
        seen = {p.group for p in searched(item.question).items}
        assert item.group_key not in seen
        assert len(seen) >= 20  # the other folds' precedents are still there to compare with
    assert {p.group for p in searched("活动预算怎么分?").items} == {p.group for p in searched("活动预算如何分配?").items}


def test_no_shipped_precedent_of_a_relevance_training_questions_group_is_used_when_it_is_searched() -> None:
    from knowledge.precedents import load_precedents
    from knowledge.relevance import training_items

    train = [item for item in training_items() if not item.out_of_scope]
    labelled = load_precedents().items
    assert {item.group_key for item in train} & {p.group for p in labelled}  # the leak there is to close
    searched = fit_relevance.precedents_for(train, labelled)
    for item in train[::25]:
        assert item.group_key not in {p.group for p in searched(item.question).items}
