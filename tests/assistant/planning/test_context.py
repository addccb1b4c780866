"""The brief a conversation describes: what later messages add to an earlier request."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.planning.context import conversation_brief, merged, read

TODAY = dt.date(2026, 12, 2)


@pytest.mark.parametrize(("request_text", "answer", "currency"), [
    ("想幫我們咖啡廳做個母親節活動企劃，謝謝", "預算新台幣5萬，5月1號到5月10號", "TWD"),
    ("想帮我们咖啡厅做个母亲节活动方案", "预算5万港币，5月1号到10号", "HKD"),
    ("Need a Mother's Day campaign plan for our cafe", "budget US$8,000, May 1 to May 10", "USD"),
    ("想帮我们咖啡厅做个母亲节活动方案", "预算5万，5月1号到10号", "CNY"),
])
def test_the_budget_an_ask_back_is_answered_with_keeps_its_currency(request_text: str, answer: str,
                                                                   currency: str) -> None:
    """The answer to 「还需要：预算…」 gives the budget; the currency it is written in goes with it (a plan for
    新台幣5萬 was drafted as 5萬元 of 人民币)."""
    pending, said = read(request_text, TODAY), read(answer, TODAY)
    assert pending is not None and said is not None
    brief = merged(pending, said, override=True)
    assert (brief.budget, brief.currency) == (said.budget, currency)
    assert conversation_brief(answer, [request_text], TODAY).currency == currency


def test_an_earlier_currency_stays_when_a_later_message_gives_no_budget() -> None:
    pending, said = read("預算新台幣5萬，幫我們咖啡廳做個母親節活動", TODAY), read("5月1號到5月10號", TODAY)
    assert pending is not None and said is not None
    assert merged(pending, said, override=True).currency == "TWD"


@pytest.mark.parametrize(("earlier", "request_text", "product"), [
    (["双十二活动目标一般怎么定？", "那客群呢？谢谢"], "行，帮我出个双十二方案，预算8万，12月8号到12号", ""),
    (["週年慶的價格策略要怎麼訂比較好？", "那風險呢？謝謝"], "幫我們做個週年慶活動企劃，預算30萬，3月1號到3月15號", ""),
    (["母親節活動通常要準備多久？", "那效果評估要看哪些指標？"], "幫我做個母親節活動企劃，預算10萬，5月1號到10號", ""),
    (["我们是卖烘焙的，中秋节活动一般提前多久预热？", "那预算怎么分比较好"], "帮我们做个中秋节活动方案，预算5万", "烘焙"),
])
def test_a_question_about_a_chapter_names_no_product_of_the_plan_asked_for_later(
        earlier: list[str], request_text: str, product: str) -> None:
    """「那风险呢？」 before 「帮我们做个周年庆方案」 drafted a plan whose product was 风险 (「你們的風險週年慶活動」):
    the topic asked about, a word plan chapters are named with, is no product; what the planner sells is."""
    assert conversation_brief(request_text, earlier, TODAY).product == product
