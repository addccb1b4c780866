"""With a model configured, the model decides: perturbed in-scope questions reach it over HTTP,
off-topic ones are refused before it is called (the relevance floor)."""

from __future__ import annotations

import pytest

from assistant.chat import ChatService
from assistant.llm import get_chat_model
from core.settings import Settings
from knowledge import open_knowledge_base
from knowledge.base import KnowledgeBase
from tests.fakes import FakeOpenAIServer


def _service(server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> ChatService:
    for name, value in {**server.env, "CEHUA_MODEL_TIMEOUT": "5", "CEHUA_MODEL_MAX_RETRIES": "1"}.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    model = get_chat_model(settings)
    assert model is not None
    return ChatService(settings, open_knowledge_base(settings), model)


@pytest.mark.parametrize("question", [
    "优惠券促销要注意什么?谢谢",
    "我们是一家奶茶店,老板让我做个活动方案,价格促销具体有哪些手段?",
    "嗯…那个,活动预算一般包括哪些费用?",
    "竟品分析要看哪些方面?",
    # Rephrasings written for the learned wording feature (never in its training questions).
    "我们是做宠物用品的,会员积分兑换有什么用?谢谢",
    "那个…限時折扣主要是爲了啥",
    "渠到合作政策一般包括哪些?",
    "老闆要我下週交方案,活動預算要編哪些項目?",
    "双十一订单多,物流风险怎么防?",
])
def test_in_scope_questions_however_phrased_reach_the_model(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, question: str) -> None:
    fake_openai.reply("指南的说法见[1]。")
    answer = _service(fake_openai, monkeypatch).ask(question)
    assert len(fake_openai.chat_requests) == 1
    assert answer.offline is False and answer.grounded is True


@pytest.mark.parametrize("question", [
    "商标注册一般要多久?谢谢", "明天北京天气怎么样?", "How do I register a trademark?",
    "老板让我去开增值税发票,税率多少?谢谢", "巨量引擎广告账户怎么开户?", "想招个设计师,面试问什么?",
    "我們的商標被搶註了怎麼辦?", "How do I set up a Google Ads account?", "服务器宕机了怎么排查?",
])
def test_off_topic_questions_never_reach_the_model(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, question: str) -> None:
    answer = _service(fake_openai, monkeypatch).ask(question)
    assert fake_openai.chat_requests == []
    assert answer.grounded is False and answer.citations == []


def test_a_model_that_finds_no_answer_in_the_passages_is_not_grounded(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    service = _service(fake_openai, monkeypatch)
    kb = service.retriever
    assert isinstance(kb, KnowledgeBase)
    # A question between the floor and the threshold, wherever a refit puts them.
    probability = kb.search("活动视频拍摄要请什么样的摄影师?", 5).relevance
    loaded = kb.loaded()
    assert loaded.relevance is not None
    between = {"floor": probability / 2, "threshold": (1 + probability) / 2}
    monkeypatch.setattr(loaded, "relevance", loaded.relevance.model_copy(update=between))
    result = service.retriever.search("活动视频拍摄要请什么样的摄影师?", 5)
    assert result.plausible and not result.good_match  # offline it would be refused; the model is asked
    fake_openai.reply("这些段落没有回答这个问题。")
    answer = service.ask("活动视频拍摄要请什么样的摄影师?")
    assert len(fake_openai.chat_requests) == 1
    assert answer.grounded is False and answer.citations == []
