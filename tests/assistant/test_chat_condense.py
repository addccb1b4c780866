"""Follow-up questions made standalone offline, and the question checks and classifiers."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant import script_boundary
from assistant.chat.condense import condense_offline, condense_with_model, is_follow_up
from assistant.chat.question import asked_for, is_list_question, question_terms
from assistant.store.conversations import Turn
from core.errors import ModelError
from core.text.scripts import detect_script
from tests.fakes import FakeChatModel


def _shown(question: str, previous: Turn) -> str:
    """The standalone question as the asker sees it: Simplified inside Cehua, shown in their script
    (``ChatService`` gives it the script at its output boundary)."""
    standalone = condense_offline(question, [previous])
    return script_boundary.text(standalone, detect_script(question),
                                script_boundary.own_words(question, previous.standalone_question))


def _turn(standalone: str, answer: str = "…") -> Turn:
    return Turn(position=1, question=standalone, standalone_question=standalone, answer=answer, grounded=True,
                script="zh-Hans", created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize(("previous", "question", "standalone"), [
    # A new topic replaces the old one; only the campaign frame (活动/促销/营销) stays.
    ("预算一般包括哪些费用?", "那风险呢?", "风险有哪些?"),
    ("活动预算一般包括哪些费用?", "那风险呢?", "活动风险有哪些?"),
    ("满减优惠怎么设置?", "那风险呢?", "风险有哪些?"),
    ("满减优惠怎么设置?", "那風險呢?", "風險有哪些?"),
    ("促销活动的目标怎么设定?", "预算呢?", "促销活动预算有哪些?"),
    ("联合促销有什么好处?", "那价格呢?", "促销价格有哪些?"),
    ("广告预算怎么分配?", "那媒体呢?", "媒体有哪些?"),
    ("活动前期要做哪些准备?", "那后期呢?", "活动后期有哪些?"),
    # A topic of the same kind takes the old one's place in the old question.
    ("价格促销具体有哪些手段?", "那赠品促销呢?", "赠品促销具体有哪些手段?"),
    ("价格促销具体有哪些手段?", "那會員促銷呢?", "會員促銷具體有哪些手段?"),
    ("线上渠道有哪些?", "那线下呢?", "线下渠道有哪些?"),
        # Something asked about the old topic keeps it.
    ("市场细分有哪几种方法?", "它的原则是什么?", "市场细分的原则是什么?"),
    ("市场细分有哪几种方法?", "那原则呢?", "市场细分的原则有哪些?"),
    ("口碑营销是什么?", "它包括哪些?", "口碑营销包括哪些?"),
    ("联合促销有什么好处?", "具体怎么做?", "联合促销具体怎么做?"),
    ("联合促销有什么好处?", "展开说说", "联合促销具体怎么做?"),
    ("满减优惠怎么设置?", "那它呢?", "满减优惠怎么设置?"),
    # Asking for more repeats the question (the service leaves out what was cited).
    ("價格促銷有哪些手段?", "還有呢?", "價格促銷有哪些手段?"),
    ("怎么提升客户满意度?", "还有别的方法吗?", "怎么提升客户满意度?"),
    ("活动有哪些风险?", "其他的呢?", "活动有哪些风险?"),
    # Questions of their own are left as they are.
    ("市场细分有哪几种方法?", "定价的时候要考虑哪些成本?", "定价的时候要考虑哪些成本?"),
    ("满减优惠怎么设置?", "那会员促销有什么好处?", "那会员促销有什么好处?"),
    ("活动预算一般包括哪些费用?", "市场细分有哪几种方法?", "市场细分有哪几种方法?"),
])
def test_offline_condensing(previous: str, question: str, standalone: str) -> None:
    assert _shown(question, _turn(previous)) == standalone


MANJIAN_ANSWER = """根据指南原文：
(2)满减优惠:设置满减门槛,鼓励消费者多买多优惠。 [1]
设定满减门槛,如:
- (1)满减金额:消费者购物满一定金额,即可减免部分费用,如满100减10。
- (2)满减比例:消费者购物满一定金额,即可享受相应比例的优惠,如满200减30%。 [2]
"""
TWO_LISTS_ANSWER = """根据指南原文：
以下为包装设计应遵循的原则:
- (1)美观性:包装设计应注重审美。
- (2)实用性:包装设计应考虑产品的使用场景。
- (3)传达性:包装设计应准确传达产品信息。 [3]
应根据以下原则进行:
- (1)目标受众匹配:选择覆盖目标受众广泛的媒体,提高广告投放效果。
- (2)媒体影响力:选择具有较高影响力的媒体,提升品牌知名度。
- (3)成本效益:在预算范围内,选择性价比最高的媒体组合。 [2]
"""
UNNUMBERED_ANSWER = """根据指南原文：
9.2.2售后服务流程设计：(1)接收客户售后服务需求,及时响应。 [1]
联合促销策略是与其他品牌或企业合作,共同举办促销活动。 [2]
"""


@pytest.mark.parametrize(("previous", "answer", "question", "standalone"), [
    # The item numbered 2 among the bullets, not the second line of the answer.
    ("满减优惠怎么设置?", MANJIAN_ANSWER, "第二点具体怎么做?", "满减比例具体怎么做?"),
    ("滿減優惠怎麼設置?", MANJIAN_ANSWER, "第二點具體怎麼做?", "滿減比例具體怎麼做?"),
    ("满减优惠怎么设置?", MANJIAN_ANSWER, "第1点展开说说", "满减金额具体怎么做?"),
    # Of two lists, the one about what was asked (媒体选择), whichever comes first.
    ("媒体选择要遵循哪些原则?", TWO_LISTS_ANSWER, "第三点展开说说", "成本效益具体怎么做?"),
    ("包装设计要遵循哪些原则?", TWO_LISTS_ANSWER, "第二条有什么要求?", "实用性有什么要求?"),
    # Quote lines without bullets count in order; a heading before 「：」 is context.
    ("售后服务流程怎么设计?", UNNUMBERED_ANSWER, "第一点具体怎么做?", "接收客户售后服务需求具体怎么做?"),
    ("联合促销有什么好处?", UNNUMBERED_ANSWER, "第二个展开说说", "联合促销策略具体怎么做?"),
    # No such item: the previous topic.
    ("满减优惠怎么设置?", MANJIAN_ANSWER, "第五点具体怎么做?", "满减优惠具体怎么做?"),
])
def test_drill_down_names_the_item_of_the_previous_answer(previous: str, answer: str, question: str,
                                                          standalone: str) -> None:
    assert _shown(question, _turn(previous, answer)) == standalone


def test_first_question_is_never_rewritten() -> None:
    assert condense_offline("那风险呢?", []) == "那风险呢?"


@pytest.mark.parametrize(("question", "expected"), [
    ("那风险呢?", True), ("还有呢?", True), ("那么价格呢", True), ("它的原则是什么?", True),
    ("第二点具体怎么做?", True), ("展开说说", True), ("有什么好处?", True), ("还有别的方法吗?", True),
    ("活动预算一般包括哪些费用?", False), ("竞争对手降价了,我们应该怎么应对?", False), ("市场细分有哪几种方法?", False),
])
def test_follow_up_detection(question: str, expected: bool) -> None:
    assert is_follow_up(question) is expected


def test_model_condensing_falls_back_offline_when_the_model_fails() -> None:
    model = FakeChatModel().fail(ModelError("down"))
    assert condense_with_model(model, "那风险呢?", [_turn("活动预算一般包括哪些费用?")], "zh-Hans") == "活动风险有哪些?"


@pytest.mark.parametrize("reply", ["「活动有哪些风险?」\n解释:……", "独立问题：活动有哪些风险?",
                                   "Standalone question: 活动有哪些风险?"])
def test_model_condensing_takes_the_first_line_without_quotes_or_labels(reply: str) -> None:
    model = FakeChatModel().reply(reply)
    assert condense_with_model(model, "那风险呢?", [_turn("活动预算一般包括哪些费用?")], "zh-Hans") == "活动有哪些风险?"


@pytest.mark.parametrize(("question", "listy", "kind"), [
    ("价格促销具体有哪些手段?", True, "手段"), ("市场细分有哪几种方法?", True, "方法"),
    ("夏季服装特卖活动用什么主题?", False, "主题"), ("联合促销有什么好处?", False, "好处"),
    ("活動預算一般包括哪些費用?", True, "费用"),
])
def test_question_shape(question: str, listy: bool, kind: str) -> None:
    assert is_list_question(question) is listy
    assert asked_for(question) == kind


def test_question_terms_drop_question_words_and_punctuation() -> None:
    assert question_terms("价格促销具体有哪些手段?") == ("价格", "促销", "手段")
    assert question_terms("網絡營銷渠道怎麼拓展,SEO有什麼用?")[-1] == "seo"


@pytest.mark.parametrize(("previous", "question", "standalone"), [
    # Thanks and fillers around a follow-up are not part of what it asks.
    ("活动预算一般包括哪些费用?", "那风险呢?谢谢", "活动风险有哪些?"),
    ("活动预算一般包括哪些费用?", "嗯…那个,那风险呢?", "活动风险有哪些?"),
    ("价格促销具体有哪些手段?", "那赠品促销呢?多谢!", "赠品促销具体有哪些手段?"),
    # The asker's situation stays in front of the rewrite, where search reads it as context.
    ("活动预算一般包括哪些费用?", "我们是一家奶茶店,那风险呢?", "我们是一家奶茶店，活动风险有哪些?"),
    ("價格促銷具體有哪些手段?", "那贈品促銷呢?謝謝", "贈品促銷具體有哪些手段?"),
])
def test_follow_ups_are_read_by_what_they_ask(previous: str, question: str, standalone: str) -> None:
    assert _shown(question, _turn(previous)) == standalone
