"""PostgreSQL stopped (``pg_ctl stop -m immediate``) while a real server is busy: every answer of
/v1/search, /v1/chat (JSON and SSE), /v1/plans and uploads is a success or 503 ``store_unavailable``
(never a 500, never a traceback in the log), the log stays a few lines, and once the database is
started again every route works again without restarting the server (issue 14)."""

from __future__ import annotations

import itertools
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.postgres import StoppablePostgres, server_binaries
from tests.processes import ServerProcess, free_port

pytestmark = pytest.mark.postgres

GUIDE = "# 快闪店手册\n\n## 一、选址\n\n快闪店选址要看人流、租期和周边客群,开业前两周完成报备。\n"


@pytest.fixture
def postgres() -> Iterator[StoppablePostgres]:
    binaries = server_binaries()
    if binaries is None:
        pytest.skip("PostgreSQL server binaries are not installed (apt-get install postgresql)")
    server = StoppablePostgres(binaries)
    try:
        yield server
    finally:
        server.close()


@dataclass
class Answer:
    phase: str
    route: str
    status: int
    code: str
    text: str


def _sse_outcome(response: httpx.Response) -> tuple[int, str, str]:
    """An SSE chat as (status, error code or '', text): an ``error`` event counts as its code."""
    body = "".join(response.iter_text())
    if response.status_code != 200:
        return response.status_code, _code(body), body
    if "event: error" in body:
        data = body.split("event: error", 1)[1]
        return 200, "store_unavailable" if "store_unavailable" in data else "error-event", body
    return 200, "", body


def _code(text: str) -> str:
    import json

    try:
        return str(json.loads(text)["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return ""


def _requests(client: httpx.Client, plans: list[str]) -> dict[str, Callable[[], tuple[int, str, str]]]:
    def plain(response: httpx.Response) -> tuple[int, str, str]:
        return response.status_code, _code(response.text) if response.status_code >= 400 else "", response.text

    def create_plan() -> tuple[int, str, str]:
        response = client.post("/v1/plans", json={"request": "中秋月饼促销方案，预算30万，9月10日到9月25日"})
        if response.status_code == 202:
            plans.append(response.json()["id"])
        return plain(response)

    def read_plan() -> tuple[int, str, str]:
        return plain(client.get(f"/v1/plans/{plans[-1]}")) if plans else (200, "", "")

    def sse_chat() -> tuple[int, str, str]:
        with client.stream("POST", "/v1/chat", json={"question": "预算怎么分配?", "stream": True}) as response:
            return _sse_outcome(response)

    return {
        "search": lambda: plain(client.post("/v1/search", json={"query": "预算怎么分配", "k": 3})),
        "chat": lambda: plain(client.post("/v1/chat", json={"question": "活动预热要提前多久?"})),
        "chat-sse": sse_chat,
        "plans": create_plan,
        "plan": read_plan,
        "upload": lambda: plain(client.post("/v1/kb/documents", files=[
            ("files", ("快闪店手册.md", GUIDE.encode("utf-8"), "text/markdown"))])),
    }


def test_postgresql_stopped_mid_traffic_gives_503_then_recovers(
    postgres: StoppablePostgres, kb_home: Path, tmp_path: Path
) -> None:
    home = tmp_path / "home"
    shutil.copytree(kb_home, home)  # uploads change it
    port = free_port()
    env = {**os.environ, "CEHUA_HOME": str(home), "CEHUA_DATABASE_URL": postgres.url}
    log = tmp_path / "server.log"
    server = ServerProcess([sys.executable, "-m", "uvicorn", "--factory", "api.main:create_app",
                            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"], env, port, log)
    answers: list[Answer] = []
    phase = ["up"]
    stop = threading.Event()
    plans: list[str] = []

    def traffic(routes: list[str]) -> None:
        with httpx.Client(base_url=server.url, timeout=60) as client:
            calls = _requests(client, plans)
            for route in itertools.cycle(routes):
                if stop.is_set():
                    return
                now = phase[0]
                try:
                    status, code, text = calls[route]()
                except httpx.HTTPError as exc:
                    status, code, text = 0, exc.__class__.__name__, str(exc)
                answers.append(Answer(now, route, status, code, text[:300]))

    try:
        server.wait_for(timeout=120)
        workers = [threading.Thread(target=traffic, args=(routes,), daemon=True) for routes in (
            ["search", "chat"], ["plans", "plan", "chat-sse"], ["upload", "search"], ["chat", "plans"])]
        for worker in workers:
            worker.start()
        time.sleep(4)
        phase[0] = "stopping"
        postgres.stop()
        phase[0] = "down"
        time.sleep(8)
        phase[0] = "starting"
        postgres.start()
        phase[0] = "back"
        deadline = time.monotonic() + 60
        recovered: set[str] = set()
        while time.monotonic() < deadline and recovered != {"search", "chat", "chat-sse", "plans", "plan", "upload"}:
            time.sleep(0.5)
            recovered = {a.route for a in answers[-200:] if a.phase == "back" and 200 <= a.status < 300
                         and not a.code}
        stop.set()
        for worker in workers:
            worker.join(timeout=90)
    finally:
        stop.set()
        server.stop()

    bad = [a for a in answers if not (200 <= a.status < 300 and not a.code)
           and not (a.status in (200, 503) and a.code == "store_unavailable")]
    assert not bad, [(a.phase, a.route, a.status, a.code, a.text) for a in bad[:10]]
    down = [a for a in answers if a.phase == "down"]
    assert any(a.code == "store_unavailable" for a in down), "nothing noticed the stopped database"
    assert recovered == {"search", "chat", "chat-sse", "plans", "plan", "upload"}, \
        f"routes that did not recover within 60 s of the restart: {sorted({'search', 'chat', 'chat-sse', 'plans', 'plan', 'upload'} - recovered)}"
    logged = log.read_text(encoding="utf-8", errors="replace")
    assert "Traceback" not in logged, logged[-4000:]
    failing = sum(1 for a in answers if a.code == "store_unavailable")
    lines = [line for line in logged.splitlines() if line.strip()]
    assert len(lines) <= 40, f"{len(lines)} log lines for {failing} failed requests:\n" + "\n".join(lines[:60])
