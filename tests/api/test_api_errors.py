"""Every error answers with one JSON shape, the right status and a stable code; never a 500 for bad input."""

from __future__ import annotations

import http.client
import json
from urllib.parse import urlsplit

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from api.main import create_app
from assistant.store.db import session_scope
from assistant.store.plans import PlanRow
from core.settings import Settings
from tests.api.conftest import LiveServer


def test_healthz_answers_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {}}


def test_readyz_reports_database_and_index(app: FastAPI) -> None:
    with TestClient(app) as c:
        app.state.warmup.thread.join(timeout=180)
        response = c.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ready", "checks": {"capacity": "ok", "database": "ok", "index": "ok"}}


def test_readyz_is_503_when_the_database_cannot_be_opened(kb_home, tmp_path) -> None:
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    settings = Settings(home=kb_home, database_url=f"sqlite:///{blocker / 'state.db'}")
    with TestClient(create_app(settings, warm=False)) as c:
        response = c.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["error"]["code"] == "not_ready"
    assert body["checks"]["index"] == "ok"
    assert body["checks"]["database"] != "ok"


def test_malformed_json_is_400_invalid_json(client: TestClient) -> None:
    response = client.post("/v1/search", content='{"query": "预算'.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid_json"
    assert "not valid JSON" in response.json()["error"]["message"]


@pytest.mark.parametrize(("body", "field"), [
    ({"query": "预算", "k": "five"}, "k"),
    ({"query": 12}, "query"),
    ({"query": "预算", "k": 0}, "k"),
    ({"query": "预算", "k": 500}, "k"),
    ({"query": "预算", "extra": 1}, "extra"),
    ({}, "query"),
])
def test_wrong_types_are_422_naming_the_field(client: TestClient, body: dict, field: str) -> None:
    response = client.post("/v1/search", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_request"
    assert error["field"] == field
    assert f"'{field}'" in error["message"]


@pytest.mark.parametrize(("body", "field", "message"), [
    ({}, "markdown", "field 'markdown' is required (see /docs for the request shape)"),
    ({"markdown": 123}, "markdown", "field 'markdown': Input should be a valid string"),
    ({"markdown": "# 方案", "template": ["event"]}, "template", "field 'template': Input should be a valid string"),
])
def test_a_wrong_plan_to_validate_is_422_naming_the_field(client: TestClient, body: dict, field: str,
                                                            message: str) -> None:
    """It said 「send a JSON object {"markdown": "..."} (1 validation error for ValidateRequest)」 to a client
    that had sent one: pydantic's class name and no field."""
    response = client.post("/v1/plans/validate", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"], error["message"]) == ("invalid_request", field, message)


@pytest.mark.parametrize("path", ["/v1/chat", "/v1/search", "/v1/plans"])
def test_a_body_that_is_not_utf8_is_400_invalid_json(client: TestClient, path: str) -> None:
    """A GBK-encoded JSON body (a Windows script's default) got 400 bad_request 「There was an error parsing
    the body」: not the documented code, and no fix."""
    response = client.post(path, content='{"question": "预算", "query": "预算", "request": "预算"}'.encode("gbk"),
                           headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_json", "message": "the request body is not UTF-8 text: send the JSON encoded as UTF-8"}


@pytest.mark.parametrize("path", ["/v1/chat", "/v1/search", "/v1/plans"])
@pytest.mark.parametrize(("content_type", "body"), [
    ("application/x-www-form-urlencoded", "question=预算&query=预算&request=预算"),
    ("text/plain", '{"question": "预算", "query": "预算", "request": "预算"}'),
])
def test_a_body_that_is_not_sent_as_json_is_415_naming_the_fix(
        client: TestClient, path: str, content_type: str, body: str) -> None:
    """A form post (curl -d, an HTML form) got 422 「field 'body': Input should be a valid dictionary…」: the
    client had sent fields, and nothing said the API wants JSON."""
    response = client.post(path, content=body.encode(), headers={"content-type": content_type})
    assert response.status_code == 415
    error = response.json()["error"]
    assert error["code"] == "unsupported_media_type"
    assert content_type in error["message"] and "Content-Type: application/json" in error["message"]


def test_a_plan_request_longer_than_a_question_is_refused(client: TestClient) -> None:
    """100,000 characters of request were accepted and drafted, the whole rest of it the plan's product."""
    response = client.post("/v1/plans", json={"request": "双十一促销,预算80万,11月1日到11日," + "很" * 5000})
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid_request", "field": "request",
        "message": "'request' is 5022 characters, over the limit of 4000: describe the campaign in fewer words "
                   "(CEHUA_MAX_QUESTION_CHARS sets the limit)"}


def test_missing_body_is_422(client: TestClient) -> None:
    response = client.post("/v1/chat")
    assert response.status_code == 422
    assert response.json()["error"] == {
        "code": "invalid_request", "message": "the request has no body: send a JSON object (see /docs)",
        "field": "body", "fields": [{"field": "body", "message": "Field required"}],
    }


def test_oversized_json_body_is_413(client: TestClient, api_settings: Settings) -> None:
    body = json.dumps({"question": "预" * (api_settings.max_request_bytes // 2)})
    response = client.post("/v1/chat", content=body.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "payload_too_large"


def test_oversized_chunked_body_is_413_without_content_length(live_server: LiveServer,
                                                              api_settings: Settings) -> None:
    """A body streamed without Content-Length is counted as it arrives and cut off at the limit."""
    parts = urlsplit(live_server.url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=10)

    def chunks():
        piece = b"x" * 65536
        for _ in range(api_settings.max_request_bytes // len(piece) + 2):
            yield piece

    conn.request("POST", "/v1/chat", body=chunks(), headers={"Content-Type": "application/json"},
                 encode_chunked=True)
    try:
        response = conn.getresponse()
        assert response.status == 413
        assert json.loads(response.read())["error"]["code"] == "payload_too_large"
    finally:
        conn.close()


def test_unknown_endpoint_and_method(client: TestClient) -> None:
    missing = client.get("/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json() == {"error": {"code": "not_found",
                                        "message": "no such endpoint: GET /v1/nothing-here (see /docs)"}}
    wrong = client.delete("/v1/search")
    assert wrong.status_code == 405
    assert wrong.json()["error"]["code"] == "method_not_allowed"


def test_unknown_ids_are_404(client: TestClient) -> None:
    for path in ("/v1/plans/nope", "/v1/plans/nope/versions", "/v1/plans/nope/export?format=md",
                 "/v1/conversations/nope", "/v1/plans/nope/events"):
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["error"]["code"] == "not_found", path


def test_unexpected_failure_is_a_json_500_without_internals(api_settings: Settings) -> None:
    app = create_app(api_settings, warm=False)

    def boom() -> None:
        raise RuntimeError("secret internal detail")

    app.add_api_route("/v1/boom", boom)
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/v1/boom")
    assert response.status_code == 500
    assert response.json()["error"]["code"] == "internal_error"
    assert "secret" not in response.text


def test_rejected_requests_store_nothing(client: TestClient, api_settings: Settings) -> None:
    bad = [
        client.post("/v1/plans", json={"request": "帮我做个中秋活动方案"}),  # no budget or dates
        client.post("/v1/plans", json={"request": "x", "brief": {"budget": 1}}),
        client.post("/v1/plans", json={"brief": {"budget": "lots", "start": "2026-09-10", "end": "2026-09-25"}}),
        client.post("/v1/plans", json={"brief": {"budget": 300000, "start": "2026-09-10", "end": "2026-09-25",
                                                 "colour": "red"}}),
        client.post("/v1/plans", json={"brief": {"budget": 300000, "start": "2026-09-10", "end": "2026-09-25"},
                                       "template": "no-such-template"}),
        client.post("/v1/plans", content=b"{", headers={"content-type": "application/json"}),
    ]
    assert [r.status_code for r in bad] == [422, 422, 400, 400, 404, 400]
    assert all(set(r.json()) >= {"error"} and set(r.json()["error"]) >= {"code", "message"} for r in bad)
    with session_scope(api_settings) as session:
        assert session.scalar(select(func.count()).select_from(PlanRow)) == 0


def test_lone_surrogates_are_400_not_500(client: TestClient) -> None:
    for path, field in (("/v1/chat", "question"), ("/v1/search", "query")):
        response = client.post(path, content=(f'{{"{field}": "\\ud800预算"}}').encode(),
                               headers={"content-type": "application/json"})
        assert response.status_code == 400, path
        assert response.json()["error"]["code"] == "invalid_text"


@pytest.mark.parametrize(("body", "said"), [("[1, 2]", "a JSON array"), ("null", "null"), ('"预算"', "a JSON string"),
                                            ("42", "a number")])
@pytest.mark.parametrize("path", ["/v1/chat", "/v1/chat/completions"])
def test_a_json_body_that_is_no_object_says_to_send_one(client: TestClient, path: str, body: str, said: str) -> None:
    """It said 「field 'body': Input should be a valid dictionary or object to extract fields from」: there is
    no field 'body', and a client that sent a list was not told what to send instead."""
    response = client.post(path, content=body.encode(), headers={"content-type": "application/json"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["field"], error["message"]) == (
        "invalid_request", "body", f"the request body is {said}: send a JSON object (see /docs for the request shape)")


def test_a_field_of_either_type_is_named_without_pydantics_type_tags(client: TestClient) -> None:
    """An OpenAI message's content may be a string or a list of parts; a number there was reported as
    「field 'messages.0.content.str': Input should be a valid string」, a field no client has."""
    response = client.post("/v1/chat/completions",
                           json={"model": "cehua-chat", "messages": [{"role": "user", "content": 5}]})
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["field"], error["message"]) == (
        "messages.0.content", "field 'messages.0.content': Input should be a valid string or a valid list")
    assert [f["field"] for f in error["fields"]] == ["messages.0.content"]


@pytest.mark.parametrize(("body", "message"), [
    ({"messages": [{"role": "user", "content": "满减怎么设置"}]},
     "field 'model' is required (see /docs for the request shape)"),
    ({"model": 5, "messages": [{"role": "user", "content": "满减怎么设置"}]},
     "field 'model': Input should be a valid string"),
])
def test_a_field_called_model_is_named_not_taken_for_the_whole_body(client: TestClient, body: dict[str, object],
                                                                     message: str) -> None:
    """A chat completion without 'model' was answered "the request has no body", and 'model': 5 "the request body is
    a number": 'model' is also the name pydantic gives a union's model member, so the field was dropped from the path."""
    response = client.post("/v1/chat/completions", json=body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["field"], error["message"]) == ("model", message)


@pytest.mark.parametrize(("last", "message"), [
    ({"role": "user", "content": "  "},
     "field 'messages.2.content': the last user message is empty; write the question or request in it"),
    ({"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://example.com/poster.png"}}]},
     "field 'messages.2.content': Cehua reads text only, and the last user message has no text part (it has "
     "image_url); add {\"type\": \"text\", \"text\": \"...\"}"),
])
def test_the_last_user_message_without_text_is_named_not_skipped(client: TestClient, last: dict[str, object],
                                                                  message: str) -> None:
    """A last user message with no text (blank, or only an image) was passed over and the question before it
    answered again, as if it were new: the caller saw an old answer to a message it had not sent."""
    history = [{"role": "user", "content": "预算怎么分配?"}, {"role": "assistant", "content": "按比例分配。"}, last]
    response = client.post("/v1/chat/completions", json={"model": "cehua-chat", "messages": history})
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["code"], error["field"], error["message"]) == ("invalid_request", "messages.2.content", message)


@pytest.mark.parametrize(("path", "body", "field", "message"), [
    ("/v1/chat", {"question": "满减怎么设置", "conversationId": "abc"}, "conversationId",
     "field 'conversationId' is not a field of this request: did you mean 'conversation_id'? (see /docs)"),
    ("/v1/chat", {"message": "满减怎么设置"}, "question",
     "field 'question' is required, and 'message' is not a field of this request: send it as 'question' (see /docs)"),
    ("/v1/search", {"Query": "满减"}, "query",
     "field 'query' is required, and 'Query' is not a field of this request: send it as 'query' (see /docs)"),
    ("/v1/search", {"query": "满减", "top_k": 3}, "top_k",
     "field 'top_k' is not a field of this request (its fields: query, k; see /docs)"),
    ("/v1/chat", {"question": "满减怎么设置", "lang": "en"}, "lang",
     "field 'lang' is not a field of this request (its fields: question, conversation_id, stream; see /docs)"),
])
def test_a_field_sent_under_another_name_is_named_with_the_one_meant(client: TestClient, path: str,
                                                                      body: dict[str, object], field: str,
                                                                      message: str) -> None:
    """{"conversationId": ...} was answered "Extra inputs are not permitted" and {"message": ...} "field 'question' is
    required": true, but neither said that the caller had sent the right thing under the wrong name."""
    response = client.post(path, json=body)
    assert response.status_code == 422, response.text
    error = response.json()["error"]
    assert (error["field"], error["message"]) == (field, message)
