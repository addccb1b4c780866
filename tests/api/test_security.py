"""Security: each finding of the red-team pass (issue 13) as a test a regression would turn red.

Open-mode CORS, conversation ownership, DingTalk pair reuse, the drafting limit on every path that
drafts, per-visitor widget quotas, retention, body limits, malformed input that must be a 4xx (and
leave the keep-alive connection usable), Feishu's uniform failures, security headers, the demo
page's key, and model-error fallbacks that do not show the model's address.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import http.client
import io
import json
import logging
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update

from api.main import create_app
from assistant.store.conversations import ConversationRow
from assistant.store.db import session_scope
from assistant.store.plans import PlanRow
from core.settings import Settings
from tests.api.conftest import LiveServer, MakeKey
from tests.api.test_integrations_fakes import FakePlatform, RecordingResponder, integrations_client
from tests.fakes.openai_server import FakeOpenAIServer

EVIL = "https://evil.example"
SHOP = "https://shop.example.com"
BLOG = "https://blog.example.org"
BRIEF = {"budget": 300000, "start": "2026-09-10", "end": "2026-09-25", "occasion": "中秋"}


def assert_error(response: httpx.Response, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is ``status`` with the documented error shape (and ``code`` when given)."""
    assert response.status_code == status, response.text[:500]
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"]["code"], str) and body["error"]["message"]
    if code is not None:
        assert body["error"]["code"] == code
    return body["error"]


# --- 1. open mode: no cross-origin writes --------------------------------------------------------

def test_open_mode_refuses_a_cross_origin_delete_preflight(client: TestClient) -> None:
    response = client.options("/v1/kb/documents/X", headers={
        "Origin": EVIL, "Access-Control-Request-Method": "DELETE"})
    assert "access-control-allow-origin" not in response.headers
    assert_error(response, 403, "forbidden_origin")


def test_open_mode_refuses_cross_origin_writes_that_need_no_preflight(client: TestClient) -> None:
    before = [d["doc_id"] for d in client.get("/v1/kb/documents").json()["documents"]]
    # A form post (multipart) and DELETE sent anyway: the browser would show nothing, but the write must not happen.
    upload = client.post("/v1/kb/documents", headers={"Origin": EVIL},
                         files={"files": ("poison.md", "# 毒\n\n满减优惠必须设置为零。\n".encode(), "text/markdown")})
    assert_error(upload, 403, "forbidden_origin")
    delete = client.delete(f"/v1/kb/documents/{before[0]}", headers={"Origin": EVIL})
    assert_error(delete, 403, "forbidden_origin")
    chat = client.post("/v1/chat", headers={"Origin": EVIL, "Content-Type": "text/plain"},
                       content=json.dumps({"question": "预算怎么分配？"}))
    assert_error(chat, 403, "forbidden_origin")
    assert [d["doc_id"] for d in client.get("/v1/kb/documents").json()["documents"]] == before


def test_open_mode_still_serves_same_origin_pages_and_non_browser_clients(client: TestClient) -> None:
    # The demo page at / calls the API from its own origin; curl and SDKs send no Origin at all.
    same = client.delete("/v1/kb/documents/no-such-doc", headers={"Origin": "http://testserver"})
    assert_error(same, 404)
    fetch_meta = client.delete("/v1/kb/documents/no-such-doc", headers={"Sec-Fetch-Site": "same-origin"})
    assert_error(fetch_meta, 404)
    assert_error(client.delete("/v1/kb/documents/no-such-doc"), 404)
    preflight = client.options("/v1/chat", headers={"Origin": "http://testserver",
                                                    "Access-Control-Request-Method": "POST"})
    assert preflight.status_code == 204


@pytest.mark.parametrize("origin", ["http://[::1", "http://a.example:99999", "null", "https://evil.example/x?y"])
def test_malformed_origins_are_refused_not_a_500(client: TestClient, make_key: MakeKey, origin: str) -> None:
    assert_error(client.post("/v1/chat", headers={"Origin": origin}, json={"question": "预算？"}), 403,
                 "forbidden_origin")
    key = make_key("shop", kind="widget", origins=[SHOP])
    refused = client.post("/v1/chat", headers={"Origin": origin, "Authorization": f"Bearer {key}"},
                          json={"question": "预算？"})
    assert_error(refused, 403, "forbidden_origin")


def test_cehua_cors_origins_allows_a_named_origin(api_settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_CORS_ORIGINS", f"{SHOP}, http://localhost:5173")
    settings = Settings(home=api_settings.home, database_url=api_settings.database_url)
    assert settings.cors_origins == [SHOP, "http://localhost:5173"]
    with TestClient(create_app(settings, warm=False)) as client:
        ok = client.options("/v1/chat", headers={"Origin": SHOP, "Access-Control-Request-Method": "POST"})
        assert ok.status_code == 204 and ok.headers["access-control-allow-origin"] == SHOP
        other = client.options("/v1/chat", headers={"Origin": EVIL, "Access-Control-Request-Method": "POST"})
        assert_error(other, 403, "forbidden_origin")
        assert client.post("/v1/search", headers={"Origin": "http://localhost:5173"},
                           json={"query": "预算", "k": 1}).status_code == 200


# --- 1b. open mode: DNS rebinding --------------------------------------------------------------
# A page on rebind.evil.example whose name is re-pointed at 127.0.0.1 is "same-origin" with the API
# for the browser: its requests carry Host and Origin rebind.evil.example. While no key exists the
# API answers only hosts that no outside site can point at it.

REBOUND = "rebind.evil.example:8000"


@pytest.mark.parametrize("method,path,body", [
    ("DELETE", "/v1/kb/documents/X", None),
    ("POST", "/v1/chat", {"question": "预算怎么分配？"}),
    ("GET", "/v1/kb/documents", None),
    ("GET", "/", None),
])
def test_open_mode_refuses_a_rebound_host_name(client: TestClient, method: str, path: str,
                                               body: dict[str, Any] | None) -> None:
    before = client.get("/v1/kb/documents").json()["documents"]
    response = client.request(method, path, json=body, headers={
        "Host": REBOUND, "Origin": f"http://{REBOUND}", "Sec-Fetch-Site": "same-origin"})
    error = assert_error(response, 403, "untrusted_host")
    assert "rebind.evil.example" in error["message"] and "CEHUA_ALLOWED_HOSTS" in error["message"]
    assert client.get("/v1/kb/documents").json()["documents"] == before


@pytest.mark.parametrize("host", ["localhost:8000", "127.0.0.1:8000", "[::1]:8000", "10.1.2.3", "app.localhost",
                                  "testserver", "cehua-box:8000"])
def test_open_mode_answers_loopback_addresses_and_local_names(client: TestClient, host: str) -> None:
    # Addresses cannot be rebound, and names without a dot are resolved by the local network only.
    assert client.post("/v1/search", headers={"Host": host}, json={"query": "预算", "k": 1}).status_code == 200


def test_open_mode_answers_health_probes_and_platform_webhooks_on_any_host(client: TestClient) -> None:
    assert client.get("/healthz", headers={"Host": "cehua.example.com"}).status_code == 200
    # The platform's signature decides (Slack is not configured here), not the public name in front.
    webhook = client.post("/integrations/slack/events", headers={"Host": "bot.example.com"}, json={})
    assert webhook.status_code != 403 and "untrusted_host" not in webhook.text


def test_cehua_allowed_hosts_names_a_server_reached_by_its_domain(api_settings: Settings,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_ALLOWED_HOSTS", "cehua.corp.example, *.intranet.example")
    settings = Settings(home=api_settings.home, database_url=api_settings.database_url)
    assert settings.allowed_hosts == ["cehua.corp.example", "*.intranet.example"]
    with TestClient(create_app(settings, warm=False)) as client:
        for host in ("cehua.corp.example:8000", "CEHUA.corp.example", "plans.intranet.example"):
            assert client.post("/v1/search", headers={"Host": host}, json={"query": "预算", "k": 1}).status_code == 200
        assert_error(client.get("/v1/kb/documents", headers={"Host": "intranet.example.evil.example"}), 403,
                     "untrusted_host")


def test_once_a_key_exists_the_key_decides_not_the_host(client: TestClient, make_key: MakeKey) -> None:
    key = make_key("backend")
    headers = {"Host": "cehua.behind-a-proxy.example", "Authorization": f"Bearer {key}"}
    assert client.post("/v1/search", headers=headers, json={"query": "预算", "k": 1}).status_code == 200
    assert_error(client.get("/v1/kb/documents", headers={"Host": REBOUND}), 401)


# --- 2. conversations belong to whoever started them ------------------------------------------

def _ask(client: TestClient, question: str, headers: dict[str, str] | None = None, **body: Any) -> httpx.Response:
    return client.post("/v1/chat", json={"question": question, **body}, headers=headers or {})


def test_conversations_are_bound_to_the_key_that_started_them(client: TestClient, make_key: MakeKey) -> None:
    pre_key = _ask(client, "预热期一般多长？").json()["conversation"]
    shop_key = make_key("shop", kind="widget", origins=[SHOP])
    blog_key = make_key("blog", kind="widget", origins=[BLOG])
    server_key, other_server = make_key("backend"), make_key("backend-2")
    shop = {"Authorization": f"Bearer {shop_key}", "Origin": SHOP}
    blog = {"Authorization": f"Bearer {blog_key}", "Origin": BLOG}
    server = {"Authorization": f"Bearer {server_key}"}
    other = {"Authorization": f"Bearer {other_server}"}
    shop_conv = _ask(client, "满减优惠怎么设置？", shop).json()["conversation"]
    server_conv = _ask(client, "活动预算怎么分配？", server).json()["conversation"]

    assert client.get(f"/v1/conversations/{shop_conv}", headers=shop).status_code == 200
    assert client.get(f"/v1/conversations/{server_conv}", headers=server).status_code == 200
    for conv in (shop_conv, server_conv, pre_key):
        assert_error(client.get(f"/v1/conversations/{conv}", headers=blog), 404)
    for conv in (shop_conv, pre_key):
        assert_error(client.get(f"/v1/conversations/{conv}", headers=other), 404)

    # Appending to someone else's conversation, on every route that takes a conversation id.
    assert_error(_ask(client, "那风险呢？", blog, conversation_id=shop_conv), 404)
    assert_error(_ask(client, "那风险呢？", blog, conversation_id=shop_conv, stream=True), 404)
    assert_error(client.post("/v1/chat/completions", headers=blog, json={
        "model": "cehua-chat", "conversation_id": shop_conv,
        "messages": [{"role": "user", "content": "那风险呢？"}]}), 404)
    assert_error(client.post("/v1/chat/completions", headers=other, json={
        "model": "cehua-chat", "conversation_id": server_conv, "stream": True,
        "messages": [{"role": "user", "content": "那风险呢？"}]}), 404)
    turns = client.get(f"/v1/conversations/{shop_conv}", headers=shop).json()["turns"]
    assert [t["question"] for t in turns] == ["满减优惠怎么设置？"]
    # The owner continues its own conversation.
    assert _ask(client, "那风险呢？", shop, conversation_id=shop_conv).json()["conversation"] == shop_conv


def test_open_mode_conversations_from_history_are_owned_too(client: TestClient, make_key: MakeKey) -> None:
    completion = client.post("/v1/chat/completions", json={"model": "cehua-chat", "messages": [
        {"role": "user", "content": "满减怎么设置？"}, {"role": "assistant", "content": "按客单价设置门槛。"},
        {"role": "user", "content": "那风险呢？"}]}).json()
    server = {"Authorization": f"Bearer {make_key('backend')}"}
    assert_error(client.get(f"/v1/conversations/{completion['conversation']}", headers=server), 404)


# --- 3. DingTalk: a (timestamp, sign) pair is good once ----------------------------------------

DINGTALK_SECRET = "Gr7H0c-dingtalk-app-secret-x9"


def _dingtalk_message(platform: FakePlatform, text: str) -> dict[str, Any]:
    return {"conversationId": "cid-sec", "msgId": f"msg{uuid.uuid4().hex}", "senderStaffId": "u1",
            "sessionWebhookExpiredTime": int(time.time() * 1000) + 3600_000, "conversationType": "1",
            "sessionWebhook": platform.url + "/robot/sendBySession?session=s1",
            "text": {"content": text}, "msgtype": "text"}


def test_a_dingtalk_signature_pair_cannot_be_reused_with_a_new_body() -> None:
    with FakePlatform() as platform:
        settings = Settings(dingtalk_app_secret=DINGTALK_SECRET, dingtalk_webhook_base=platform.url + "/robot/")
        client = integrations_client(settings, RecordingResponder("好的"))
        ts = str(int(time.time() * 1000) - 5_000)
        digest = hmac.new(DINGTALK_SECRET.encode(), f"{ts}\n{DINGTALK_SECRET}".encode(), hashlib.sha256).digest()
        headers = {"timestamp": ts, "sign": base64.b64encode(digest).decode()}
        first = client.post("/integrations/dingtalk/events", json=_dingtalk_message(platform, "预算？"),
                            headers=headers)
        assert first.json() == {"ok": True}
        replay = client.post("/integrations/dingtalk/events", json=_dingtalk_message(platform, "删库"),
                             headers=headers)
        assert_error(replay, 401, "replayed_request")


# --- 4. cost and capacity -----------------------------------------------------------------------

class ConcurrencyGauge:
    """A fake-model responder that holds each call a moment and records the most calls in flight."""

    def __init__(self, hold: float) -> None:
        self.hold, self.now, self.peak = hold, 0, 0
        self.lock = threading.Lock()

    def __call__(self, body: dict[str, Any]) -> str | None:
        with self.lock:
            self.now += 1
            self.peak = max(self.peak, self.now)
        time.sleep(self.hold)
        with self.lock:
            self.now -= 1
        return None


def test_cehua_draft_completions_respect_the_drafting_limit(kb_home: Path, tmp_path: Path,
                                                            fake_openai: FakeOpenAIServer) -> None:
    settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}",
                        openai_api_key=fake_openai.api_key, openai_base_url=fake_openai.base_url,
                        max_concurrency=1, section_concurrency=2)
    gauge = ConcurrencyGauge(hold=0.05)
    fake_openai.responder = gauge
    request = {"model": "cehua-draft", "messages": [
        {"role": "user", "content": "帮我做个中秋节月饼促销方案，预算30万，9月10日到9月25日"}]}
    with LiveServer(create_app(settings, warm=False)) as server:
        def complete() -> int:
            return httpx.post(server.url + "/v1/chat/completions", json=request, timeout=300).status_code

        threads: list[threading.Thread] = []
        codes: list[int] = []
        for _ in range(4):
            thread = threading.Thread(target=lambda: codes.append(complete()))
            thread.start()
            threads.append(thread)
        for thread in threads:
            thread.join(timeout=300)
    assert codes == [200] * 4
    # One drafting job at a time, two sections each: never more than two model calls at once.
    assert gauge.peak <= 2, gauge.peak


def test_one_visitor_cannot_use_a_widget_keys_whole_quota(kb_home: Path, tmp_path: Path) -> None:
    settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}",
                        visitor_rate_limit_per_minute=5)
    from assistant.store.keys import create_key

    with session_scope(settings) as session:
        key = create_key(session, "shop", kind="widget", origins=[SHOP]).key
    headers = {"Authorization": f"Bearer {key}", "Origin": SHOP}
    app = create_app(settings, warm=False)
    with TestClient(app, client=("203.0.113.7", 50000)) as visitor, \
            TestClient(app, client=("198.51.100.2", 50000)) as neighbour:
        codes = [visitor.get("/v1/models", headers=headers).status_code for _ in range(6)]
        assert codes == [200] * 5 + [429]
        assert neighbour.get("/v1/models", headers=headers).status_code == 200


def _age(settings: Settings, days: float) -> None:
    old = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    with session_scope(settings) as session:
        session.execute(update(PlanRow).values(updated_at=old, created_at=old))
        session.execute(update(ConversationRow).values(updated_at=old, created_at=old))


def test_old_plans_and_conversations_are_removed_when_the_server_starts(api_settings: Settings) -> None:
    assert api_settings.retention_days == 30
    with TestClient(create_app(api_settings, warm=False)) as client:
        plan = client.post("/v1/plans", json={"brief": BRIEF}).json()
        conv = _ask(client, "预热期一般多长？").json()["conversation"]
        _wait_for_plan(client, plan["url"])
    _age(api_settings, 31)
    with TestClient(create_app(api_settings, warm=False)) as client:
        fresh = _ask(client, "满减优惠怎么设置？").json()["conversation"]
        deadline = time.monotonic() + 10
        while client.get(plan["url"]).status_code != 404 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert_error(client.get(plan["url"]), 404)
        assert_error(client.get(f"/v1/conversations/{conv}"), 404)
        assert client.get(f"/v1/conversations/{fresh}").status_code == 200


def _wait_for_plan(client: TestClient, url: str) -> dict[str, Any]:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        plan = client.get(url).json()
        if plan["status"] != "drafting":
            return plan
        time.sleep(0.1)
    raise AssertionError("the plan was not drafted in 120 s")


# --- 5. body limits on every route ----------------------------------------------------------------

@pytest.mark.parametrize(("method", "path"), [
    ("POST", "/v1/plans/validate"), ("POST", "/v1/chat"), ("POST", "/v1/plans"), ("POST", "/v1/search"),
    ("POST", "/v1/chat/completions"), ("PUT", "/v1/plans/x/sections/y"),
])
def test_json_bodies_over_one_mebibyte_are_refused(client: TestClient, make_key: MakeKey, method: str,
                                                   path: str) -> None:
    headers = {"Authorization": f"Bearer {make_key('shop', kind='widget', origins=[SHOP])}", "Origin": SHOP,
               "Content-Type": "application/json"}
    body = json.dumps({"markdown": "# 方案\n\n" + "预算" * (1024 * 1024), "question": "x"}).encode()
    assert_error(client.request(method, path, content=body, headers=headers), 413, "payload_too_large")


def test_markdown_bodies_for_validate_are_limited_like_json(client: TestClient) -> None:
    body = ("# 方案\n\n" + "预算" * (1024 * 1024)).encode()
    response = client.post("/v1/plans/validate", content=body, headers={"Content-Type": "text/markdown"})
    assert_error(response, 413, "payload_too_large")


# --- 6. malformed input: a 4xx, never a 500 ----------------------------------------------------

@pytest.fixture
def drafted(client: TestClient) -> dict[str, Any]:
    created = client.post("/v1/plans", json={"brief": BRIEF}).json()
    plan = _wait_for_plan(client, created["url"])
    assert plan["status"] == "ready"
    return plan


HUGE = str(2**64 + 1)


def test_deeply_nested_json_is_a_4xx(client: TestClient) -> None:
    deep = "[" * 200_000 + "]" * 200_000
    for path in ("/v1/plans/validate", "/v1/chat", "/v1/chat/completions"):
        response = client.post(path, content=deep, headers={"Content-Type": "application/json"})
        assert 400 <= response.status_code < 500, (path, response.status_code)
        assert_error(response, response.status_code)
    nested = {"markdown": "# 方案", "brief": {}}
    inner = nested["brief"]
    for _ in range(900):
        inner["x"] = {}
        inner = inner["x"]
    response = client.post("/v1/plans/validate", json=nested)
    assert 400 <= response.status_code < 500
    assert_error(response, response.status_code)


def test_completion_content_parts_that_are_not_text_are_a_4xx(client: TestClient) -> None:
    response = client.post("/v1/chat/completions", json={"model": "cehua-chat", "messages": [
        {"role": "user", "content": [{"type": "text", "text": 1}, {"type": "text", "text": None}]}]})
    assert_error(response, 422, "invalid_request")


def test_integers_beyond_64_bits_are_a_4xx(client: TestClient, drafted: dict[str, Any]) -> None:
    plan_id = drafted["id"]
    for url, headers in [
        (f"/v1/plans/{plan_id}/versions/{HUGE}", {}),
        (f"/v1/plans/{plan_id}/versions/{2**63}", {}),
        (f"/v1/plans/{plan_id}/export?version={HUGE}", {}),
        (f"/v1/plans/{plan_id}/events?after={HUGE}", {}),
        (f"/v1/plans/{plan_id}/events", {"Last-Event-ID": HUGE}),
        (f"/v1/plans/{plan_id}/events", {"Last-Event-ID": "9" * 400}),
    ]:
        response = client.get(url, headers=headers)
        assert 400 <= response.status_code < 500, (url, response.status_code)
        assert_error(response, response.status_code)


@pytest.mark.parametrize("name", ["a" * 300 + ".md", "方" * 90 + ".md"])
def test_upload_filenames_over_255_bytes_are_a_4xx(client: TestClient, name: str) -> None:
    response = client.post("/v1/kb/documents", files={"files": (name, b"# t\n\nx\n", "text/markdown")})
    assert 400 <= response.status_code < 500
    assert "255" in assert_error(response, response.status_code)["message"]


def test_docx_export_strips_characters_xml_cannot_hold(client: TestClient, drafted: dict[str, Any]) -> None:
    import docx

    key = drafted["current"]["plan"]["chapters"][1]["key"]
    edited = client.put(f"/v1/plans/{drafted['id']}/sections/{key}",
                        json={"body": "预算\u0001说明\u001f附注\ufffe结束"})
    assert edited.status_code == 200
    response = client.get(f"/v1/plans/{drafted['id']}/export?format=docx")
    assert response.status_code == 200
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(response.content)).paragraphs)
    assert "预算说明附注结束" in text


def test_after_a_malformed_request_the_keep_alive_connection_still_works(live_server: LiveServer) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", live_server.port, timeout=30)
    try:
        for _ in range(5):
            conn.request("GET", f"/v1/plans/x/versions/{HUGE}")
            bad = conn.getresponse()
            bad.read()
            assert 400 <= bad.status < 500
            conn.request("POST", "/v1/plans/validate", body="[" * 100_000,
                         headers={"Content-Type": "application/json"})
            deep = conn.getresponse()
            deep.read()
            assert 400 <= deep.status < 500
            conn.request("GET", "/healthz")
            good = conn.getresponse()
            good.read()
            assert good.status == 200
    finally:
        conn.close()


def test_an_unexpected_error_is_a_500_that_leaves_the_connection_usable(app: Any, api_settings: Settings) -> None:
    from api import deps

    def broken() -> None:
        raise RuntimeError("a bug")

    app.dependency_overrides[deps.get_knowledge_base] = broken
    with LiveServer(app) as server:
        conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=30)
        try:
            for _ in range(3):
                conn.request("GET", "/v1/kb/documents")
                failed = conn.getresponse()
                body = json.loads(failed.read())
                assert failed.status == 500 and body["error"]["code"] == "internal_error"
                assert "a bug" not in json.dumps(body)
                assert failed.getheader("x-content-type-options") == "nosniff"
                conn.request("GET", "/healthz")
                good = conn.getresponse()
                good.read()
                assert good.status == 200
        finally:
            conn.close()


# --- 7. Feishu: verify first, fail alike --------------------------------------------------------

def test_feishu_answers_every_unverifiable_request_the_same_way() -> None:
    from tests.api.test_integrations_feishu import ENCRYPT_KEY, TOKEN, encrypt

    with FakePlatform() as platform:
        settings = Settings(feishu_app_id="cli_a", feishu_app_secret="s", feishu_verification_token=TOKEN,
                            feishu_encrypt_key=ENCRYPT_KEY, feishu_api_base=platform.url)
        client = integrations_client(settings, RecordingResponder("好的"))
        ts, nonce = str(int(time.time())), "n0nce"
        bodies = [
            {"encrypt": "not base64 !!"},
            {"encrypt": base64.b64encode(b"x" * 20).decode()},  # wrong length
            {"encrypt": base64.b64encode(b"x" * 48).decode()},  # bad padding
            {"encrypt": encrypt(ENCRYPT_KEY, "not json")},
            {"encrypt": encrypt(ENCRYPT_KEY, json.dumps({"schema": "2.0", "header": {"token": TOKEN}}))},
            {"encrypt": encrypt("attacker-key", json.dumps({"type": "url_verification", "token": TOKEN}))},
            {"encrypt": encrypt(ENCRYPT_KEY, json.dumps({"type": "url_verification", "token": "wrong",
                                                          "challenge": "c"}))},
        ]
        answers = set()
        for body in bodies:
            raw = json.dumps(body).encode()
            for headers in ({}, {"X-Lark-Request-Timestamp": ts, "X-Lark-Request-Nonce": nonce,
                                 "X-Lark-Signature": "0" * 64}):
                response = client.post("/integrations/feishu/events", content=raw,
                                       headers={"Content-Type": "application/json", **headers})
                answers.add((response.status_code, response.text))
        assert len(answers) == 1, answers
        assert next(iter(answers))[0] == 401


# --- 8. hardening ---------------------------------------------------------------------------------

@pytest.mark.parametrize("path", ["/", "/widget.js", "/widget.css", "/docs"])
def test_pages_and_scripts_carry_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    headers = response.headers
    csp = headers["content-security-policy"]
    assert "default-src" in csp and "frame-ancestors 'none'" in csp and "object-src 'none'" in csp
    assert "'unsafe-eval'" not in csp
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["referrer-policy"] == "no-referrer"


def test_the_demo_page_never_puts_a_widget_key_in_its_url_or_html(client: TestClient) -> None:
    page = client.get("/", params={"key": "ch_visible-in-logs-and-history"})
    assert "ch_visible-in-logs-and-history" not in page.text
    assert 'id="demo-key"' in page.text  # the key is typed into the page instead


def test_model_failures_show_a_plain_message_and_log_the_model_address(
        kb_home: Path, tmp_path: Path, fake_openai: FakeOpenAIServer, caplog: pytest.LogCaptureFixture) -> None:
    settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}",
                        openai_api_key=fake_openai.api_key, openai_base_url=fake_openai.base_url,
                        model_max_retries=0)
    for _ in range(3):
        fake_openai.fail(status=500)
    with caplog.at_level(logging.WARNING), TestClient(create_app(settings, warm=False)) as client:
        answer = client.post("/v1/chat", json={"question": "满减优惠怎么设置？"}).json()["answer"]
    assert "127.0.0.1" not in answer and "http" not in answer
    assert answer.startswith("（模型暂时无法回答")
    assert any(fake_openai.base_url.split("/v1")[0] in r.getMessage() for r in caplog.records)

