"""The real client stack (langchain_openai → openai → HTTP) against the fake server on loopback."""

from __future__ import annotations

import time

import httpx
import pytest

from assistant.llm import complete, get_chat_model
from assistant.llm.openai_chat import OpenAIChatModel
from core.errors import ModelError
from core.settings import Settings
from knowledge.passage import Passage
from prompts import render
from tests.fakes import FakeOpenAIServer

MESSAGES = [{"role": "system", "content": "只根据资料回答。"}, {"role": "user", "content": "预算包括什么?"}]


def _settings(server: FakeOpenAIServer, **overrides: object) -> Settings:
    values: dict[str, object] = {"openai_api_key": server.api_key, "openai_base_url": server.base_url,
                                 "model_timeout": 2.0, "model_max_retries": 2}
    values.update(overrides)
    return Settings(**values)  # type: ignore[arg-type]


def _model(server: FakeOpenAIServer, **overrides: object) -> tuple[OpenAIChatModel, list[float]]:
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(seconds)
        time.sleep(min(seconds, 0.05))

    return OpenAIChatModel(_settings(server, **overrides), backoff=0.01, sleep=sleep), slept


def test_offline_settings_give_no_model() -> None:
    assert get_chat_model(Settings()) is None


def test_configured_settings_give_the_openai_model(fake_openai: FakeOpenAIServer) -> None:
    model = get_chat_model(_settings(fake_openai, model="qwen-plus"))
    assert isinstance(model, OpenAIChatModel)
    assert model.name == "qwen-plus"


def test_reply_is_streamed_in_chunks_and_request_carries_messages(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.reply("预算包括场地、物料和人员费用。[1]")
    model, _ = _model(fake_openai)
    chunks = list(model.stream(MESSAGES))
    assert "".join(chunks) == "预算包括场地、物料和人员费用。[1]"
    assert len(chunks) > 1
    (request,) = fake_openai.chat_requests
    assert request.stream is True
    assert request.headers["authorization"] == "Bearer test-key"
    assert [m["content"] for m in request.messages] == ["只根据资料回答。", "预算包括什么?"]
    assert [m["role"] for m in request.messages] == ["system", "user"]


def test_empty_queue_gives_the_default_reply_quoting_passage_one(fake_openai: FakeOpenAIServer) -> None:
    model, _ = _model(fake_openai)
    prompt = render("answer", passages=[Passage(text="预算包括场地费用。", doc="d")], question="预算?",
                    language="Simplified Chinese (简体中文)")
    reply = complete(model, [{"role": "user", "content": prompt}])
    assert reply == "根据资料，预算包括场地费用。 [1]"


def test_429_with_retry_after_is_retried_after_the_requested_wait(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.fail(status=429, retry_after=1).reply("好的 [1]")
    model, slept = _model(fake_openai)
    assert complete(model, MESSAGES) == "好的 [1]"
    assert slept == [1.0]
    assert len(fake_openai.chat_requests) == 2


def test_500_is_retried_with_growing_backoff_then_succeeds(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.fail(status=500).fail(status=502).reply("恢复了 [1]")
    model, slept = _model(fake_openai)
    assert complete(model, MESSAGES) == "恢复了 [1]"
    assert slept == [0.01, 0.02]


def test_persistent_500_gives_a_model_error_after_bounded_attempts(fake_openai: FakeOpenAIServer) -> None:
    for _ in range(5):
        fake_openai.fail(status=500)
    model, slept = _model(fake_openai, model_max_retries=2)
    with pytest.raises(ModelError) as info:
        complete(model, MESSAGES)
    assert "failed with HTTP 500 (after 3 attempts)" in str(info.value)
    assert len(fake_openai.chat_requests) == 3
    assert len(slept) == 2
    assert fake_openai.pending == 2


def test_persistent_429_says_rate_limited(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.fail(status=429, retry_after=0.01).fail(status=429, retry_after=0.01)
    model, _ = _model(fake_openai, model_max_retries=1)
    with pytest.raises(ModelError, match="is rate limiting requests \\(after 2 attempts\\)"):
        complete(model, MESSAGES)


def test_unauthorized_is_not_retried(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.fail(status=401)
    model, slept = _model(fake_openai)
    with pytest.raises(ModelError, match="rejected the key \\(HTTP 401\\); check OPENAI_API_KEY"):
        complete(model, MESSAGES)
    assert slept == []
    assert len(fake_openai.chat_requests) == 1


def test_timeout_is_bounded_and_named(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.hang(1.5).hang(1.5)
    model, _ = _model(fake_openai, model_timeout=0.3, model_max_retries=1)
    started = time.perf_counter()
    with pytest.raises(ModelError, match="did not answer within 0.3s \\(after 2 attempts\\)"):
        complete(model, MESSAGES)
    assert time.perf_counter() - started < 1.5


def test_a_role_chunk_then_silence_is_cut_at_the_first_token_deadline(fake_openai: FakeOpenAIServer) -> None:
    # Headers and an empty role-only chunk arrive at once, then nothing: that is not a first token.
    fake_openai.stall(4).stall(4)
    model, _ = _model(fake_openai, model_timeout=10, model_first_token_timeout=0.5, model_deadline=20,
                      model_max_retries=1)
    started = time.perf_counter()
    with pytest.raises(ModelError, match="sent nothing within 0.5s \\(after 2 attempts\\)"):
        complete(model, MESSAGES)
    assert time.perf_counter() - started < 2.5
    assert len(fake_openai.chat_requests) == 2


def test_tool_calls_and_structured_replies_end_at_the_deadline(fake_openai: FakeOpenAIServer) -> None:
    # Unstreamed calls (plan edits as tools, brief extraction) wait for a whole reply: a model that
    # keeps the connection open is cut at the whole-reply deadline, not after a read timeout per try.
    from assistant.briefs.extract import BriefExtraction

    fake_openai.hang(4).hang(4)
    model, _ = _model(fake_openai, model_timeout=10, model_deadline=1, model_max_retries=1)
    for call in (lambda: model.call_tools(MESSAGES, [{"type": "function", "function": {
                     "name": "noop", "description": "does nothing", "parameters": {"type": "object"}}}]),
                 lambda: model.structured(MESSAGES, BriefExtraction)):
        started = time.perf_counter()
        with pytest.raises(ModelError, match="did not finish its reply within 1s"):
            call()
        assert time.perf_counter() - started < 2.0


def test_malformed_json_is_a_model_error(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.malformed().malformed().malformed()
    model, _ = _model(fake_openai)
    with pytest.raises(ModelError, match="sent a reply Cehua cannot read"):
        complete(model, MESSAGES)


def test_stream_cut_half_way_is_a_model_error_after_the_first_chunks(fake_openai: FakeOpenAIServer) -> None:
    fake_openai.cut("一二三四五六七八九十", after_chunks=2)
    model, _ = _model(fake_openai)
    received: list[str] = []
    with pytest.raises(ModelError, match="half-way"):
        for chunk in model.stream(MESSAGES):
            received.append(chunk)
    assert "".join(received) == "一二三四五六七八"
    assert len(fake_openai.chat_requests) == 1


def test_unreachable_server_is_a_model_error() -> None:
    settings = Settings(openai_api_key="k", openai_base_url="http://127.0.0.1:9/v1", model_max_retries=1,
                        model_timeout=1.0)
    model = OpenAIChatModel(settings, backoff=0.01)
    with pytest.raises(ModelError, match="cannot reach the model at http://127.0.0.1:9/v1 \\(after 2 attempts\\)"):
        complete(model, MESSAGES)


def test_fake_server_serves_models_and_deterministic_embeddings(fake_openai: FakeOpenAIServer) -> None:
    models = httpx.get(f"{fake_openai.base_url}/models").json()
    assert [m["id"] for m in models["data"]] == ["gpt-4o-mini"]
    body = {"model": "emb", "input": ["促销预算", "促销预算", "完全不同"]}
    data = httpx.post(f"{fake_openai.base_url}/embeddings", json=body).json()["data"]
    first, second, third = (d["embedding"] for d in data)
    assert len(first) == 64
    assert first == second
    assert first != third
    assert abs(sum(v * v for v in first) - 1.0) < 1e-9
