"""The API with a configured model (the fake OpenAI-compatible server), failing jobs, lost workers,
the OpenAPI docs, and the draft model streamed through the openai client."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import httpx
import openai
from fastapi.testclient import TestClient
from sqlalchemy import update

from api import deps
from api.main import create_app
from assistant.store import jobs as job_store
from assistant.store.db import session_scope
from assistant.store.jobs import JobRow
from core.errors import ModelError
from core.settings import Settings
from tests.api.conftest import LiveServer
from tests.api.test_api_search_chat import parse_sse
from tests.fakes.openai_server import FakeOpenAIServer

BRIEF = {"budget": 300000, "start": "2026-09-10", "end": "2026-09-25", "occasion": "中秋"}


def test_chat_uses_the_configured_model(kb_home: Path, tmp_path: Path, fake_openai: FakeOpenAIServer) -> None:
    settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}",
                        openai_api_key=fake_openai.api_key, openai_base_url=fake_openai.base_url)
    fake_openai.reply("价格促销的手段包括打折、优惠券和限时特价[1]。")
    with TestClient(create_app(settings, warm=False)) as client:
        answer = client.post("/v1/chat", json={"question": "价格促销具体有哪些手段?"}).json()
    assert answer["offline"] is False
    assert answer["answer"].startswith("价格促销的手段包括打折、优惠券和限时特价[1]")
    assert answer["grounded"] is True and answer["citations"][0]["n"] == 1
    assert len(fake_openai.chat_requests) == 1


class FailingDrafter(deps.Drafter):
    """A drafter whose model is down: drafting raises the ModelError the real pipeline would."""

    def draft(self, brief: Any, *, template: str = "promotion", progress: Any = None) -> Any:
        raise ModelError("the model at http://model.invalid did not answer after 3 attempts; try again later")


def test_a_failed_job_ends_with_an_error_event(app, api_settings: Settings) -> None:
    app.dependency_overrides[deps.get_drafter] = lambda: FailingDrafter(api_settings, None, None)  # type: ignore[arg-type]
    with TestClient(app) as client:
        created = client.post("/v1/plans", json={"brief": BRIEF}).json()
        with client.stream("GET", created["events_url"]) as response:
            events = parse_sse(response.iter_lines())
        plan = client.get(created["url"]).json()
    assert [n for n, _ in events] == ["started", "error"]
    assert events[-1][1]["error"]["code"] == "model_unavailable"
    assert plan["status"] == "failed"
    assert plan["job"]["status"] == "failed"
    assert plan["error"]["code"] == "model_unavailable"
    assert plan["current"] is None
    with TestClient(app) as client:
        export = client.get(f"{created['url']}/export?format=md")
    assert export.status_code == 409
    assert export.json()["error"]["code"] == "plan_not_ready"


def test_a_job_whose_worker_went_silent_is_reported_lost(api_settings: Settings) -> None:
    with session_scope(api_settings) as session:
        job = job_store.create_job(session, "draft", plan_id="p1")
        job_store.set_status(session, job.id, "running")
    with session_scope(api_settings) as session:
        assert job_store.get_job(session, job.id).status == "running"
        session.execute(update(JobRow).where(JobRow.id == job.id).values(
            updated_at=dt.datetime.now(dt.UTC) - job_store.STALE_AFTER - dt.timedelta(seconds=1)))
    with session_scope(api_settings) as session:
        lost = job_store.get_job(session, job.id)
    assert lost.status == "failed"
    assert lost.error is not None and lost.error["code"] == "job_lost"


def test_openapi_docs_describe_the_api(client: TestClient) -> None:
    assert client.get("/docs").status_code == 200
    spec = client.get("/openapi.json").json()
    for path in ("/v1/search", "/v1/chat", "/v1/plans", "/v1/plans/{plan_id}/events", "/v1/plans/validate",
                 "/v1/kb/documents", "/v1/chat/completions", "/v1/models", "/healthz", "/readyz"):
        assert path in spec["paths"], path
    assert "multipart/form-data" in spec["paths"]["/v1/plans/validate"]["post"]["requestBody"]["content"]


def test_draft_model_streams_through_the_openai_client(live_server: LiveServer) -> None:
    with openai.OpenAI(base_url=f"{live_server.url}/v1", api_key="x", max_retries=0, timeout=60) as client:
        stream = client.chat.completions.create(model="cehua-draft", stream=True, messages=[
            {"role": "user", "content": "幫我做個中秋節促銷方案,預算30萬,9月10日到9月25日"}])
        text = "".join(c.choices[0].delta.content or "" for c in stream)
    assert text.startswith("#")
    assert "預算" in text and "檢查" in text


def test_widget_key_can_draft_from_its_origin(live_server: LiveServer, make_key) -> None:
    key = make_key("shop", kind="widget", origins=["https://shop.example.com"])
    headers = {"Authorization": f"Bearer {key}", "Origin": "https://shop.example.com"}
    created = httpx.post(f"{live_server.url}/v1/plans", json={"brief": BRIEF}, headers=headers, timeout=30)
    assert created.status_code == 202
    assert created.headers["access-control-allow-origin"] == "https://shop.example.com"
    with httpx.stream("GET", live_server.url + created.json()["events_url"], headers=headers, timeout=60) as r:
        assert r.headers["access-control-allow-origin"] == "https://shop.example.com"
        events = parse_sse(r.iter_lines())
    assert events[-1][0] == "done"
    docx = httpx.get(f"{live_server.url}{created.json()['url']}/export?format=docx", headers=headers, timeout=30)
    assert docx.status_code == 200 and docx.content[:2] == b"PK"


def test_shutdown_reports_jobs_that_never_started(api_settings: Settings) -> None:
    import threading

    from api.jobs import JobRunner

    release = threading.Event()
    runner = JobRunner(max_workers=1)
    with session_scope(api_settings) as session:
        busy = job_store.create_job(session, "draft")
        waiting = job_store.create_job(session, "draft")
    runner.submit(api_settings, busy.id, release.wait, 10)
    runner.submit(api_settings, waiting.id, lambda: None)
    runner.shutdown()
    release.set()
    with session_scope(api_settings) as session:
        assert job_store.get_job(session, busy.id).status == "queued"  # was running: left to finish
        cancelled = job_store.get_job(session, waiting.id)
        events = job_store.events_after(session, waiting.id)
    assert cancelled.status == "failed" and cancelled.error == {
        "code": "job_cancelled", "message": "the server shut down before this job started; start it again"}
    assert [e.event for e in events] == ["error"]
