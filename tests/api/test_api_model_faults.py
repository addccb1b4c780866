"""A hung or trickling model over real HTTP: answers end within the model deadline, streams send
headers, a first event and keep-alive comments at once, and the other routes stay fast meanwhile.

The worker here has 10 request threads (AnyIO's default is 40) and 4 model threads, so a dozen
slow chats reproduce at small scale what 45 did to a default worker: every thread held by a chat
and ``/v1/search``, ``/readyz`` and ``/v1/models`` waiting behind them.
"""

from __future__ import annotations

import statistics
import threading
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx
import pytest
from fastapi import FastAPI

from api.main import create_app
from assistant.store.db import dispose_all
from core.settings import Settings
from tests.api.conftest import LiveServer
from tests.api.test_api_search_chat import parse_sse
from tests.fakes import FakeOpenAIServer

REQUEST_THREADS = 10
FIRST_TOKEN, DEADLINE = 1.0, 3.0


def _small_worker(app: FastAPI) -> FastAPI:
    """``app`` with a default thread pool of REQUEST_THREADS instead of 40."""
    original = app.router.lifespan_context

    @asynccontextmanager
    async def lifespan(a: FastAPI) -> AsyncIterator[Any]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = REQUEST_THREADS
        async with original(a) as state:
            yield state

    app.router.lifespan_context = lifespan
    return app


@pytest.fixture
def slow_model_server(kb_home: Path, tmp_path: Path, fake_openai: FakeOpenAIServer) -> Iterator[LiveServer]:
    settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}",
                        openai_api_key=fake_openai.api_key, openai_base_url=fake_openai.base_url,
                        model_timeout=5, model_first_token_timeout=FIRST_TOKEN, model_deadline=DEADLINE,
                        model_concurrency=4, sse_keepalive_seconds=0.3)
    with LiveServer(_small_worker(create_app(settings))) as server:
        deadline = time.monotonic() + 120
        while httpx.get(f"{server.url}/readyz", timeout=10).status_code != 200:  # index loaded
            assert time.monotonic() < deadline, "the server did not become ready"
            time.sleep(0.2)
        yield server
    dispose_all()


class Chat(threading.Thread):
    """One streamed chat, timing its headers, its first event, its keep-alives and its end."""

    def __init__(self, url: str, question: str) -> None:
        super().__init__(daemon=True)
        self.url, self.question = url, question
        self.headers_after = self.first_event_after = self.total = float("inf")
        self.comments = 0
        self.events: list[tuple[str, dict]] = []
        self.client = httpx.Client(timeout=60)  # made here: building its SSL context is not the server's time

    def run(self) -> None:
        start = time.monotonic()
        with self.client, self.client.stream("POST", f"{self.url}/v1/chat",
                                             json={"question": self.question, "stream": True}) as response:
            self.headers_after = time.monotonic() - start
            lines: list[str] = []
            for line in response.iter_lines():
                if line.startswith(":"):
                    self.comments += 1
                elif line.startswith("data:") and self.first_event_after == float("inf"):
                    self.first_event_after = time.monotonic() - start
                lines.append(line)
        self.total = time.monotonic() - start
        self.events = parse_sse(iter(lines))


def _timed(client: httpx.Client, method: str, path: str, **kwargs: Any) -> tuple[float, httpx.Response]:
    start = time.monotonic()
    response = client.request(method, path, **kwargs)
    return time.monotonic() - start, response


def test_a_hung_model_cannot_take_the_worker_down(slow_model_server: LiveServer,
                                                  fake_openai: FakeOpenAIServer) -> None:
    fake_openai.delay = 600  # the model accepts every request and never answers
    with httpx.Client(base_url=slow_model_server.url, timeout=30) as client:
        # Each route once before the model hangs: a route's first call builds its state (FastAPI does that
        # lazily), which is start-up cost, not what a hung model does to the worker.
        client.post("/v1/search", json={"query": "预算怎么分配", "k": 3})
        client.get("/v1/models")
        client.get("/readyz")
    chats = [Chat(slow_model_server.url, "促销活动的预算应该怎么分配?") for _ in range(12)]
    for chat in chats:
        chat.start()
    time.sleep(1.5)  # every model thread and (before the fix) every request thread is now waiting

    timings: dict[str, list[float]] = {"search": [], "models": [], "readyz": []}
    with httpx.Client(base_url=slow_model_server.url, timeout=30) as client:
        for _ in range(5):
            took, search = _timed(client, "POST", "/v1/search", json={"query": "预算怎么分配", "k": 3})
            assert search.status_code == 200
            timings["search"].append(took)
            took, models = _timed(client, "GET", "/v1/models")
            assert models.status_code == 200
            timings["models"].append(took)
            took, ready = _timed(client, "GET", "/readyz")
            timings["readyz"].append(took)
    for route, took in timings.items():
        # Typically a few ms each; the 1 s ceiling leaves room for a machine shared with other work.
        assert statistics.median(took) < 0.1 and max(took) < 1.0, (route, took)
    assert ready.status_code == 503  # saturated: a load balancer should send traffic elsewhere
    assert ready.json()["checks"]["capacity"].startswith("saturated: all 4 model threads busy")

    for chat in chats:
        chat.join(timeout=60)
    for chat in chats:
        assert chat.headers_after < 1.0 and chat.first_event_after < 1.0, (chat.headers_after, chat.first_event_after)
        assert chat.events[0][0] == "started" and chat.events[-1][0] == "done"
        done = chat.events[-1][1]["answer"]
        assert done["offline"] is True and "根据指南原文" in done["answer"] or "指南" in done["answer"]
    # 12 chats on 4 model threads: three waves, each ended by the first-token deadline (3 tries of 1 s).
    assert max(chat.total for chat in chats) < 3 * DEADLINE + 3, [round(c.total, 1) for c in chats]
    assert sum(chat.comments for chat in chats) >= 12  # keep-alive comments while they waited


def test_a_trickling_model_is_cut_off_at_the_deadline(slow_model_server: LiveServer, fake_openai: FakeOpenAIServer,
                                                      caplog: pytest.LogCaptureFixture) -> None:
    fake_openai.trickle("预算要按阶段分配，预热期占两成，爆发期占五成，" * 20 + "[1]", every=0.4)
    chat = Chat(slow_model_server.url, "促销活动的预算应该怎么分配?")
    chat.run()
    assert chat.headers_after < 1.0
    assert chat.total < DEADLINE + 1.5, chat.total
    tokens = "".join(d["text"] for name, d in chat.events if name == "token")
    assert tokens.startswith("预算要按阶段分配")  # what came in time was shown
    assert "（模型回答中断" in tokens  # then the break, said plainly, and the guidebooks' own words
    assert chat.events[-1][1]["answer"]["offline"] is True
    assert any("did not finish its reply within 3s" in r.getMessage() for r in caplog.records)


def test_json_chat_and_openai_completions_are_bounded_too(slow_model_server: LiveServer,
                                                          fake_openai: FakeOpenAIServer) -> None:
    fake_openai.delay = 600
    with httpx.Client(base_url=slow_model_server.url, timeout=60) as client:
        took, response = _timed(client, "POST", "/v1/chat", json={"question": "促销活动的预算应该怎么分配?"})
        assert response.status_code == 200 and response.json()["offline"] is True
        assert took < DEADLINE + 2, took
        start = time.monotonic()
        with client.stream("POST", "/v1/chat/completions", json={
                "model": "cehua-chat", "stream": True,
                "messages": [{"role": "user", "content": "促销活动的预算应该怎么分配?"}]}) as stream:
            assert time.monotonic() - start < 1.0  # headers at once
            lines = list(stream.iter_lines())
        assert time.monotonic() - start < DEADLINE + 2
        assert lines[0].startswith("data: ") and '"role": "assistant"' in lines[0]
        assert "data: [DONE]" in lines
