"""The quote ranker: the shipped model reads what the extractive answer records, and scores a sentence at
answer time exactly as the fitted model did."""

from __future__ import annotations

import pytest

from assistant.chat.extractive import quote_candidates
from assistant.chat.question import asked_measure, asks_definition, asks_how, holds_measure
from assistant.chat.quote_ranker import FEATURES, quote_features, shipped_ranker
from knowledge.passage import Passage
from knowledge.precedents import Precedent, normalized
from tests.bench.fit_quotes import fit_ranker

PASSAGES = [
    Passage(doc="promo", title="促销策略", section="3.1 价格促销策略", start=0, end=120,
            text="价格促销是促销中至关重要的一环。价格促销的手段包括打折、优惠券、限时特价等。"
                 "企业应根据市场情况灵活选择。"),
    Passage(doc="promo", title="促销策略", section="3.2 赠品促销策略", start=120, end=200,
            text="赠品促销是指购买产品时赠送礼品。赠品应与产品相关。"),
]


def test_the_shipped_ranker_reads_every_signal_the_extractive_answer_records() -> None:
    ranker = shipped_ranker()
    assert ranker is not None and ranker.features == list(FEATURES)
    candidates = quote_candidates("价格促销有哪些手段?", PASSAGES)
    assert candidates and all(set(FEATURES) <= set(unit.features) <= set(features) for unit, _, features in candidates)
    assert all(2 <= len(gram) <= 3 for gram in ranker.ngrams)


def test_a_quote_reads_how_alike_a_labelled_question_its_answer_held_was_put() -> None:
    echoes = [(Precedent("价格促销一般有哪些手段啊", (normalized("打折、优惠券、限时特价"),), "g1"), 0.7),
              (Precedent("赠品要怎么选", (normalized("赠品应与产品相关"),), "g2"), 0.4)]
    candidates = quote_candidates("价格促销有哪些手段?", PASSAGES, echoes=echoes)
    read = {said: features["precedent"] for _, said, features in candidates}
    expected = {said: 0.7 if "打折、优惠券、限时特价" in said else 0.4 if "赠品应与产品相关" in said else 0.0 for said in read}
    assert read == expected and 0.0 in read.values()
    assert all(features["precedent"] == 0.0 for _, _, features in quote_candidates("价格促销有哪些手段?", PASSAGES))


def test_a_quote_is_read_for_what_it_enumerates() -> None:
    listed = quote_features("手段包括:(1)打折、(2)优惠券、(3)限时特价、(4)满减。", 0.8, list_question=True)
    plain = quote_features("价格促销是促销中至关重要的一环。", 0.8, list_question=True)
    assert listed["said_items"] > plain["said_items"] == 0.0
    assert listed["said_enumerates"] == 0.75 and listed["said_includes"] == 1.0 == listed["list_includes"]
    assert quote_features("手段包括打折。", 0.8, list_question=False)["list_includes"] == 0.0


def _candidate(q: int, y: int, text: str, **signals: float) -> dict[str, object]:
    row: dict[str, object] = {f: 0.0 for f in FEATURES}
    row.update(signals, q=q, group=f"g{q}", y=y, text=text)
    return row


def test_answer_time_probabilities_are_the_fitted_models() -> None:
    rows = []
    for q in range(12):
        rows.append(_candidate(q, 1, f"手段包括打折{q}、优惠券、限时特价", base=0.5, covered=0.6, said_cover=0.7))
        rows.append(_candidate(q, 0, f"价格促销至关重要{q}", base=0.55, covered=0.6, said_cover=0.6))
        rows.append(_candidate(q, 0, f"赠品应与产品相关{q}", base=0.2, covered=0.2, said_cover=0.2))
    for q in range(12, 24):  # questions asking how: the measure answers, the description of the risk does not
        rows.append(_candidate(q, 1, f"提前进行压力测试{q},保证技术稳定", how=1.0, base=0.4, covered=0.5, said_cover=0.5))
        rows.append(_candidate(q, 0, f"平台可能出现技术故障{q},导致活动无法进行", how=1.0, base=0.5, covered=0.6,
                               said_cover=0.6))
    ranker, fitted = fit_ranker(rows, c=1.0)
    assert ranker.how_ngrams
    for row, probability in zip(rows, fitted, strict=True):
        features = {f: float(row[f]) for f in FEATURES}  # type: ignore[arg-type]
        assert ranker.probability(features, str(row["text"])) == pytest.approx(probability, abs=1e-9)
    # What it learned from the words: a sentence that enumerates beats one that only says the topic matters.
    same = {f: 0.5 for f in FEATURES}
    assert ranker.probability(same, "手段包括打折、优惠券") > ranker.probability(same, "价格促销至关重要")


@pytest.mark.parametrize(("question", "how"), [
    ("网络营销渠道还能怎么拓展", True), ("危机公关第一步要干嘛?", True), ("技术风险如何防范?谢谢", True),
    ("宣傳推廣效果不好,要怎樣調整", True), ("售後服務團隊點樣建立?", True), ("活动有什么应对措施", True),
    ("How should we respond when a competitor cuts prices?", True), ("how do we follow up after the event", True),
    ("What are the steps of channel design?", True),
    ("联合促销是什么意思", False), ("预算一般包括哪些费用?", False), ("活动预热要提前多久?", False),
    ("What is differential pricing?", False), ("Which costs should we consider?", False),
])
def test_a_question_asking_how_to_do_something_is_told_apart(question: str, how: bool) -> None:
    assert asks_how(question) is how


@pytest.mark.parametrize(("question", "measure"), [
    ("客服多久要回复顾客?", "duration"), ("活動預熱要提前多久開始?", "duration"), ("预热大概提前几天", "duration"),
    ("How early should the warm-up start?", "duration"), ("活动数据多久看一次?", "frequency"),
    ("進度要多頻繁檢查", "frequency"), ("How often should progress be monitored?", "frequency"),
    ("门店特卖活动大概需要多少人手?", "people"), ("現場要安排幾個人", "people"), ("场地布置大概花多少钱", "money"),
    ("宣传费占预算的比例多少合适", "share"), ("促销活动有哪些形式?", ""), ("联合促销是什么意思", ""),
])
def test_the_quantity_a_question_asks_for_is_read_from_its_words(question: str, measure: str) -> None:
    assert asked_measure(question) == measure


@pytest.mark.parametrize(("text", "measure", "held"), [
    ("客服人员需在1小时内响应客户咨询", "duration", True), ("提前一个月开始预热", "duration", True),
    ("每小时、每天、每周检查活动数据", "frequency", True), ("收银人员2名现场导购8名", "people", True),
    ("场地租赁费3万元", "money", True), ("宣传费用占总预算的30%", "share", True),
    ("客服人员将处理结果及时回复客户", "duration", False), ("设立专门的售后服务监督部门", "people", False),
])
def test_a_quote_states_the_quantity_asked_for(text: str, measure: str, held: bool) -> None:
    assert holds_measure(text, measure) is held
    assert quote_features(text, 0.5, list_question=False, measure=measure)["measure"] == float(held)


@pytest.mark.parametrize(("question", "defines"), [
    ("联合促销是什么意思", True), ("什麼是差別定價?", True), ("危机管理是什么?", True), ("捆绑促销是指什么", True),
    ("What is differential pricing?", True), ("What does bundle pricing mean?", True),
    ("活动的目的是什么,谢谢", False), ("危机管理具体怎么做", False), ("What are the steps of channel design?", False),
])
def test_a_question_asking_what_something_is_is_told_apart(question: str, defines: bool) -> None:
    assert asks_definition(question) is defines


DISHES = Passage(doc="plans", title="营销策划活动方案精选", section="营销策划活动方案篇2 > 五、酒店七夕特别菜品设计", start=0, end=200,
                 text="五、酒店七夕特别菜品设计\n西方的情人节却随着巧克力、鲜花、糖果等礼物的互传爱意而受到人们的青睐。"
                      "推出与七夕节相关的菜品,菜色和菜名都要传达一种爱的氛围。菜要看上去美观、听上去动人、吃起来美味。")


@pytest.mark.parametrize("question", ["七夕菜品设计有啥讲究", "七夕的菜品設計有什麼講究?"])
def test_every_sentence_under_a_heading_is_about_it_not_only_the_first(question: str) -> None:
    by_text = {unit.text: features for unit, _, features in quote_candidates(question, [DISHES])}
    opening = by_text["西方的情人节却随着巧克力、鲜花、糖果等礼物的互传爱意而受到人们的青睐。"]
    answer = by_text["菜要看上去美观、听上去动人、吃起来美味。"]
    # The answering sentence repeats none of the question's words, yet is a candidate, scored with the heading.
    assert answer["own"] == 0.0 < answer["covered"] and opening["own"] == 0.0
