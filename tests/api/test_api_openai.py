"""The official ``openai`` client works unchanged against Cehua's OpenAI-compatible endpoints."""

from __future__ import annotations

from collections.abc import Iterator

import openai
import pytest

from tests.api.conftest import LiveServer, MakeKey

_open: list[openai.OpenAI] = []


def client_for(server: LiveServer, key: str = "unused") -> openai.OpenAI:
    client = openai.OpenAI(base_url=f"{server.url}/v1", api_key=key, max_retries=0, timeout=60)
    _open.append(client)
    return client


@pytest.fixture(autouse=True)
def close_clients() -> Iterator[None]:
    yield
    while _open:
        _open.pop().close()


def test_models_are_listed(live_server: LiveServer) -> None:
    models = client_for(live_server).models.list()
    assert [m.id for m in models.data] == ["cehua-chat", "cehua-draft"]
    assert client_for(live_server).models.retrieve("cehua-draft").id == "cehua-draft"


def test_chat_completion_answers_with_citations(live_server: LiveServer) -> None:
    completion = client_for(live_server).chat.completions.create(
        model="cehua-chat", messages=[{"role": "system", "content": "ignored"},
                                      {"role": "user", "content": "价格促销具体有哪些手段?"}])
    content = completion.choices[0].message.content
    assert completion.choices[0].finish_reason == "stop"
    assert "[1]" in content
    assert "\n\n来源:\n[1] " in content
    extra = completion.model_extra
    assert extra["grounded"] is True and extra["citations"][0]["n"] == 1 and extra["conversation"]


def test_streamed_chat_completion_matches_the_plain_one(live_server: LiveServer) -> None:
    question = [{"role": "user", "content": "联合促销有什么好处?"}]
    plain = client_for(live_server).chat.completions.create(model="cehua-chat", messages=question)
    stream = client_for(live_server).chat.completions.create(model="cehua-chat", messages=question, stream=True)
    chunks = list(stream)
    assert chunks[0].choices[0].delta.role == "assistant"
    assert chunks[-1].choices[0].finish_reason == "stop"
    streamed = "".join(c.choices[0].delta.content or "" for c in chunks)
    assert streamed == plain.choices[0].message.content


def test_draft_model_drafts_a_plan_or_asks_for_essentials(live_server: LiveServer) -> None:
    client = client_for(live_server)
    asked = client.chat.completions.create(model="cehua-draft",
                                           messages=[{"role": "user", "content": "帮我做个中秋活动方案"}])
    assert asked.choices[0].message.content.startswith("还缺少")
    assert "budget" in asked.model_extra["missing"]
    plan = client.chat.completions.create(model="cehua-draft", messages=[
        {"role": "user", "content": "帮我做个中秋节促销方案,预算30万,9月10日到9月25日"}])
    content = plan.choices[0].message.content
    assert content.startswith("#")
    assert "检查" in content
    assert not [f for f in plan.model_extra["findings"] if f["severity"] == "error"]


def test_unknown_model_and_bad_key(live_server: LiveServer, make_key: MakeKey) -> None:
    with pytest.raises(openai.NotFoundError) as missing:
        client_for(live_server).chat.completions.create(model="gpt-4o", messages=[{"role": "user", "content": "hi"}])
    assert missing.value.body["code"] == "model_not_found"
    key = make_key("sdk")
    with pytest.raises(openai.AuthenticationError):
        client_for(live_server, "ch_wrong").models.list()
    assert client_for(live_server, key).models.list().data


def test_empty_user_message_is_rejected(live_server: LiveServer) -> None:
    with pytest.raises(openai.UnprocessableEntityError) as bad:
        client_for(live_server).chat.completions.create(model="cehua-chat",
                                                        messages=[{"role": "user", "content": "  "}])
    assert bad.value.body["code"] == "invalid_request"


def test_chat_completion_follow_up_uses_the_sent_history(live_server: LiveServer) -> None:
    client = client_for(live_server)
    first_q = "价格促销具体有哪些手段?"
    first = client.chat.completions.create(model="cehua-chat", messages=[{"role": "user", "content": first_q}])
    follow = client.chat.completions.create(model="cehua-chat", messages=[
        {"role": "user", "content": first_q},
        {"role": "assistant", "content": first.choices[0].message.content},
        {"role": "user", "content": "那风险呢?"},
    ])
    alone = client.chat.completions.create(model="cehua-chat", messages=[{"role": "user", "content": "那风险呢?"}])
    assert alone.model_extra["standalone_question"] == "那风险呢?"
    standalone = follow.model_extra["standalone_question"]
    assert standalone != "那风险呢?" and "风险" in standalone
