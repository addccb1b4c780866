"""ChatService end to end with a small in-memory retriever, a real SQLite state DB and fake models."""

from __future__ import annotations

import re

import pytest

from assistant.chat import Answer, ChatEvent, ChatService
from core.errors import ModelError, NotFoundError, QuestionError
from core.settings import Settings
from knowledge.passage import Passage, SearchResult
from tests.assistant.chat_passages import PASSAGES
from tests.fakes import FakeChatModel, FakeRetriever, block_text, data_blocks, passages_of

BUDGET_ANSWER = (
    "根据指南原文：\n"
    "活动预算一般包括以下几类费用:\n"
    "- (1)场地费用:活动场地租赁及布置费用。\n"
    "- (2)物料费用:宣传单、海报、礼品等物料的制作费用。\n"
    "- (3)人员费用:临时促销人员的劳务费用。\n"
    "- (4)推广费用:媒体广告投放费用。 [1]"
)
ABSTENTION = "指南中没有涉及这个问题的内容，无法根据指南回答。"


@pytest.fixture
def retriever() -> FakeRetriever:
    return FakeRetriever(PASSAGES)


@pytest.fixture
def offline(retriever: FakeRetriever) -> ChatService:
    return ChatService(Settings(), retriever)


def _with_model(retriever: FakeRetriever, model: FakeChatModel) -> ChatService:
    return ChatService(Settings(), retriever, model)


# -- offline answers ---------------------------------------------------------------------------


def test_list_question_gets_the_guidebook_list_quoted_with_its_citation(offline: ChatService) -> None:
    answer = offline.ask("活动预算一般包括哪些费用?")
    assert answer.answer == BUDGET_ANSWER
    assert [(c.n, c.doc, c.section) for c in answer.citations] == [(1, "promo", "第四章 活动预算 > 4.1 预算构成")]
    assert answer.citations[0].text.startswith("4.1预算构成活动预算一般包括以下几类费用")
    assert answer.grounded is True
    assert answer.offline is True
    assert answer.script == "zh-Hans"
    assert answer.standalone_question == "活动预算一般包括哪些费用?"


def test_enumeration_in_a_sentence_is_kept_intact(offline: ChatService) -> None:
    answer = offline.ask("价格促销具体有哪些手段?")
    assert answer.answer == (
        "根据指南原文：\n价格促销的主要手段包括打折、优惠券、限时特价等,能够在短时间内刺激消费者购买。"
        "使用价格促销时应注意控制频率,避免损害品牌形象。 [1]"
    )
    assert [c.section for c in answer.citations] == ["第三章 促销策略选择 > 3.1 促销策略类型"]


def test_traditional_question_gets_traditional_answer_and_citations(offline: ChatService) -> None:
    answer = offline.ask("市場細分有哪幾種方法?")
    assert answer.script == "zh-Hant"
    assert answer.answer.startswith("根據指南原文：\n市場細分主要採用以下幾種方法:\n- (1)地理細分:根據地理位置")
    assert answer.answer.endswith("- (4)行為細分:根據消費者的購買行為進行市場劃分。 [1]")  # 為 as readers write it, not 爲
    assert answer.citations[0].section == "第3章 市場細分 > 3.1 市場細分方法"
    assert answer.citations[0].title == "市場營銷策略手冊"
    assert "採用以下幾種方法" in answer.citations[0].text


def test_out_of_scope_question_abstains_without_citations(offline: ChatService) -> None:
    answer = offline.ask("怎么给电动车办理年检?")
    assert answer.answer == ABSTENTION
    assert answer.citations == []
    assert answer.grounded is False


def test_out_of_scope_traditional_question_abstains_in_traditional(offline: ChatService) -> None:
    answer = offline.ask("怎麼給電動車辦理年檢?")
    assert answer.answer == "指南中沒有涉及這個問題的內容，無法根據指南回答。"
    assert answer.script == "zh-Hant"


def test_no_good_match_never_calls_the_model(retriever: FakeRetriever, fake_model: FakeChatModel) -> None:
    answer = _with_model(retriever, fake_model).ask("Python的装饰器是什么?")
    assert answer.answer == ABSTENTION
    assert fake_model.history == []


class _CrossLingualRetriever:
    """Finds the market-segmentation passage for any question, as a multilingual index would."""

    def search(self, query: str, k: int = 5) -> SearchResult:
        return SearchResult(query=query, passages=[PASSAGES[3]], good_match=True, top_score=0.9)


def test_english_question_offline_gets_the_chinese_quote_under_an_english_sentence_saying_where() -> None:
    answer = ChatService(Settings(), _CrossLingualRetriever()).ask("How is a market segmented?")
    assert answer.script == "en"
    assert answer.answer.startswith(
        "The guidebook 《市场营销策略手册》, section 「3.1 市场细分方法」 says this on segmented and market "
        "(quoted in Chinese; set OPENAI_API_KEY for answers in English):\n市场细分主要采用以下几种方法:\n- (1)地理细分:"
    )
    assert [c.section for c in answer.citations] == ["第3章 市场细分 > 3.1 市场细分方法"]


def test_chinese_question_sharing_no_words_with_good_passages_still_abstains() -> None:
    # The retriever vouches for the passage, but no sentence in it has anything to do with the question.
    answer = ChatService(Settings(), _CrossLingualRetriever()).ask("怎么给电动车办理年检?")
    # ...and does not pretend the retrieved 「市场细分方法」 is related to it.
    assert answer.answer == ABSTENTION
    assert answer.grounded is False and answer.citations == []


class _RankedRetriever:
    """Returns its passages in the given order, however many are asked for."""

    def __init__(self, passages: list[Passage]) -> None:
        self.passages = passages
        self.asked: list[int] = []

    def search(self, query: str, k: int = 5) -> SearchResult:
        self.asked.append(k)
        return SearchResult(query=query, passages=self.passages[:k], good_match=True, top_score=0.8)


def test_a_section_named_for_what_is_asked_is_found_below_the_top_passages() -> None:
    plan = "营销策划活动方案篇5"
    fillers = [Passage(text=f"夏季特卖活动流程第{n}步:店面进行装饰。", doc="plans", section=f"{plan} > 六、活动流程")
               for n in range(5)]
    purpose = Passage(text="二、活动目的\n\n推广品牌,提升销量,拉近与客户的关系!", doc="plans", section=f"{plan} > 二、活动目的")
    retriever = _RankedRetriever([*fillers, Passage(text="无关", doc="x", section="其他"), purpose])
    answer = ChatService(Settings(), retriever).ask("夏季特卖活动的目的是什么?")
    assert retriever.asked == [10]
    # Ranked sixth, cited first: its citation is [1] (numbers run 1..n in the order the answer cites).
    assert "二、活动目的：推广品牌,提升销量,拉近与客户的关系! [1]" in answer.answer.splitlines()
    assert [c.section for c in answer.citations if c.n == 1] == [f"{plan} > 二、活动目的"]


def test_a_list_split_across_two_chunks_of_one_section_is_quoted_and_cited_whole() -> None:
    section = "四、执行阶段 > 应急处理机制"
    second = Passage(text="2.应急响应团队:组建应急响应团队,处理突发情况。3.实时反馈:发现突发情况立即启动应急预案。",
                     doc="plan", section=section, start=120, end=180)
    first = Passage(text="应急处理机制1.应急预案制定:制定应急预案。例如,设备故障、突发事件、恶劣天气等。",
                    doc="plan", section=section, start=80, end=120)
    other = Passage(text="价格促销的主要手段包括打折。", doc="promo", section="3.1", start=0, end=14)
    answer = ChatService(Settings(), _RankedRetriever([second, other, first])).ask("活动应急预案要考虑哪些突发情况?")
    assert "例如,设备故障、突发事件、恶劣天气等" in answer.answer
    (citation,) = answer.citations
    assert (citation.n, citation.start, citation.end) == (1, 80, 180)
    assert citation.text.startswith("应急处理机制1.应急预案制定")


def test_english_question_out_of_scope_abstains_in_english(offline: ChatService) -> None:
    answer = offline.ask("How do I renew a car licence?")
    assert answer.answer == "The guidebooks do not cover this question, so Cehua cannot answer it from them."
    assert answer.citations == []


# -- streaming ---------------------------------------------------------------------------------


def test_stream_yields_tokens_then_citations_then_done(offline: ChatService) -> None:
    events = list(offline.stream("活动预算一般包括哪些费用?"))
    kinds = [e.type for e in events]
    assert kinds[-2:] == ["citations", "done"]
    assert set(kinds[:-2]) == {"token"} and len(kinds) > 3
    assert "".join(e.text for e in events if e.type == "token") == BUDGET_ANSWER
    assert [c.n for c in events[-2].citations] == [1]
    done = events[-1]
    assert done.grounded is True
    assert isinstance(done.answer, Answer) and done.answer.conversation == done.conversation


def test_first_event_comes_before_the_answer_is_finished(retriever: FakeRetriever) -> None:
    model = FakeChatModel(chunk_size=2).reply("场地、物料、人员费用 [2]")
    events = _with_model(retriever, model).stream("活动预算一般包括哪些费用?")
    first = next(events)
    assert first == ChatEvent(type="token", text="场地")


# -- model answers -----------------------------------------------------------------------------


def test_model_answer_keeps_valid_citations_and_drops_markers_to_no_passage(
        retriever: FakeRetriever, fake_model: FakeChatModel) -> None:
    fake_model.reply("预算包括场地和物料费用[1][9]，还有人员费用【1，7】。")
    answer = _with_model(retriever, fake_model).ask("活动预算一般包括哪些费用?")
    assert answer.answer == "预算包括场地和物料费用[1]，还有人员费用[1]。"
    assert [c.n for c in answer.citations] == [1]
    assert answer.citations[0].section == "第四章 活动预算 > 4.1 预算构成"
    assert answer.grounded is True
    assert answer.offline is False


def test_model_is_given_numbered_passages_and_the_askers_language(
        retriever: FakeRetriever, fake_model: FakeChatModel) -> None:
    fake_model.reply("場地費用[1]")
    answer = _with_model(retriever, fake_model).ask("活動預算一般包括哪些費用?")
    system, user = fake_model.last_messages
    assert system["role"] == "system" and system["content"].endswith("Answer in Traditional Chinese (繁體中文).")
    # Inside Cehua passages and question are Simplified; the reply is shown in the asker's script.
    assert passages_of(user["content"])[1].header == "《促销策略指导书》 第四章 活动预算 > 4.1 预算构成"
    assert block_text(user["content"], "question") == "活动预算一般包括哪些费用?"
    assert answer.answer == "場地費用[1]"


def test_model_reply_in_the_wrong_script_is_converted_to_the_askers(
        retriever: FakeRetriever, fake_model: FakeChatModel) -> None:
    fake_model.reply("预算包括场地费用[1]")
    answer = _with_model(retriever, fake_model).ask("活動預算一般包括哪些費用?")
    assert answer.answer == "預算包括場地費用[1]"


def test_model_reply_without_valid_citation_is_not_grounded_and_shows_the_guidebook(
        retriever: FakeRetriever, fake_model: FakeChatModel) -> None:
    fake_model.reply("一般来说预算包括很多费用[8]。")
    answer = _with_model(retriever, fake_model).ask("活动预算一般包括哪些费用?")
    assert answer.grounded is False
    assert answer.answer == ("一般来说预算包括很多费用。\n\n（以上回答没有引用指南段落，未经指南证实。指南原文如下：）\n"
                             + BUDGET_ANSWER)
    assert [c.n for c in answer.citations] == [1]


def test_model_failure_falls_back_to_the_labelled_offline_answer(
        retriever: FakeRetriever, fake_model: FakeChatModel) -> None:
    fake_model.fail(ModelError("the model at http://x/v1 failed with HTTP 500 (after 3 attempts); try again later",
                               reason="http_error", status=500))
    answer = _with_model(retriever, fake_model).ask("活动预算一般包括哪些费用?")
    assert answer.answer == ("（模型暂时无法回答：模型服务出错（HTTP 500），请稍后再试。"
                             "以下为离线检索的指南原文。）\n" + BUDGET_ANSWER)
    assert answer.offline is True
    assert answer.grounded is True


def test_model_breaking_off_keeps_what_it_said_with_its_sources_then_the_offline_answer(
        retriever: FakeRetriever, fake_model: FakeChatModel) -> None:
    fake_model.cut("场地费用[1]，以及", ModelError("connection lost", reason="broke_off"))
    answer = _with_model(retriever, fake_model).ask("活动预算一般包括哪些费用?")
    assert answer.answer == ("场地费用[1]，以及\n\n（模型回答中断：连接中途断开，请再问一次。以下为离线检索的指南原文。）\n"
                             + BUDGET_ANSWER)
    assert [c.n for c in answer.citations] == [1]
    assert answer.offline is True


# -- conversations -----------------------------------------------------------------------------


def test_follow_up_is_condensed_offline_and_answered_about_the_new_topic(offline: ChatService) -> None:
    first = offline.ask("活动预算一般包括哪些费用?")
    follow = offline.ask("那风险呢?", conversation_id=first.conversation)
    assert follow.conversation == first.conversation
    assert follow.standalone_question == "活动风险有哪些?"
    assert follow.citations[0].section == "第八章 活动监控 > 8.3 风险预防与应对"
    turns = offline.turns(first.conversation)
    assert [(t.position, t.question, t.standalone_question) for t in turns] == [
        (1, "活动预算一般包括哪些费用?", "活动预算一般包括哪些费用?"),
        (2, "那风险呢?", "活动风险有哪些?"),
    ]
    assert turns[0].answer == BUDGET_ANSWER
    assert turns[1].citations == follow.citations


def test_asking_for_more_answers_from_passages_not_cited_yet(offline: ChatService) -> None:
    first = offline.ask("价格促销具体有哪些手段?")
    more = offline.ask("还有呢?", conversation_id=first.conversation)
    assert more.standalone_question == "价格促销具体有哪些手段?"
    assert more.citations and {c.section for c in more.citations}.isdisjoint({c.section for c in first.citations})
    assert more.answer != first.answer


def test_follow_up_with_a_model_uses_the_condense_prompt(retriever: FakeRetriever, fake_model: FakeChatModel) -> None:
    service = _with_model(retriever, fake_model)
    fake_model.reply("场地费用[1]")
    first = service.ask("活动预算一般包括哪些费用?")
    fake_model.reply("活动风险有哪些?", "风险包括场地风险[1]")
    follow = service.ask("那风险呢?", conversation_id=first.conversation)
    condense_messages = fake_model.history[1]
    blocks = [(b.kind, b.text) for b in data_blocks(condense_messages[0]["content"])]
    assert blocks == [("planner", "活动预算一般包括哪些费用?"), ("cehua", "场地费用[1]"), ("latest", "那风险呢?")]
    assert follow.standalone_question == "活动风险有哪些?"
    assert retriever.queries[-1] == "活动风险有哪些?"


def test_unrelated_question_in_a_conversation_is_not_rewritten(offline: ChatService) -> None:
    first = offline.ask("活动预算一般包括哪些费用?")
    second = offline.ask("市场细分有哪几种方法?", conversation_id=first.conversation)
    assert second.standalone_question == "市场细分有哪几种方法?"


def test_get_conversation_returns_turns_and_unknown_ids_are_not_found(offline: ChatService) -> None:
    answer = offline.ask("活动预算一般包括哪些费用?")
    conversation = offline.get_conversation(answer.conversation)
    assert conversation.title == "活动预算一般包括哪些费用?"
    assert len(conversation.turns) == 1
    with pytest.raises(NotFoundError, match="conversation '0123456789abcdef0123456789abcdef' does not exist"):
        offline.get_conversation("0123456789abcdef0123456789abcdef")
    with pytest.raises(NotFoundError, match="conversation 'not-an-id' does not exist; start a new one"):
        offline.ask("预算?", conversation_id="not-an-id")


# -- bad input ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("question", "message"), [
    ("", "question is empty: type a question"),
    ("   \n\t ", "question is empty: type a question"),
    ("预算" * 50_000, "question is 100000 characters, over the limit of 4000"),
    ("预算\x00包括什么", "question contains the control character U+0000; remove it"),
    ("预算\x1b[31m", "question contains the control character U+001B"),
])
def test_bad_questions_are_rejected_before_anything_is_stored(
        offline: ChatService, question: str, message: str) -> None:
    first = offline.ask("活动预算一般包括哪些费用?")
    with pytest.raises(QuestionError, match=re.escape(message)):
        offline.stream(question, conversation_id=first.conversation)
    with pytest.raises(QuestionError):
        offline.ask(question)
    assert len(offline.turns(first.conversation)) == 1
    assert offline.turns(first.conversation)[0].answer == BUDGET_ANSWER


def test_a_failing_retriever_leaves_the_conversation_as_it_was(offline: ChatService) -> None:
    first = offline.ask("活动预算一般包括哪些费用?")

    class BrokenRetriever:
        def search(self, query: str, k: int = 5):  # type: ignore[no-untyped-def]
            raise ModelError("embedding model unavailable")

    broken = ChatService(offline.settings, BrokenRetriever())
    with pytest.raises(ModelError):
        broken.ask("那风险呢?", conversation_id=first.conversation)
    assert [t.position for t in offline.turns(first.conversation)] == [1]


class _PlausibleCrossLingualRetriever(_CrossLingualRetriever):
    def search(self, query: str, k: int = 5) -> SearchResult:
        return super().search(query, k).model_copy(update={"plausible": True})


def test_english_offline_answer_after_a_model_failure_does_not_tell_the_reader_to_set_a_key(
        fake_model: FakeChatModel) -> None:
    # A model IS configured; it failed. The frame must not say "set OPENAI_API_KEY" (there is one): the label
    # before it already says why the answer is offline.
    fake_model.fail(ModelError("the model at http://x/v1 failed with HTTP 500 (after 3 attempts); try again later",
                               reason="http_error", status=500))
    answer = ChatService(Settings(), _PlausibleCrossLingualRetriever(), fake_model).ask("How is a market segmented?")
    assert answer.answer.startswith(
        "(The model could not answer: the model failed with HTTP 500 (after 3 attempts); try again later. "
        "Offline answer from the guidebooks follows.)\n"
        "The guidebook 《市场营销策略手册》, section 「3.1 市场细分方法」 says this on segmented and market "
        "(quoted in Chinese):\n市场细分主要采用以下几种方法:")
    assert "OPENAI_API_KEY" not in answer.answer


def test_english_answer_the_model_left_uncited_does_not_tell_the_reader_to_set_a_key(
        fake_model: FakeChatModel) -> None:
    fake_model.reply("Markets are segmented in many ways.")
    answer = ChatService(Settings(), _PlausibleCrossLingualRetriever(), fake_model).ask("How is a market segmented?")
    assert "(This reply cites no guidebook passage" in answer.answer
    assert "OPENAI_API_KEY" not in answer.answer and "(quoted in Chinese):" in answer.answer
