"""Follow-up questions made standalone offline, and the question checks and classifiers."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.chat.condense import condense_offline, condense_with_model, is_follow_up
from assistant.chat.question import asked_for, is_list_question, question_terms
from assistant.errors import ModelError
from assistant.store.conversations import Turn
from tests.fakes import FakeChatModel


def _turn(standalone: str) -> Turn:
    return Turn(position=1, question=standalone, standalone_question=standalone, answer="…", grounded=True,
                script="zh-Hans", created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))


@pytest.mark.parametrize(("previous", "question", "standalone"), [
    ("预算一般包括哪些费用?", "那风险呢?", "风险有哪些?"),
    ("活动预算一般包括哪些费用?", "那风险呢?", "活动风险有哪些?"),
    ("价格促销具体有哪些手段?", "那赠品促销呢?", "赠品促销具体有哪些手段?"),
    ("價格促銷有哪些手段?", "還有呢?", "價格促銷有哪些手段?"),
    ("价格促销具体有哪些手段?", "那會員促銷呢?", "會員促銷具體有哪些手段?"),
    ("市场细分有哪几种方法?", "它的原则是什么?", "市场细分的原则是什么?"),
    ("市场细分有哪几种方法?", "定价的时候要考虑哪些成本?", "定价的时候要考虑哪些成本?"),
    ("联合促销有什么好处?", "那价格呢?", "联合价格?"),
])
def test_offline_condensing(previous: str, question: str, standalone: str) -> None:
    assert condense_offline(question, [_turn(previous)]) == standalone


def test_first_question_is_never_rewritten() -> None:
    assert condense_offline("那风险呢?", []) == "那风险呢?"


@pytest.mark.parametrize(("question", "expected"), [
    ("那风险呢?", True), ("还有呢?", True), ("那么价格呢", True), ("它的原则是什么?", True),
    ("活动预算一般包括哪些费用?", False), ("竞争对手降价了,我们应该怎么应对?", False),
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
