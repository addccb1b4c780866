"""The quote ranker: the shipped model reads what the extractive answer records, and scores a sentence at
answer time exactly as the fitted model did."""

from __future__ import annotations

import pytest

from assistant.chat.extractive import quote_candidates
from assistant.chat.question import asks_how
from assistant.chat.quote_ranker import FEATURES, quote_features, shipped_ranker
from knowledge.passage import Passage
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
