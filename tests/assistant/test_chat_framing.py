"""Offline answers say what their quotes are: about another occasion than the one asked about, and for an
English question, where in the guidebooks (in English) before the Chinese quote."""

from __future__ import annotations

import pytest

from assistant.chat import ChatService
from assistant.chat.framing import english_frame
from assistant.chat.service import question_parts
from core.settings import Settings
from core.text.scripts import to_script, to_simplified
from knowledge.passage import Passage, SearchResult
from knowledge.senses import Senses
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
    assert "可参照用于" not in to_simplified(answer.answer)


@pytest.mark.parametrize(("question", "note"), [
    ("春节门店门口要怎么布置?", "（注：引文出自范例方案，「20__年」是留待填写的空白，请换成你们自己的日期、名称或地点。）"),
    ("春節門店門口要怎麼布置?", "（註：引文出自範例方案，「20__年」是留待填寫的空白，請換成你們自己的日期、名稱或地點。）"),
])
def test_a_quote_holding_a_sample_plans_blanks_says_they_are_blanks(question: str, note: str) -> None:
    # 004's sample plans are templates (「四、20__年春节活动布置策划」): their sentences answer questions about the
    # samples (the labelled look-half answers quoting a blank hold the answer 51 times of 55), so they are quoted,
    # and the answer says the blank is the template's, not the guidebook's advice to write 「20__年」.
    answer = ChatService(Settings(), FakeRetriever([SPRING])).ask(question)
    lines = answer.answer.splitlines()
    assert lines[1] == note
    assert "20__年春" in lines[2]
    # Quoting the same sample's items without its heading quotes no blank: no note.
    inside = ChatService(Settings(), FakeRetriever([SPRING])).ask("過年門店門口要怎麼布置?")
    assert "紅地毯" in inside.answer and "範例方案" not in inside.answer


def test_a_blank_note_follows_the_other_occasion_note_and_speaks_english_to_an_english_asker() -> None:
    answer = ChatService(Settings(), _Vouching(SPRING)).ask("How should the store entrance be decorated for Spring Festival?")
    assert "(Note: the quoted text is a sample plan: 「20__年」 is a blank it leaves to fill; put in your own date, " \
           "name or place.)" in answer.answer.splitlines()[:3]
    plain = ChatService(Settings(), _Vouching(QIXI)).ask("How should a hotel entrance be decorated for Qixi?")
    assert "sample plan" not in plain.answer


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


SERVICE = [
    Passage(doc="fest", title="电商节方案", section="第八章 客户服务与售后保障 > 8.1.2 服务标准", start=0, end=90,
            text="8.1.2服务标准(1)响应时间:客服人员需在1小时内响应客户咨询,保证问题得到及时解答。"
                 "(2)服务态度:客服人员需保持热情、耐心、礼貌的态度。"),
    Passage(doc="fest", title="电商节方案", section="第八章 客户服务与售后保障 > 8.3.3 反馈处理保障", start=300, end=380,
            text="8.3.3反馈处理保障(1)反馈处理时效:保证在收到客户反馈后,24小时内给予回复。(2)问题整改:对反馈问题进行整改。"),
]
SPRING_INSIDE = Passage(doc="plans", title="营销策划活动方案", section="营销策划活动方案篇3 > 四、20__年春节活动布置策划",
                        start=0, end=200,
                        text="1.场外布置:\n1)门口处上方各挂大型灯笼,要求美观。\n2)各门店门口处统一放置红地毯一条。\n"
                             "2.场内布置:\n1)门店统一悬挂春节吊旗。\n2)促销场地内统一播放春节碟片。")


@pytest.mark.parametrize("question", ["客服多久要响应咨询?另外客户反馈多久给回复?",
                                      "客服响应咨询有时限吗,还有客户反馈要多久内回复",
                                      "順便問一下,客服多久要回覆諮詢?客戶反饋又要多久回覆?"])
def test_two_parts_asking_alike_each_get_their_own_quote(question: str) -> None:
    answer = ChatService(Settings(), FakeRetriever(SERVICE)).ask(question)
    text = to_simplified(answer.answer)
    assert "1小时内响应客户咨询" in text and "24小时内给予回复" in text
    assert [c.n for c in answer.citations] == [1, 2]


@pytest.mark.parametrize("question", ["春节门店场外怎么布置?场内呢?", "春节门店场外要怎么布置,那场内又怎么弄?"])
def test_a_second_part_that_leans_on_the_first_is_answered_in_its_context(question: str) -> None:
    answer = ChatService(Settings(), FakeRetriever([SPRING_INSIDE])).ask(question)
    text = to_simplified(answer.answer)
    assert "红地毯" in text and "春节吊旗" in text


def test_an_english_list_question_quotes_the_whole_list_under_the_english_frame() -> None:
    flow = Passage(doc="flow", title="市场营销策略执行流程优化作业指导书", section="第6章 渠道策略优化 > 6.1.2 渠道设计流程",
                   start=0, end=160,
                   text="市场调研:分析目标市场的消费需求和渠道现状。确定渠道目标:明确渠道设计的目标。"
                        "选择渠道类型:根据产品特性选择合适的渠道类型。渠道评估与优化:对渠道运营效果进行评估。")
    answer = ChatService(Settings(), _Vouching(flow)).ask("which stages does designing a sales channel go through?")
    lines = answer.answer.splitlines()
    assert lines[0].startswith("The guidebook 《市场营销策略执行流程优化作业指导书》, section 「6.1.2 渠道设计流程」")
    assert [line.split(":")[0] for line in lines if line.startswith("- ")] == [
        "- 市场调研", "- 确定渠道目标", "- 选择渠道类型", "- 渠道评估与优化"]


PRICING = [
    Passage(doc="promo", title="促销策略指导书", section="第六章 价格策略制定 > 6.3.1 价格策略实施", start=0, end=150,
            text="6.3.1价格策略实施企业在实施价格策略时,应注意以下几点:(1)明确价格策略目标,保证与整体战略一致。"
                 "(2)合理制定价格策略,保证价格具有竞争力。(3)建立价格监控机制。"),
    Passage(doc="promo", title="促销策略指导书", section="第六章 价格策略制定 > 6.3.2 价格策略调整", start=150, end=300,
            text="6.3.2价格策略调整企业在价格策略实施过程中,应根据市场变化及时调整价格策略:(1)密切关注市场动态,收集竞争对手"
                 "价格信息。(2)分析价格策略效果。(3)根据市场反馈调整价格策略。"),
]
SEGMENTS = [
    PASSAGES[3],
    Passage(doc="market", title="市场营销策略手册", section="第3章 市场细分 > 3.1.2 市场细分原则", start=230, end=400,
            text="(1)可衡量性:市场细分应具有明确的衡量标准。(2)可进入性:市场细分应具有一定的市场容量和潜力。"
                 "(3)差异性:市场细分应体现需求差异。(4)稳定性:市场细分应保持相对稳定。"),
    Passage(doc="promo", title="促销策略指导书", section="第四章 产品定位与包装设计 > 4.2 包装设计原则", start=0, end=150,
            text="以下为包装设计应遵循的原则:(1)美观性:包装设计应注重审美。(2)实用性:包装设计应考虑使用场景。"),
]


@pytest.mark.parametrize("question", ["实施价格策略时要注意什么?调整的时候呢?", "价格策略实施要注意哪些,调整时又要注意啥"])
def test_a_second_part_without_its_own_subject_is_answered_from_the_sibling_section(question: str) -> None:
    answer = ChatService(Settings(), FakeRetriever(PRICING)).ask(question)
    text = to_simplified(answer.answer)
    assert "明确价格策略目标" in text and "密切关注市场动态" in text


@pytest.mark.parametrize("question", ["市场细分都有哪些方法?另外细分时要遵循哪些原则?", "市场细分有什么方法,以及细分的原则是什么"])
def test_each_part_keeps_the_subject_the_question_is_about(question: str) -> None:
    answer = ChatService(Settings(), FakeRetriever(SEGMENTS, threshold=0.1)).ask(question)
    text = to_simplified(answer.answer)
    assert "地理细分" in text and "可衡量性" in text and "美观性" not in text


class _Reading(FakeRetriever):
    """A retriever that also reads what follows a passage in its document, as the knowledge base does."""

    def following(self, passage: Passage, n: int) -> list[Passage]:
        after = sorted((p for p in self.passages if p.doc == passage.doc and p.start >= passage.end), key=lambda p: p.start)
        return after[:n]


FLOW = [
    Passage(doc="flow", title="执行流程指导书", section="第2章 策略执行流程设计 > 2.1 策略执行流程框架", start=0, end=60,
            text="2.1策略执行流程框架本节构建系统化的策略执行流程框架。策略执行流程框架主要包括以下三个环节:"),
    Passage(doc="flow", title="执行流程指导书", section="第2章 策略执行流程设计 > 2.1 策略执行流程框架 > 2.1.1 策略分解",
            start=60, end=100, text="2.1.1策略分解\n将整体营销策略分解为具体的执行任务。"),
    Passage(doc="flow", title="执行流程指导书", section="第2章 策略执行流程设计 > 2.1 策略执行流程框架 > 2.1.2 资源配置",
            start=100, end=140, text="2.1.2资源配置\n合理配置人力、物力、财力等资源。"),
    Passage(doc="flow", title="执行流程指导书", section="第2章 策略执行流程设计 > 2.1 策略执行流程框架 > 2.1.3 监控与评估",
            start=140, end=180, text="2.1.3监控与评估\n建立监控与评估机制,实时跟踪执行过程。"),
    Passage(doc="flow", title="执行流程指导书", section="第2章 策略执行流程设计 > 2.2 确立执行目标", start=180, end=220,
            text="2.2确立执行目标\n制定可量化的执行目标。"),
]


@pytest.mark.parametrize("question", ["策略执行的流程框架有哪几个环节?", "執行流程框架包括什麼"])
def test_a_list_of_sub_sections_is_quoted_whole_though_search_found_only_its_lead_in(question: str) -> None:
    retriever = _Reading(FLOW)
    retriever.search = lambda query, k=5: FakeRetriever(FLOW[:1]).search(query, k)  # type: ignore[method-assign]
    text = to_simplified(ChatService(Settings(), retriever).ask(question).answer)
    assert "策略分解" in text and "资源配置" in text and "监控与评估" in text
    assert "确立执行目标" not in text  # the next section is no item of the list


RISKS = [
    Passage(doc="fest", title="电商节方案", section="第九章 活动风险评估与应对 > 9.1 风险因素分析 > 9.1.3 技术风险",
            start=0, end=50, text="9.1.3技术风险\n活动期间,网站、APP等平台可能出现技术故障,导致活动无法正常进行,影响用户体验。"),
    Passage(doc="fest", title="电商节方案", section="第九章 活动风险评估与应对 > 9.2 风险防范措施 > 9.2.3 技术防范",
            start=200, end=240, text="9.2.3技术防范\n提前对网站、APP等平台进行压力测试,保证活动期间技术稳定。"),
    Passage(doc="fest", title="电商节方案", section="第九章 活动风险评估与应对 > 9.1 风险因素分析 > 9.1.4 物流风险",
            start=50, end=100, text="9.1.4物流风险\n在活动期间,大量订单可能导致物流压力增大,出现配送不及时、破损等问题。"),
    Passage(doc="fest", title="电商节方案", section="第九章 活动风险评估与应对 > 9.2 风险防范措施 > 9.2.4 物流防范",
            start=240, end=290, text="9.2.4物流防范\n与优质物流合作伙伴密切沟通,提前预测物流需求,保证活动期间物流顺畅。"),
]


def test_each_part_may_quote_a_second_place_of_its_chapter() -> None:
    question = "技术故障的风险要怎么防范?物流跟不上又该怎么防?"
    # Each part's best sentence describes the risk; what to do about it is a section further on in the chapter.
    answer = ChatService(Settings(), FakeRetriever(RISKS, threshold=0.1)).ask(question)
    text = to_simplified(answer.answer)
    assert "压力测试" in text and "提前预测物流需求" in text
    assert [c.n for c in answer.citations] == list(range(1, len(answer.citations) + 1))


CREDIT = Passage(doc="promo", title="促销指南", section="促销指南 > 三、渠道信用", start=0, end=40,
                 text="促销预算要控制渠道信用风险。经销商的赊账额度按季度核定。")


def _credit_senses() -> Senses:
    # "credit": CC-CEDICT's main sense is 信贷; the guidebooks write 信用 (渠道信用).
    return Senses(lambda word: {"信用": 3}.get(word, 0))


def test_the_english_frame_names_topics_as_search_read_them_the_most_telling_first() -> None:
    question = "How do we control channel credit in the promotion budget?"
    quoted = "促销预算要控制渠道信用风险。"
    # Without the index's senses "credit" is the dictionary's main sense (信贷), which the quote does not use.
    assert " says this on promotion, channel, budget and control (" in english_frame(question, [CREDIT], quoted)
    # Read as search reads it, it is 信用; topics run from the word that says most (促销) to the least (控制).
    framed = english_frame(question, [CREDIT], quoted, _credit_senses())
    assert " says this on promotion, channel, credit, budget and control (" in framed


class _VouchingWithSenses(_Vouching):
    """A retriever over an index that says how it reads English words (``KnowledgeBase.senses``)."""

    def senses(self) -> Senses:
        return _credit_senses()


def test_an_offline_english_answer_reads_the_question_with_the_retrievers_senses() -> None:
    answer = ChatService(Settings(), _VouchingWithSenses(CREDIT)).ask("How do we control channel credit?")
    assert answer.answer.splitlines()[0].startswith("The guidebook 《促销指南》, section 「三、渠道信用」 says this on "
                                                    "channel, credit and control (")
    assert "渠道信用风险" in answer.answer
