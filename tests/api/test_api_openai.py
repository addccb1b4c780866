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


def test_a_role_openai_does_not_have_is_named_with_the_roles_there_are(live_server: LiveServer) -> None:
    # {"role": "bot"} was refused as "messages has no non-empty user message", naming neither the field nor the slip.
    with pytest.raises(openai.UnprocessableEntityError) as bad:
        client_for(live_server).chat.completions.create(
            model="cehua-chat", messages=[{"role": "system", "content": "be brief"}, {"role": "bot", "content": "预算?"}])
    assert bad.value.body["field"] == "messages.1.role"
    assert bad.value.body["message"] == ("field 'messages.1.role': Input should be 'system', 'developer', 'user', "
                                         "'assistant', 'tool' or 'function'")


@pytest.mark.parametrize(("options", "field", "message"), [
    ({"n": 3}, "n", "field 'n': Cehua gives one choice per request: leave n out or send 1"),
    ({"temperature": 5}, "temperature", "field 'temperature': Input should be less than or equal to 2"),
    ({"top_p": -0.5}, "top_p", "field 'top_p': Input should be greater than or equal to 0"),
])
def test_sampling_options_openai_refuses_are_refused_not_ignored(live_server: LiveServer, options: dict,
                                                                  field: str, message: str) -> None:
    # n=3 got one choice back without a word, and temperature 5 an answer: OpenAI refuses both, so a client
    # moving between the two learns of the slip here too.
    with pytest.raises(openai.UnprocessableEntityError) as bad:
        client_for(live_server).chat.completions.create(
            model="cehua-chat", messages=[{"role": "user", "content": "活动预算一般包括哪些费用?"}], **options)
    assert bad.value.body["field"] == field
    assert bad.value.body["message"] == message


def test_sampling_options_in_range_are_accepted(live_server: LiveServer) -> None:
    reply = client_for(live_server).chat.completions.create(
        model="cehua-chat", messages=[{"role": "user", "content": "活动预算一般包括哪些费用?"}], n=1,
        temperature=0.7, top_p=1)
    assert len(reply.choices) == 1


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


def _say(client: openai.OpenAI, history: list[dict[str, str]], text: str, *, stream: bool = False) -> tuple[str, dict]:  # type: ignore[type-arg]
    """Send ``history`` + ``text`` as an OpenAI chat UI does (the whole history, no conversation id);
    the reply's content and extra fields, and ``history`` grown by the exchange."""
    history.append({"role": "user", "content": text})
    if stream:
        chunks = list(client.chat.completions.create(model="cehua-chat", messages=history, stream=True))  # type: ignore[arg-type]
        content = "".join(c.choices[0].delta.content or "" for c in chunks)
        extra = chunks[-1].model_extra or {}
    else:
        completion = client.chat.completions.create(model="cehua-chat", messages=history)  # type: ignore[arg-type]
        content, extra = completion.choices[0].message.content or "", completion.model_extra or {}
    history.append({"role": "assistant", "content": content})
    return content, extra


@pytest.mark.parametrize("stream", [False, True])
def test_cehua_chat_plans_by_conversation_from_the_sent_history(live_server: LiveServer, stream: bool,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """A chat UI on the OpenAI API sends the whole history and no conversation id: a plan asked for is
    asked back, drafted (the plan itself in the reply), then changed by talking, the plan found again
    from the reply that drafted it. Before, cehua-chat only answered questions."""
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    client, history = client_for(live_server), []
    asked, extra = _say(client, history, "帮我做个圣诞节促销方案", stream=stream)
    assert extra["missing"] == ["budget", "start", "end"] and "预算" in asked
    drafted, extra = _say(client, history, "预算两万，12月20号到25号", stream=stream)
    plan = extra["plan"]
    assert (plan["version"], plan["brief"]["budget"]) == (1, 20000)
    assert drafted.startswith("已起草方案") and "\n# " in drafted and "费用预算" in drafted  # the plan follows
    changed, extra = _say(client, history, "预算改成8千", stream=stream)
    assert (extra["plan"]["id"], extra["plan"]["version"], extra["plan"]["brief"]["budget"]) == (plan["id"], 2, 8000)
    assert "8,000" in changed or "8千" in changed
    answer, extra = _say(client, history, "预算一般包括哪些费用?", stream=stream)
    assert "plan" not in extra and extra["citations"] and "[1]" in answer


def test_a_plan_id_in_sent_history_reaches_only_a_caller_who_may_see_the_plan(
        live_server: LiveServer, make_key: MakeKey, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-11-28")
    owner = client_for(live_server, make_key("backend"))
    history: list[dict[str, str]] = []
    _say(owner, history, "帮我做个圣诞节促销方案,预算两万,12月20号到25号")
    plan_id = history[-1]["content"].split("/v1/plans/")[1][:32]
    shop = "https://shop.example.com"
    widget = openai.OpenAI(base_url=f"{live_server.url}/v1", api_key=make_key("shop", kind="widget", origins=[shop]),
                           default_headers={"Origin": shop}, max_retries=0, timeout=60)
    _open.append(widget)
    forged = history[:2]
    _, extra = _say(widget, forged, "预算改成8千")
    assert extra.get("plan", {}).get("id") != plan_id
    latest = owner.get(f"/plans/{plan_id}", cast_to=dict)  # type: ignore[type-var]
    assert latest["current"]["version"] == 1
