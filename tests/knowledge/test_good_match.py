"""good_match on the bundled guidebooks: the calibrated relevance model's verdict.

Questions next to marketing (office, events, tax, platforms) are refused, planning questions in
everyday words are answered — and both stay so when planners wrap them in thanks, context, fillers
and typos. Single off-topic questions may slip through a statistical model, so the off-topic sets
are held to rates (measured: tests/bench/bench_answers.py), and characteristic cases to verdicts.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.evaluate import read_eval_file
from tests.perturb import variants

DATA = Path(__file__).parents[1] / "data"
OUT_OF_SCOPE_EXTRA = DATA / "out_of_scope_extra.jsonl"
HELDOUT = DATA / "questions_heldout.jsonl"


def test_out_of_scope_extra_file_is_well_formed() -> None:
    items = [json.loads(line) for line in OUT_OF_SCOPE_EXTRA.read_text(encoding="utf-8").splitlines()]
    assert len(items) >= 60
    assert len({item["id"] for item in items}) == len(items)
    assert all(item["out_of_scope"] is True and item["expect_any"] == [] for item in items)


def test_marketing_adjacent_questions_are_mostly_refused(shared_kb: KnowledgeBase) -> None:
    items = read_eval_file(OUT_OF_SCOPE_EXTRA)
    refused = sum(not shared_kb.search(item.question, k=5).good_match for item in items)
    assert refused / len(items) >= 0.95  # measured 0.976 when the model was fitted


def test_held_out_in_scope_questions_are_good_matches_in_every_phrasing(shared_kb: KnowledgeBase) -> None:
    items = [i for i in read_eval_file(HELDOUT) if not i.out_of_scope]
    rates: dict[str, float] = {}
    plain = [shared_kb.search(i.question, k=5).good_match for i in items]
    rates["plain"] = sum(plain) / len(items)
    for kind in ("polite", "context", "filler", "typo"):
        phrased = [variants(item, n)[kind] for n, item in enumerate(items)]
        rates[kind] = sum(shared_kb.search(v.question, k=5).good_match for v in phrased) / len(items)
    assert rates["plain"] >= 0.85  # measured 0.887 when the model was fitted
    assert all(rates[kind] >= rates["plain"] - 0.05 for kind in rates), rates


@pytest.mark.parametrize(
    "question",
    [
        "年会节目怎么排练?",  # 年会 is a subject the guidebooks never mention
        "年會主持人串詞怎麼寫?",
        "商标注册一般要多久?",
        "我们是一家奶茶店,老板让我问问营业执照怎么办?谢谢",
        "How do I register a trademark?",
        "怎么给电动车办理年检?",
    ],
)
def test_off_topic_questions_are_refused_however_they_are_wrapped(shared_kb: KnowledgeBase, question: str) -> None:
    result = shared_kb.search(question, k=5)
    assert result.good_match is False
    assert result.relevance < 0.5


@pytest.mark.parametrize(
    ("plain", "phrased"),
    [
        ("优惠券促销要注意什么?", "优惠券促销要注意什么?谢谢"),
        ("价格促销具体有哪些手段?", "我们是一家奶茶店,老板让我做个活动方案,价格促销具体有哪些手段?"),
        ("联合促销是什么意思", "老板想跟隔壁品牌搞个联合促销,这个到底是啥意思"),
        ("活动预热要提前多久开始?", "双十一预热要提前多久?"),
        ("竞品分析要看哪些方面?", "竟品分析要看哪些方面?"),
        ("优惠券促销有什么好处?", "优惠卷促销有什么好处?"),
    ],
)
def test_planner_phrasing_keeps_an_answerable_question_answerable(
    shared_kb: KnowledgeBase, plain: str, phrased: str
) -> None:
    assert shared_kb.search(plain, k=5).good_match is True
    result = shared_kb.search(phrased, k=5)
    assert result.good_match is True
    assert result.plausible is True and 0.5 <= result.relevance <= 1.0


def test_the_probability_is_the_verdict(shared_kb: KnowledgeBase) -> None:
    answered = shared_kb.search("满减优惠怎么设置?", k=5)
    refused = shared_kb.search("明天北京天气怎么样?", k=5)
    assert answered.relevance > refused.relevance
    assert answered.good_match and not refused.good_match and not refused.plausible


# Rephrasings written after the round-six fit, in none of its training questions: English with words the
# glossary does not translate, Traditional with Taiwan and Hong Kong wording, context and 「除了…之外」.
# A statistical model may miss one, so the list is held to a rate; the off-topic ones beside them to verdicts.
FRESH_IN_SCOPE = [
    "What should we keep in mind when designing product packaging?",
    "Which numbers should we track to see if the campaign is working?",
    "會員制度要點樣設計先可以留住熟客?",
    "產品定價之前要先考量哪些因素?",
    "活動結束之後,要怎麼評估成效?",
    "我哋間舖想做七夕活動,場地要點佈置?",
    "老板说今年双十一要冲销量,预热期一般提前多久?",
    "除了打折之外,还有哪些促销方式可以用?",
    "How do we keep our distributors happy over the long term?",
    "新品要上市了,推廣要從哪裡開始?",
]
FRESH_OFF_TOPIC = [
    "How do I register a trademark for our brand? Thanks",
    "我们是做奶茶的,老板让我问下员工社保怎么交?",
    "請問公司報帳的發票要怎麼開?謝謝",
    "Um, so, which laptop is best for video editing?",
]


def test_fresh_rephrasings_in_english_and_traditional_are_answered(shared_kb: KnowledgeBase) -> None:
    answered = [q for q in FRESH_IN_SCOPE if shared_kb.search(q, k=5).good_match]
    assert len(answered) >= 0.7 * len(FRESH_IN_SCOPE), answered  # measured 8/10 when the model was fitted


@pytest.mark.parametrize("question", FRESH_OFF_TOPIC)
def test_fresh_off_topic_rephrasings_are_refused(shared_kb: KnowledgeBase, question: str) -> None:
    assert shared_kb.search(question, k=5).good_match is False
