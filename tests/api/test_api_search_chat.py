"""Search and chat over HTTP against the real bundled index: JSON answers, SSE streams, conversations."""

from __future__ import annotations

import json
from collections.abc import Iterator

import httpx
from fastapi.testclient import TestClient

from tests.api.conftest import LiveServer


def parse_sse(lines: Iterator[str]) -> list[tuple[str, dict]]:
    """(event, data) pairs from an SSE stream's lines."""
    events: list[tuple[str, dict]] = []
    name, data = "message", ""
    for line in lines:
        if line.startswith("event:"):
            name = line[6:].strip()
        elif line.startswith("data:"):
            data += line[5:].strip()
        elif line == "" and data:
            events.append((name, json.loads(data)))
            name, data = "message", ""
    return events


def test_search_returns_passages_with_sections_and_offsets(client: TestClient) -> None:
    response = client.post("/v1/search", json={"query": "价格促销有哪些手段?", "k": 3})
    assert response.status_code == 200
    body = response.json()
    assert body["query"] == "价格促销有哪些手段?"
    assert body["good_match"] is True
    assert len(body["results"]) == 3
    first = body["results"][0]
    assert set(first) == {"text", "doc", "title", "section", "score", "start", "end"}
    assert first["text"] and first["section"] and first["end"] > first["start"]
    scores = [r["score"] for r in body["results"]]
    assert scores == sorted(scores, reverse=True)


def test_search_out_of_scope_is_not_a_good_match(client: TestClient) -> None:
    body = client.post("/v1/search", json={"query": "怎么给电动车办理年检?"}).json()
    assert body["good_match"] is False


def test_search_rejects_empty_and_oversized_queries(client: TestClient) -> None:
    empty = client.post("/v1/search", json={"query": "   "})
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] == "invalid_question"
    long = client.post("/v1/search", json={"query": "预" * 5000})
    assert long.status_code == 400
    assert "keep it under 4000" in long.json()["error"]["message"]


def test_chat_answers_with_citations_and_keeps_the_conversation(client: TestClient) -> None:
    first = client.post("/v1/chat", json={"question": "价格促销具体有哪些手段?"})
    assert first.status_code == 200
    answer = first.json()
    assert answer["grounded"] is True and answer["offline"] is True
    assert answer["script"] == "zh-Hans"
    assert answer["citations"] and {"n", "text", "doc", "section"} <= set(answer["citations"][0])
    assert f"[{answer['citations'][0]['n']}]" in answer["answer"]

    follow = client.post("/v1/chat", json={"question": "那风险呢?", "conversation_id": answer["conversation"]})
    assert follow.status_code == 200
    assert follow.json()["conversation"] == answer["conversation"]

    conversation = client.get(f"/v1/conversations/{answer['conversation']}").json()
    assert [t["question"] for t in conversation["turns"]] == ["价格促销具体有哪些手段?", "那风险呢?"]
    assert conversation["turns"][0]["answer"] == answer["answer"]


def test_chat_in_traditional_answers_in_traditional(client: TestClient) -> None:
    answer = client.post("/v1/chat", json={"question": "價格促銷具體有哪些手段?"}).json()
    assert answer["script"] == "zh-Hant"
    assert "根據" in answer["answer"]


def test_chat_quotes_the_sentence_a_typo_meant(client: TestClient) -> None:
    # 策化 is an input-method slip for 策划: search reads it right, and so must the choice of what to quote
    # (it once quoted the team lead's duties, the sentence sharing the most written words).
    answer = client.post("/v1/chat", json={"question": "我们的策化团队平时都负责啥?"}).json()
    assert answer["grounded"] is True
    assert "策划团队:负责活动创意构思" in answer["answer"]
    assert "策化" not in answer["answer"]


def test_chat_out_of_scope_abstains(client: TestClient) -> None:
    answer = client.post("/v1/chat", json={"question": "Python的装饰器是什么?"}).json()
    assert answer["grounded"] is False
    assert answer["citations"] == []


def test_chat_bad_input(client: TestClient) -> None:
    empty = client.post("/v1/chat", json={"question": "  "})
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] == "invalid_question"
    unknown = client.post("/v1/chat", json={"question": "预算包括什么?", "conversation_id": "nope"})
    assert unknown.status_code == 404
    assert unknown.json()["error"]["code"] == "not_found"
    streamed_unknown = client.post("/v1/chat", json={"question": "预算?", "conversation_id": "nope", "stream": True})
    assert streamed_unknown.status_code == 404


def test_chat_streams_tokens_then_citations_then_done(live_server: LiveServer) -> None:
    with httpx.stream("POST", f"{live_server.url}/v1/chat", json={"question": "联合促销有什么好处?", "stream": True},
                      timeout=30) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = parse_sse(response.iter_lines())
    names = [name for name, _ in events]
    assert names[0] == "started" and names[-2:] == ["citations", "done"]
    assert set(names[1:-2]) == {"token"} and len(names) >= 4
    text = "".join(data["text"] for name, data in events if name == "token")
    done = events[-1][1]
    assert done["answer"]["answer"] == text
    assert done["grounded"] is True
    assert events[-2][1]["citations"] == done["answer"]["citations"]


def test_chat_streams_when_the_client_accepts_event_stream(live_server: LiveServer) -> None:
    with httpx.stream("POST", f"{live_server.url}/v1/chat", json={"question": "预算一般包括哪些费用?"},
                      headers={"Accept": "text/event-stream"}, timeout=30) as response:
        events = parse_sse(response.iter_lines())
    assert events[-1][0] == "done"
