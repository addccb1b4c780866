"""ChatService with the real OpenAI client stack against the fake server on loopback."""

from __future__ import annotations

import pytest

from assistant.chat import ChatService
from assistant.llm import get_chat_model
from core.settings import Settings
from tests.assistant.chat_passages import PASSAGES
from tests.fakes import FakeOpenAIServer, FakeRetriever, passages_of


def _service(server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch, **overrides: str) -> ChatService:
    for name, value in {**server.env, "CEHUA_MODEL_TIMEOUT": "2", "CEHUA_MODEL_MAX_RETRIES": "1",
                        **overrides}.items():
        monkeypatch.setenv(name, value)
    settings = Settings()
    model = get_chat_model(settings)
    assert model is not None
    return ChatService(settings, FakeRetriever(PASSAGES), model)


def test_streamed_model_answer_arrives_in_tokens_with_checked_citations(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_openai.reply("活动预算包括场地、物料、人员和推广费用[1]，详见[6]。")
    events = list(_service(fake_openai, monkeypatch).stream("活动预算一般包括哪些费用?"))
    tokens = [e.text for e in events if e.type == "token"]
    assert len(tokens) > 3
    assert "".join(tokens) == "活动预算包括场地、物料、人员和推广费用[1]，详见。"
    done = events[-1].answer
    assert done is not None and done.grounded is True and done.offline is False
    assert [c.section for c in done.citations] == ["第四章 活动预算 > 4.1 预算构成"]
    (request,) = fake_openai.chat_requests
    assert request.stream is True
    first = passages_of(request.messages[1]["content"])[1]
    assert first.header.startswith("《促销策略指导书》 第四章 活动预算")


@pytest.mark.parametrize("status, question, note", [
    (401, "活动预算一般包括哪些费用?", "（模型暂时无法回答：模型服务拒绝了密钥，请管理员检查 OPENAI_API_KEY。以下为离线检索的指南原文。）\n"),
    (429, "活動預算一般包括哪些費用?", "（模型暫時無法回答：模型服務繁忙（限流），請稍後再試。以下為離線檢索的指南原文。）\n"),
    (503, "活动预算一般包括哪些费用?", "（模型暂时无法回答：模型服务出错（HTTP 503），请稍后再试。以下为离线检索的指南原文。）\n"),
])
def test_a_model_failure_is_told_in_the_askers_language(fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch,
                                                        status: int, question: str, note: str) -> None:
    """A Chinese planner was told 「（模型暂时无法回答：the model rejected the key (HTTP 401); check OPENAI_API_KEY。
    以下为离线检索的指南原文。）」: an English sentence inside a Chinese one."""
    for _ in range(4):
        fake_openai.fail(status=status)
    answer = _service(fake_openai, monkeypatch).ask(question)
    assert answer.answer.startswith(note)
    assert answer.offline is True


def test_default_fake_reply_quotes_passage_one(fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    answer = _service(fake_openai, monkeypatch).ask("活动预算一般包括哪些费用?")
    assert answer.answer.startswith("根据资料，4.1预算构成活动预算一般包括以下几类费用")
    assert answer.answer.endswith("[1]")
    assert answer.grounded is True


def test_server_errors_are_retried_then_the_offline_answer_is_labelled(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_openai.fail(status=500).fail(status=500)
    answer = _service(fake_openai, monkeypatch).ask("活动预算一般包括哪些费用?")
    assert len(fake_openai.chat_requests) == 2
    # Plain words for the reader; the model's address goes to the log only.
    assert answer.answer.startswith(
        "（模型暂时无法回答：模型服务出错（HTTP 500），请稍后再试。"
        "以下为离线检索的指南原文。）\n根据指南原文：\n活动预算一般包括以下几类费用:"
    )
    assert answer.offline is True
    assert [c.n for c in answer.citations] == [1]


def test_stream_cut_half_way_keeps_what_arrived_and_adds_the_offline_answer(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_openai.cut("活动预算包括场地费用和物料费用等很多内容", after_chunks=2)
    answer = _service(fake_openai, monkeypatch).ask("活动预算一般包括哪些费用?")
    assert answer.answer.startswith("活动预算包括场地\n\n（模型回答中断：连接中途断开，请再问一次。以下为离线检索的指南原文。）")
    assert fake_openai.base_url not in answer.answer
    assert "以下为离线检索的指南原文。）\n根据指南原文：\n活动预算一般包括以下几类费用:" in answer.answer
    assert answer.offline is True


def test_traditional_question_with_a_model_is_answered_in_traditional(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_openai.reply("活动预算包括场地费用[1]")
    answer = _service(fake_openai, monkeypatch).ask("活動預算一般包括哪些費用?")
    assert answer.answer == "活動預算包括場地費用[1]"
    assert answer.citations[0].section == "第四章 活動預算 > 4.1 預算構成"
    system = fake_openai.chat_requests[0].messages[0]["content"]
    assert system.endswith("Answer in Traditional Chinese (繁體中文).")


def test_a_model_citing_passages_out_of_order_gets_citations_numbered_1_to_n(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    service = _service(fake_openai, monkeypatch)
    fake_openai.reply("风险要提前识别[3]，预算包括场地费用[2]，另见[3]。")
    answer = service.ask("活动预算和风险要注意什么?")
    passages = passages_of(fake_openai.chat_requests[0].messages[1]["content"])
    assert answer.answer == "风险要提前识别[1]，预算包括场地费用[2]，另见[1]。"
    assert [c.n for c in answer.citations] == [1, 2]
    assert [c.section for c in answer.citations] == [
        passages[3].header.split("》 ")[1], passages[2].header.split("》 ")[1]]
