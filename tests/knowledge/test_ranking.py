"""The learned ordering of what BM25 and dense search find: fitting, the shipped weights, and questions whose
answer sits under a heading that puts them in other words."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from core.errors import StoreError
from knowledge import ranking
from knowledge.base import KnowledgeBase
from knowledge.ranking import FEATURES, Candidate, features, fit_ranking, heading_of, lead_in, ranking_model
from knowledge.retriever import _as_simplified


@pytest.mark.parametrize(("section", "heading"), [
    ("第八章 客户服务与售后保障 > 8.1 客户服务标准 > 8.1.2 服务标准", "服务标准"),
    ("营销策划活动方案篇5 > 八、人员需求", "人员需求"),
    ("一、概述 > (二)活动目的", "活动目的"),
    ("第三章 促销策略选择", "促销策略选择"),
    ("", ""),
])
def test_a_heading_is_the_last_part_of_the_section_path_without_its_numbering(section: str, heading: str) -> None:
    assert heading_of(section) == heading


@pytest.mark.parametrize(("section", "next_section", "opens"), [
    ("第2章 策略执行 > 2.3 制定执行计划与时间表", "第2章 策略执行 > 2.3 制定执行计划与时间表 > 2.3.1 执行计划", True),
    ("第2章 策略执行 > 2.3 制定执行计划与时间表 > 2.3.1 执行计划", "第2章 策略执行 > 2.3 制定执行计划与时间表 > 2.3.2 时间表",
     False),  # a sibling follows
    ("第2章 策略执行 > 2.3 执行", "第2章 策略执行 > 2.3 执行计划", False),  # a longer heading is no sub-section
    ("第2章 策略执行 > 2.3 执行计划", None, False),  # the last chunk of its document
    ("", "一、活动背景", False),
])
def test_a_lead_in_is_a_section_opening_whose_sub_sections_follow(section: str, next_section: str | None,
                                                                  opens: bool) -> None:
    assert lead_in(section, next_section) is opens


def test_a_lead_in_is_measured_for_the_ranking_model() -> None:
    candidate = Candidate(row=0, bm25_rank=1, bm25=3.0, dense_rank=2, dense=0.6)
    measured = [features(candidate, "2.3制定执行计划与时间表\n需制定详细的执行计划与时间表:", "制定执行计划与时间表", [], set(), 3.0,
                         opens_children=opens)["lead_in"] for opens in (True, False)]
    assert measured == [1.0, 0.0]


def _questions(seed: int) -> list[list[tuple[dict[str, float], bool]]]:
    """Made-up questions whose answer is the candidate that covers the question, wherever search ranked it."""
    rng = random.Random(seed)
    out = []
    for _ in range(60):
        candidates = []
        answer = rng.randrange(8)
        for i in range(8):
            measured = {name: rng.random() for name in FEATURES}
            measured["coverage"] = 0.9 if i == answer else rng.random() * 0.6
            candidates.append((measured, i == answer))
        out.append(candidates)
    return out


def test_the_fit_learns_which_measurement_tells_the_answer_and_scales_scores_into_probabilities() -> None:
    model = fit_ranking(_questions(1), trained_on="made up")
    weights = dict(zip(model.features, model.weights, strict=True))
    assert weights["coverage"] > 0 and weights["coverage"] == max(weights.values())
    held_out = _questions(2)  # questions the fit never saw
    first = [max(candidates, key=lambda c: model.score(c[0]))[1] for candidates in held_out]
    assert sum(first) / len(first) > 0.9
    scores = sorted(model.score(m) for candidates in held_out for m, _ in candidates)
    probabilities = [model.probability(s) for s in scores]
    assert probabilities == sorted(probabilities) and 0.0 <= probabilities[0] < probabilities[-1] <= 1.0


def test_a_fit_with_no_answer_among_the_candidates_says_so() -> None:
    with pytest.raises(ValueError, match="answer among their candidates"):
        fit_ranking([[({name: 0.5 for name in FEATURES}, False)]])


def test_a_missing_model_file_names_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(ranking, "MODEL_PATH", tmp_path / "ranking_model.json")
    ranking_model.cache_clear()
    try:
        with pytest.raises(StoreError, match="reinstall Cehua"):
            ranking_model()
    finally:
        monkeypatch.undo()
        ranking_model.cache_clear()


def test_the_shipped_model_weighs_every_measurement() -> None:
    model = ranking_model()
    assert model.features == list(FEATURES) and len(model.weights) == len(FEATURES) and model.slope > 0


@pytest.mark.parametrize(("question", "heading"), [
    ("活动结束以后售后怎么跟进", "活动后期跟进"),
    ("竞品的市场份额要分析啥", "市场份额分析"),
    ("社群行銷的執行計畫要寫什麼?", "执行计划"),  # 執行 is the guidebooks' 执行, not Taiwan's table's 运行
    ("售後服務流程要怎麼設計?", "售后服务流程设计"),
    ("How do we pick the products for the promotion?", "产品筛选标准"),
    ("策略的执行计划要列哪些事项?", "执行计划"),  # not 「2.3 制定执行计划与时间表」, which only announces it
    ("定价时要考虑哪些因素?成本算一个吗", "成本因素"),  # not 「6.2 价格策略制定依据」 before it
])
def test_a_heading_that_puts_the_question_in_other_words_ranks_first(shared_kb: KnowledgeBase, question: str,
                                                                     heading: str) -> None:
    passages = shared_kb.search(question, 5).passages
    assert passages[0].section.endswith(heading), [p.section for p in passages]
    assert all(0.0 < p.score <= 1.0 for p in passages)
    assert [p.score for p in passages] == sorted((p.score for p in passages), reverse=True)


@pytest.mark.parametrize(("question", "read"), [
    ("調查完之後,資料要怎麼分析?", "调查完之后,数据要怎么分析?"),  # the guidebooks write 数据
    ("為什麼活動策劃跟執行這麼重要?", "为什么活动策划跟执行这么重要?"),  # … and 执行, 建立, 线上, 小程序
    ("售後服務團隊點樣建立?", "售后服务团队怎样建立?"),
    ("我們想做小程序推廣,線上要注意什麼?", "我们想做小程序推广,线上要注意什么?"),
])
def test_a_traditional_question_is_read_in_the_words_the_guidebooks_write(shared_kb: KnowledgeBase, question: str,
                                                                          read: str) -> None:
    generation = shared_kb.loaded().generation
    assert generation is not None
    assert _as_simplified(generation, question) == read
