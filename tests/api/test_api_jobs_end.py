"""Drafting jobs always end: a job whose server was killed, or whose database failed mid-job, is
failed promptly with its reason, its plan too; ``/events`` ends with ``error``, export says why, and
a retry drafts the plan."""

from __future__ import annotations

import os
import signal
import sys
import time
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from api.main import create_app
from assistant.store.db import dispose_all, session_factory
from core.settings import Settings
from tests.api.test_api_search_chat import parse_sse
from tests.fakes import FakeOpenAIServer
from tests.processes import ServerProcess, free_port

BRIEF = {"title": "国庆出游季", "budget": 500000, "start": "2026-10-01", "end": "2026-10-07"}


def _serve(env: dict[str, str], log: Path) -> ServerProcess:
    port = free_port()
    server = ServerProcess([str(Path(sys.executable).parent / "cehua"), "serve", "--port", str(port),
                            "--log-level", "warning"], env, port, log)
    server.wait_for(timeout=120)
    return server


def _events(url: str, plan_id: str) -> list[tuple[str, dict]]:
    with httpx.stream("GET", f"{url}/v1/plans/{plan_id}/events", timeout=60) as response:
        assert response.status_code == 200
        return parse_sse(response.iter_lines())


def test_a_job_whose_server_was_killed_ends_with_an_error_and_retries(kb_home: Path, tmp_path: Path,
                                                                       fake_openai: FakeOpenAIServer) -> None:
    fake_openai.delay = 600  # the model never answers: the job is mid-draft when its server dies
    env = {**os.environ, **fake_openai.env, "CEHUA_HOME": str(kb_home),
           "CEHUA_DATABASE_URL": f"sqlite:///{tmp_path / 'state.db'}",
           "CEHUA_MODEL_FIRST_TOKEN_TIMEOUT": "600", "CEHUA_MODEL_DEADLINE": "600"}
    first = _serve(env, tmp_path / "first.log")
    try:
        created = httpx.post(f"{first.url}/v1/plans", json={"brief": BRIEF}, timeout=30)
        assert created.status_code == 202
        plan_id = created.json()["id"]
        deadline = time.monotonic() + 30
        while httpx.get(f"{first.url}/v1/plans/{plan_id}", timeout=10).json()["job"]["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.1)
        time.sleep(0.5)
    finally:
        os.killpg(first.proc.pid, signal.SIGKILL)
        first.proc.wait()
        first.log.close()

    fake_openai.delay = 0
    second = _serve(env, tmp_path / "second.log")
    try:
        start = time.monotonic()
        events = _events(second.url, plan_id)
        assert time.monotonic() - start < 5
        assert events[0][0] == "started" and events[-1][0] == "error"
        assert events[-1][1]["error"]["code"] == "job_lost"
        plan = httpx.get(f"{second.url}/v1/plans/{plan_id}", timeout=10).json()
        assert plan["status"] == "failed" and plan["job"]["status"] == "failed"
        export = httpx.get(f"{second.url}/v1/plans/{plan_id}/export", timeout=10)
        assert export.status_code == 409
        assert "drafting failed" in export.json()["error"]["message"]
        assert f"POST /v1/plans/{plan_id}/retry" in export.json()["error"]["message"]

        retry = httpx.post(f"{second.url}/v1/plans/{plan_id}/retry", timeout=30)
        assert retry.status_code == 202, retry.text
        assert _events(second.url, plan_id)[-1][0] == "done"
        assert httpx.get(f"{second.url}/v1/plans/{plan_id}/export", timeout=30).status_code == 200
        again = httpx.post(f"{second.url}/v1/plans/{plan_id}/retry", timeout=30)
        assert again.status_code == 409 and again.json()["error"]["code"] == "plan_not_failed"
    finally:
        second.stop()
        dispose_all()


def test_a_database_failure_mid_job_fails_the_job_and_its_plan(kb_home: Path, tmp_path: Path,
                                                               fake_openai: FakeOpenAIServer) -> None:
    settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}",
                        openai_api_key=fake_openai.api_key, openai_base_url=fake_openai.base_url)
    fake_openai.delay = 1.5  # every section call takes a while: time to break the database mid-job
    client = TestClient(create_app(settings, warm=False), raise_server_exceptions=False)
    with client:
        created = client.post("/v1/plans", json={"brief": BRIEF})
        plan_id = created.json()["id"]
        deadline = time.monotonic() + 30
        while client.get(f"/v1/plans/{plan_id}").json()["job"]["status"] != "running":
            assert time.monotonic() < deadline
            time.sleep(0.05)
        engine = session_factory(settings).kw["bind"]

        def full(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            # SQLite's own "database or disk is full": no page beyond those the file has.
            pages = dbapi_conn.execute("PRAGMA page_count").fetchone()[0]
            dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

        event.listen(engine, "connect", full)
        engine.dispose()
        time.sleep(8)  # the draft finishes meanwhile and cannot be saved, nor can its failure
        event.remove(engine, "connect", full)
        engine.dispose()
        deadline = time.monotonic() + 10  # recorded within seconds of the database taking writes again
        while client.get(f"/v1/plans/{plan_id}").json()["status"] == "drafting":
            assert time.monotonic() < deadline, "the job never ended"
            time.sleep(0.2)

        plan = client.get(f"/v1/plans/{plan_id}").json()
        assert plan["status"] == "failed" and plan["job"]["status"] == "failed"
        assert plan["job"]["error"]["code"] == "store_unavailable"
        events = parse_sse(client.get(f"/v1/plans/{plan_id}/events").iter_lines())
        assert events[-1][0] == "error" and events[-1][1]["error"]["code"] == "store_unavailable"
        assert "drafting failed" in client.get(f"/v1/plans/{plan_id}/export").json()["error"]["message"]

        fake_openai.delay = 0
        assert client.post(f"/v1/plans/{plan_id}/retry").status_code == 202
        assert parse_sse(client.get(f"/v1/plans/{plan_id}/events").iter_lines())[-1][0] == "done"
    dispose_all()


@pytest.fixture(autouse=True)
def _no_engines_left() -> None:
    dispose_all()
