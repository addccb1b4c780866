"""The wording feature: what a question's own asking words say, learned from labelled questions and
cross-fitted so the model never trusts a score that saw the question it scores."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.text.question import analyse
from knowledge.relevance import asking_words, fit_wording, load_model

DATA = Path(__file__).parents[1] / "data"


def test_asking_words_leave_out_context_and_courtesy() -> None:
    words = asking_words(analyse("我们是一家奶茶店,老板让我做个活动方案,优惠券促销要注意什么?谢谢"))
    assert words.split() == ["优惠券", "促销", "要", "注意", "什么"]


def test_a_group_never_scores_itself() -> None:
    texts = ["促销 要 注意 什么", "促销 注意 什么", "气球 去 哪里 买", "哪里 买 气球", "赠品 包括 哪些", "商标 多少 钱"]
    labels = [1, 1, 0, 0, 1, 0]
    groups = ["a", "a", "b", "b", "c", "d"]
    weights, bias, held_out = fit_wording(texts, labels, groups)
    assert weights and len(held_out) == len(texts)
    # 「赠品 包括 哪些」 shares no n-gram with the others: its held-out score is the bias of a fit without it.
    assert held_out[4] != pytest.approx(bias + sum(weights.get(g, 0.0) for g in ["赠", "品", "赠品"]))


@pytest.mark.parametrize(("answerable", "unanswerable"), [
    ("满减活动要注意什么?", "活动横幅去哪里买?"),
    ("会员促销一般包括哪些做法?", "会员系统一年多少钱?"),
    ("渠道合作政策要怎么定?", "广告账户要怎么开户?"),
])
def test_the_shipped_wording_prefers_what_guidebooks_answer(answerable: str, unanswerable: str) -> None:
    model = load_model()
    assert model is not None and model.wording
    score = lambda q: model.wording_score(asking_words(analyse(q)))  # noqa: E731
    assert score(answerable) > score(unanswerable)


def test_the_third_frozen_planner_set_is_well_formed() -> None:
    items = [json.loads(line) for line in (DATA / "planner_test3.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len({item["id"] for item in items}) == len(items)
    inside = [i for i in items if not i.get("out_of_scope")]
    assert len(inside) >= 80 and len(items) - len(inside) >= 30
    assert all(i["expect_any"] and all(i["expect_any"]) for i in inside)
    assert {i["script"] for i in items} >= {"zh-Hans", "zh-Hant", "en"}


def test_the_threshold_counts_each_off_topic_question_once() -> None:
    """One hard off-topic question asked ten ways must not set the cut alone: the threshold refuses
    THRESHOLD_REFUSAL of the off-topic questions, each counted once with all its wrappings."""
    from knowledge.relevance import THRESHOLD_REFUSAL, TrainingItem, fit_on

    items = [TrainingItem(question=f"in{i}", expect_any=["hit"], group=f"in{i}") for i in range(60)]
    items += [TrainingItem(question=f"off{i}", out_of_scope=True, group=f"off{i}") for i in range(59)]
    items += [TrainingItem(question=f"hard{i}", out_of_scope=True, group="hard") for i in range(10)]

    def evidence(question: str, phrasing: frozenset[str]) -> tuple[list[str], dict[str, float], str]:
        if question.startswith("in"):
            return ["hit"], {"coverage": 0.6 + int(question[2:]) / 150}, "要 注意 什么"
        score = 0.55 if question.startswith("hard") else int(question[3:]) / 200
        return ["miss"], {"coverage": score}, "去 哪里 买"

    fitted = fit_on(evidence, lambda question: set(), items)
    by_group: dict[str, list[float]] = {}
    for (p, _, off), item in zip(fitted.scored, items, strict=True):
        if off:
            by_group.setdefault(item.group, []).append(p)
    refused = [max(ps) < fitted.model.threshold for ps in by_group.values()]
    assert sum(refused) / len(refused) >= THRESHOLD_REFUSAL
    assert not all(refused)  # the hard question is the one let through, not ten rows' worth of cut


def _topic_items():  # type: ignore[no-untyped-def]
    """In-scope asks whose passage the ranker finds (「满减」) and misses (「凑单」), and off-topic asks (「商标」)."""
    from knowledge.relevance import TrainingItem

    items = [TrainingItem(question=f"found{i}", expect_any=["hit"], group=f"found{i}") for i in range(30)]
    items += [TrainingItem(question=f"missed{i}", expect_any=["hit"], group=f"missed{i}") for i in range(30)]
    items += [TrainingItem(question=f"off{i}", out_of_scope=True, group=f"off{i}") for i in range(30)]

    def evidence(question: str, phrasing: frozenset[str]) -> tuple[list[str], dict[str, float], str]:
        n = int("".join(c for c in question if c.isdigit()))
        if question.startswith("found"):
            return ["hit"], {"coverage": 0.5 + n / 100}, "满减 门槛 怎么 定"
        if question.startswith("missed"):
            return ["miss"], {"coverage": 0.3 + n / 100}, "凑单 门槛 怎么 定"
        return ["miss"], {"coverage": 0.2 + n / 100}, "商标 注册 怎么 办"

    return items, evidence


def test_the_wording_fitted_on_topic_trusts_in_scope_words_whose_passage_was_missed() -> None:
    """Fitted on "answered", an in-scope ask whose passage the ranker missed teaches its words as unanswerable
    (train26); fitted on "topic", they read as in scope, and off-topic words still read as off-topic."""
    from knowledge.relevance import fit_on

    items, evidence = _topic_items()
    answered = fit_on(evidence, lambda question: set(), items).model
    topic = fit_on(evidence, lambda question: set(), items, wording_learns="topic").model
    assert answered.wording_score("凑单 门槛 怎么 定") < 0 < topic.wording_score("凑单 门槛 怎么 定")
    assert topic.wording_score("商标 注册 怎么 办") < 0


def test_the_wording_fitted_on_found_asks_learns_nothing_from_the_missed_ones() -> None:
    """Fitted on "found", the in-scope asks whose passage the ranker missed are left out of the wording fit: a word
    only they use (凑单) says nothing either way, while words of found asks read in scope and off-topic words off-topic."""
    from knowledge.relevance import fit_on

    items, evidence = _topic_items()
    answered = fit_on(evidence, lambda question: set(), items).model
    found = fit_on(evidence, lambda question: set(), items, wording_learns="found").model
    assert "凑单" in answered.wording and answered.wording["凑单"] < 0
    assert "凑单" not in found.wording
    assert found.wording_score("满减 门槛 怎么 定") > 0 > found.wording_score("商标 注册 怎么 办")


def test_weighing_off_topic_asks_more_lowers_what_the_wording_says_of_them() -> None:
    from knowledge.relevance import fit_on

    items, evidence = _topic_items()
    once = fit_on(evidence, lambda question: set(), items, wording_learns="topic").model
    thrice = fit_on(evidence, lambda question: set(), items, wording_learns="topic", off_topic_weight=3.0).model
    assert thrice.wording_score("商标 注册 怎么 办") < once.wording_score("商标 注册 怎么 办")


def test_a_higher_refusal_share_never_lowers_the_threshold() -> None:
    from knowledge.relevance import fit_on

    items, evidence = _topic_items()
    usual = fit_on(evidence, lambda question: set(), items, wording_learns="found").model
    stricter = fit_on(evidence, lambda question: set(), items, wording_learns="found", threshold_refusal=0.99).model
    assert stricter.threshold >= usual.threshold and stricter.floor == usual.floor


@pytest.mark.parametrize(("option", "value"), [("wording_learns", "retrieval"), ("off_topic_weight", 0.0),
                                               ("threshold_refusal", 1.0), ("threshold_refusal", 0.5)])
def test_a_wrong_wording_option_is_named(option: str, value: object) -> None:
    from knowledge.relevance import fit_on

    items, evidence = _topic_items()
    with pytest.raises(ValueError, match=option):
        fit_on(evidence, lambda question: set(), items, **{option: value})  # type: ignore[arg-type]
