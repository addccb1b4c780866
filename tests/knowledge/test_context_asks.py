"""A question behind a marketing context: the asking clause, not the context, decides whether it is answered.

Planners say what they are doing before they ask (「店里中秋要搞满赠活动,…」). When the ask is a question of
its own about something else (社保, 发票, a trademark), the marketing words before it must not carry it over
the threshold, however well the guidebooks cover them; when the ask says little by itself (「时间一般设多长」,
「门槛要怎么定」), it leans on the context and is answered. Written for round thirteen, before its change; none of
these phrasings is in a training, dev or test file.
"""

from __future__ import annotations

import pytest

from knowledge.base import KnowledgeBase

OFF_TOPIC_BEHIND_MARKETING = [
    "店里中秋要搞满赠活动,对了,员工的社保怎么交?",
    "我们准备做一波会员日促销,想问问公司开增值税专票要什么材料?",
    "下个月新品上市要做推广,另外办公室的打印机老卡纸怎么办?",
    "我们在策划周年庆活动,顺便问一下劳动合同试用期最长多久?",
    "门店要做开业促销,营业执照变更经营范围怎么弄?",
    "双十二准备搞直播带货,公司的对公账户怎么开?",
    "我們週年慶要做滿額贈,順便問一下公司報稅截止日是哪天?",
    "門市聖誕檔期要促銷,員工加班費怎麼算?",
    "我哋下個月搞開幕優惠,想問下商標註冊要幾耐?",
    "We're running a Black Friday discount campaign. By the way, how do I file my company's quarterly taxes?",
    pytest.param("Our shop is planning a loyalty points promotion. How long does trademark registration take?",
                 marks=pytest.mark.xfail(strict=True, reason="read as 品牌 签到 (trademark → 品牌, registration → 签到): "
                                         "both words the guidebooks write, so the ask itself looks covered; an English "
                                         "reading problem, not the context's")),
    "I'm organising a Double 11 sale for our store. How do I reset my ad account password?",
]

# Asks that say little by themselves and lean on the context before them for what they are about.
LEANING_IN_SCOPE = [
    "周年庆要做限时折扣,时间一般设多长?",
    "我们想搞会员积分,积分怎么兑换比较好?",
    "週年慶想做滿額贈,門檻要怎麼定?",
    "要跟隔壁品牌做联合推广,怎么分成比较好?",
    "店里过年想布置一下,有啥讲究?",
    "We want to run a spend-and-save promotion for Double 11. How should we set the threshold?",
]


@pytest.mark.parametrize("question", OFF_TOPIC_BEHIND_MARKETING)
def test_an_off_topic_ask_behind_a_marketing_context_is_refused(shared_kb: KnowledgeBase, question: str) -> None:
    result = shared_kb.search(question, k=5)
    assert result.good_match is False, result.relevance


@pytest.mark.parametrize("question", LEANING_IN_SCOPE)
def test_a_short_ask_that_leans_on_its_context_is_answered(shared_kb: KnowledgeBase, question: str) -> None:
    result = shared_kb.search(question, k=5)
    assert result.good_match is True, result.relevance


def test_the_same_marketing_context_speaks_for_a_leaning_ask_and_not_for_an_ask_of_its_own(
        shared_kb: KnowledgeBase) -> None:
    context = "周年庆要做限时折扣,"
    leaning = shared_kb.search(context + "时间一般设多长?", k=5).relevance
    elsewhere = shared_kb.search(context + "员工加班费怎么算?", k=5).relevance
    assert leaning > shared_kb.search("时间一般设多长?", k=5).relevance
    assert elsewhere < shared_kb.search("员工加班费怎么算?", k=5).relevance + 0.05
    assert leaning - elsewhere > 0.5
