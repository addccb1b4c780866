"""Two API workers on one state database: a webhook retried to the other worker is answered once, and a
follow-up in a thread continues the same conversation whichever worker gets it. First as two apps in
this process, then as two real uvicorn processes (SQLite, and PostgreSQL when CEHUA_TEST_POSTGRES_URL
is set)."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.main import create_app
from assistant.store.db import dispose_all
from assistant.store.integrations import thread_conversation
from core.settings import Settings
from tests.api.test_integrations_fakes import FakePlatform
from tests.processes import ServerProcess, free_port

SECRET = "workers-slack-signing-secret"


@pytest.fixture
def settings(kb_home: Path, tmp_path: Path, platform: FakePlatform) -> Iterator[Settings]:
    yield Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'shared-state.db'}",
                   slack_signing_secret=SECRET, slack_bot_token="xoxb-workers", slack_api_base=platform.url)
    dispose_all()


@pytest.fixture
def workers(settings: Settings) -> Iterator[tuple[TestClient, TestClient]]:
    """Two apps, each with its own services and responder, sharing only the state database."""
    with TestClient(create_app(settings.model_copy(), warm=False)) as one, \
            TestClient(create_app(settings.model_copy(), warm=False)) as other:
        # FastAPI builds each route's state on its first match, and two apps in one process share the route
        # objects, so two first requests at once race inside pydantic (real workers are separate processes).
        # One request each, one after the other, builds them before the tests deliver events concurrently.
        for client in (one, other):
            body, headers = signed({"type": "url_verification", "challenge": "warm"})
            assert client.post("/integrations/slack/events", content=body, headers=headers).status_code == 200
        yield one, other


def signed(payload: dict[str, Any]) -> tuple[bytes, dict[str, str]]:
    body = json.dumps(payload, ensure_ascii=False).encode()
    stamp = str(int(time.time()))
    digest = hmac.new(SECRET.encode(), b"v0:" + stamp.encode() + b":" + body, hashlib.sha256).hexdigest()
    return body, {"X-Slack-Request-Timestamp": stamp, "X-Slack-Signature": f"v0={digest}",
                  "Content-Type": "application/json"}


def mention(event_id: str, text: str, ts: str, thread_ts: str | None = None) -> dict[str, Any]:
    event = {"type": "app_mention", "user": "U061F7AUR", "text": f"<@U0BOT> {text}", "ts": ts, "channel": "C0PLAN"}
    if thread_ts:
        event["thread_ts"] = thread_ts
    return {"type": "event_callback", "event_id": event_id, "event": event}


def test_the_same_event_delivered_to_two_workers_at_once_is_answered_once(
    workers: tuple[TestClient, TestClient], platform: FakePlatform
) -> None:
    body, headers = signed(mention("EvWorkers01", "中秋节促销应该提前多久预热？", ts="1700000700.000100"))
    barrier = threading.Barrier(2)
    answers: list[dict[str, Any]] = []

    def deliver(client: TestClient) -> None:
        barrier.wait()
        answers.append(client.post("/integrations/slack/events", content=body, headers=headers).json())

    threads = [threading.Thread(target=deliver, args=(client,)) for client in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(answers, key=len) == [{"ok": True}, {"ok": True, "ignored": "duplicate event"}]
    # Slack's retry a minute later, to either worker, is a duplicate too.
    for client in workers:
        retry_body, retry_headers = signed(mention("EvWorkers01", "中秋节促销应该提前多久预热？",
                                                   ts="1700000700.000100"))
        response = client.post("/integrations/slack/events", content=retry_body,
                               headers={**retry_headers, "X-Slack-Retry-Num": "1"})
        assert response.json() == {"ok": True, "ignored": "duplicate event"}
    assert len(platform.wait_for("/chat.postMessage", 1)) == 1
    time.sleep(0.5)  # a second reply, had one been started, would have arrived by now
    assert len(platform.posted("/chat.postMessage")) == 1


def test_a_follow_up_on_the_other_worker_continues_the_threads_conversation(
    workers: tuple[TestClient, TestClient], platform: FakePlatform, settings: Settings
) -> None:
    one, other = workers
    body, headers = signed(mention("EvWorkers02", "促销活动的预算一般包括哪些费用？", ts="1700000800.000100"))
    assert one.post("/integrations/slack/events", content=body, headers=headers).json() == {"ok": True}
    platform.wait_for("/chat.postMessage", 1)
    conversation = thread_conversation(settings, "slack", "C0PLAN:1700000800.000100")
    assert conversation is not None

    body, headers = signed(mention("EvWorkers03", "那风险呢？", ts="1700000900.000100",
                                   thread_ts="1700000800.000100"))
    assert other.post("/integrations/slack/events", content=body, headers=headers).json() == {"ok": True}
    replies = platform.wait_for("/chat.postMessage", 2)
    assert [r.body["thread_ts"] for r in replies] == ["1700000800.000100", "1700000800.000100"]
    assert thread_conversation(settings, "slack", "C0PLAN:1700000800.000100") == conversation
    turns = one.get(f"/v1/conversations/{conversation}").json()["turns"]
    assert [turn["question"] for turn in turns] == ["促销活动的预算一般包括哪些费用？", "那风险呢？"]

    # A new thread in the same channel starts its own conversation.
    body, headers = signed(mention("EvWorkers04", "中秋节主题怎么定？", ts="1700001000.000100"))
    assert other.post("/integrations/slack/events", content=body, headers=headers).json() == {"ok": True}
    platform.wait_for("/chat.postMessage", 3)
    fresh = thread_conversation(settings, "slack", "C0PLAN:1700001000.000100")
    assert fresh is not None and fresh != conversation


POSTGRES_URL = os.environ.get("CEHUA_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def state_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh state database: a SQLite file, or a schema of its own on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'processes.db'}"
        return
    if not POSTGRES_URL:
        pytest.skip("set CEHUA_TEST_POSTGRES_URL to run against PostgreSQL")
    schema = f"cehua_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}"
    finally:
        dispose_all()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def post(server: ServerProcess, payload: dict[str, Any]) -> httpx.Response:
    body, headers = signed(payload)
    return httpx.post(f"{server.url}/integrations/slack/events", content=body, headers=headers, timeout=30)


def test_two_worker_processes_answer_a_retried_event_once_and_share_threads(
    kb_home: Path, tmp_path: Path, platform: FakePlatform, state_url: str
) -> None:
    env = {**os.environ, "CEHUA_HOME": str(kb_home), "CEHUA_DATABASE_URL": state_url,
           "CEHUA_SLACK_SIGNING_SECRET": SECRET, "CEHUA_SLACK_BOT_TOKEN": "xoxb-workers",
           "CEHUA_SLACK_API_BASE": platform.url}
    servers = []
    for name in ("a", "b"):
        port = free_port()
        servers.append(ServerProcess([sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app",
                                "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
                               env, port, tmp_path / f"{name}.log"))
    a, b = servers
    try:
        a.wait_for()
        b.wait_for()
        first = mention("EvProcess01", "促销活动的预算一般包括哪些费用？", ts="1700002000.000100")
        assert post(a, first).json() == {"ok": True}
        assert post(b, first).json() == {"ok": True, "ignored": "duplicate event"}  # the retry, elsewhere
        platform.wait_for("/chat.postMessage", 1, timeout=30)
        follow_up = mention("EvProcess02", "那风险呢？", ts="1700002100.000100", thread_ts="1700002000.000100")
        assert post(b, follow_up).json() == {"ok": True}
        assert post(a, follow_up).json() == {"ok": True, "ignored": "duplicate event"}
        replies = platform.wait_for("/chat.postMessage", 2, timeout=30)
        time.sleep(0.5)  # a duplicate reply, had one been started, would have arrived by now
        assert len(platform.posted("/chat.postMessage")) == 2
        assert [r.body["thread_ts"] for r in replies] == ["1700002000.000100", "1700002000.000100"]
        conversation = thread_conversation(Settings(home=kb_home, database_url=state_url), "slack",
                                           "C0PLAN:1700002000.000100")
        assert conversation is not None
        turns = httpx.get(f"{a.url}/v1/conversations/{conversation}", timeout=10).json()["turns"]
        assert [turn["question"] for turn in turns] == ["促销活动的预算一般包括哪些费用？", "那风险呢？"]
    finally:
        a.stop()
        b.stop()
        dispose_all()
