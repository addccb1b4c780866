"""Offline answers say what their quotes are: about another occasion than the one asked about, and for an
English question, where in the guidebooks (in English) before the Chinese quote."""

from __future__ import annotations

import pytest

from assistant.chat import ChatService
from assistant.chat.service import question_parts
from core.settings import Settings
from core.text.scripts import to_script, to_simplified
from knowledge.passage import Passage, SearchResult
from tests.assistant.chat_passages import PASSAGES
from tests.fakes import FakeRetriever


class _Vouching:
    """A cross-lingual retriever: it finds ``passage`` for an English question and vouches for it."""

    def __init__(self, passage: Passage) -> None:
        self.passage = passage

    def search(self, query: str, k: int = 5) -> SearchResult:
        return SearchResult(query=query, passages=[self.passage], good_match=True, top_score=0.9)

SPRING = Passage(doc="plans", title="营销策划活动方案", section="营销策划活动方案篇3 > 四、20__年春节活动布置策划",
                 start=0, end=120, text="四、20__年春节活动布置策划:\n1.场外布置:\n1)门口处上方各挂大型灯笼,要求美观。\n"
                                        "2)各门店门口处统一放置红地毯一条。")
QIXI = Passage(doc="plans", title="营销策划活动方案", section="营销策划活动方案篇2 > 三、酒店餐厅场景布置",
               start=200, end=300, text="在酒店入口处创意设计大型七夕鹊桥门头,增添节日独特性。")


@pytest.mark.parametrize(("question", "note"), [
    ("中秋节门店门口要怎么布置?", "（注：以下原文讲的是春节，可参照用于中秋。）"),
    ("中秋節門店門口要怎麼布置?", "（註：以下原文講的是春節，可參照用於中秋。）"),
    ("双11门店门口怎么布置灯笼?", "（注：以下原文讲的是春节，可参照用于双十一。）"),
])
def test_an_answer_from_text_about_another_occasion_says_so(question: str, note: str) -> None:
    answer = ChatService(Settings(), FakeRetriever([SPRING])).ask(question)
    lines = answer.answer.splitlines()
    assert lines[1] == note
    assert "红地毯" in to_simplified(answer.answer) and answer.citations[0].n == 1


@pytest.mark.parametrize("question", ["春节门店门口要怎么布置?", "门店门口要怎么布置?", "過年門店門口要怎麼布置?"])
def test_no_note_when_the_text_is_about_the_occasion_asked_or_none_is_asked(question: str) -> None:
    answer = ChatService(Settings(), FakeRetriever([SPRING])).ask(question)
    assert "红地毯" in answer.answer or "紅地毯" in answer.answer
    assert "注：" not in answer.answer and "註：" not in answer.answer


def test_english_question_about_another_occasion_gets_the_frame_and_an_english_note() -> None:
    answer = ChatService(Settings(), _Vouching(QIXI)).ask("How should a hotel entrance be decorated for Christmas?")
    frame, note = answer.answer.splitlines()[:2]
    assert frame.startswith("The guidebook 《营销策划活动方案》, section 「三、酒店餐厅场景布置」 says this")
    assert note == "(Note: the text quoted below is about Qixi Festival; adapt it for Christmas.)"
    assert "七夕鹊桥门头" in answer.answer


@pytest.mark.parametrize("question", ["活动预算一般包括哪些费用?风险要怎么预防?", "活動預算一般包括哪些費用,風險又要怎麼預防?"])
def test_each_part_of_a_two_part_question_is_answered_and_cited(question: str) -> None:
    retriever = FakeRetriever(PASSAGES)
    answer = ChatService(Settings(), retriever).ask(question)
    text = to_simplified(answer.answer)
    assert "场地费用" in text and "应急预案" in text
    assert [(c.n, c.section) for c in answer.citations] == [
        (1, to_script("第四章 活动预算 > 4.1 预算构成", answer.script)),
        (2, to_script("第八章 活动监控 > 8.3 风险预防与应对", answer.script))]
    assert "应急预案" in to_simplified(answer.citations[1].text)
    # Each part was searched on its own, besides the whole question.
    assert retriever.queries[1:] == question_parts(question) and len(retriever.queries) == 3


def test_a_part_the_guidebooks_do_not_answer_leaves_the_question_answered_as_one() -> None:
    retriever = FakeRetriever(PASSAGES)
    answer = ChatService(Settings(), retriever).ask("活动预算一般包括哪些费用?商标注册要多久?")
    assert "场地费用" in answer.answer
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


_TYPES = "第三章 促销策略选择 > 3.1 促销策略类型"
SUBSECTION_LIST = [
    Passage(doc="promo", title="指导书", section=_TYPES, start=0, end=30, text="3.1促销策略类型\n促销策略类型主要包括以下几种:"),
    Passage(doc="promo", title="指导书", section=f"{_TYPES} > 3.1.2 赠品促销策略", start=60, end=90,
            text="3.1.2赠品促销策略\n赠品促销策略是在购买产品时赠送相关商品。"),
    Passage(doc="promo", title="指导书", section=f"{_TYPES} > 3.1.1 价格促销策略", start=30, end=60,
            text="3.1.1价格促销策略\n价格促销策略包括打折、优惠券、限时特价等。"),
    Passage(doc="promo", title="指导书", section=f"{_TYPES} > 3.1.3 会员促销策略", start=90, end=120,
            text="3.1.3会员促销策略\n会员促销策略是对会员提供积分兑换、专享折扣。"),
]


def test_a_list_announced_by_a_section_and_made_of_its_subsections_is_quoted_whole() -> None:
    answer = ChatService(Settings(), FakeRetriever(SUBSECTION_LIST, threshold=0.0)).ask("促销策略类型有哪些?")
    lines = answer.answer.splitlines()
    assert lines[1] == "促销策略类型主要包括以下几种:"
    assert [line.split(" ")[1] for line in lines[2:5]] == ["3.1.1价格促销策略", "3.1.2赠品促销策略", "3.1.3会员促销策略"]
    assert lines[4].endswith("[1]") and answer.citations[0].section == _TYPES
    assert "3.1.3会员促销策略" in answer.citations[0].text
