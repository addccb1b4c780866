"""Several API processes share one state database: a job started on one is followed on another,
and rate counters are shared. Started as real processes: ``cehua serve --workers 2`` (uvicorn's
multi-process mode) and a separate ``uvicorn --factory``, all on one SQLite file."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from assistant.store.db import dispose_all, session_scope
from assistant.store.keys import create_key
from core.settings import Settings
from tests.api.test_api_search_chat import parse_sse
from tests.processes import ServerProcess, free_port


def wait_for_fresh_minute() -> None:
    """Rate windows are calendar minutes: start a burst well inside one so it cannot straddle two."""
    if 60 - time.time() % 60 < 5:
        time.sleep(60 - time.time() % 60 + 0.1)


@pytest.fixture(scope="module")
def two_servers(kb_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[ServerProcess, ServerProcess, Settings]]:
    """Two API processes on one database, shared by this module's tests (the key-less test runs first)."""
    tmp_path = tmp_path_factory.mktemp("workers")
    settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'shared.db'}")
    env = {**os.environ, "CEHUA_HOME": str(kb_home), "CEHUA_DATABASE_URL": settings.state_url}
    port_a, port_b = free_port(), free_port()
    bin_dir = Path(sys.executable).parent
    a = ServerProcess([str(bin_dir / "cehua"), "serve", "--port", str(port_a), "--workers", "2",
                 "--log-level", "warning"], env, port_a, tmp_path / "a.log")
    b = ServerProcess([sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app", "--host", "127.0.0.1",
                 "--port", str(port_b), "--log-level", "warning"], env, port_b, tmp_path / "b.log")
    try:
        a.wait_for()
        b.wait_for()
        yield a, b, settings
    finally:
        a.stop()
        b.stop()
        dispose_all()


def test_a_job_started_on_one_worker_is_followed_on_another(two_servers) -> None:
    a, b, _ = two_servers
    created = httpx.post(f"{a.url}/v1/plans", timeout=30, json={
        "brief": {"title": "国庆出游季", "budget": 500000, "start": "2026-10-01", "end": "2026-10-07"}})
    assert created.status_code == 202
    plan_id = created.json()["id"]
    with httpx.stream("GET", f"{b.url}/v1/plans/{plan_id}/events", timeout=60) as response:
        events = parse_sse(response.iter_lines())
    assert events[0][0] == "started" and events[-1][0] == "done"
    assert events[-1][1]["ok"] is True
    on_b = httpx.get(f"{b.url}/v1/plans/{plan_id}", timeout=10).json()
    on_a = httpx.get(f"{a.url}/v1/plans/{plan_id}", timeout=10).json()
    assert on_b["status"] == "ready" and on_b["current"]["version"] == 1
    assert on_a["current"]["markdown"] == on_b["current"]["markdown"]
    edited = httpx.put(f"{b.url}/v1/plans/{plan_id}/sections/background", timeout=30,
                       json={"body": "国庆七天长假,家庭出游需求集中释放。"})
    assert edited.status_code == 200
    versions = httpx.get(f"{a.url}/v1/plans/{plan_id}/versions", timeout=10).json()["versions"]
    assert [v["version"] for v in versions] == [1, 2]


def test_rate_limits_and_keys_are_shared_between_workers(two_servers) -> None:
    a, b, settings = two_servers
    with session_scope(settings) as session:
        key = create_key(session, "shared", rate_limit=3).key
    headers = {"Authorization": f"Bearer {key}"}
    wait_for_fresh_minute()
    assert httpx.get(f"{a.url}/v1/models", timeout=10).status_code == 401  # both see the new key at once
    assert httpx.get(f"{b.url}/v1/models", timeout=10).status_code == 401
    statuses = [httpx.get(f"{url}/v1/models", headers=headers, timeout=10).status_code
                for url in (a.url, b.url, a.url, b.url)]
    assert statuses == [200, 200, 200, 429]
