"""Fixtures for API tests: the bundled index built once per session, a fresh state database per
test, the app over TestClient, the same app on a real uvicorn on loopback, and key helpers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.main import create_app
from assistant.store.db import dispose_all, session_scope
from assistant.store.keys import create_key
from core.settings import Settings
from tests.api.test_integrations_fakes import FakePlatform


@pytest.fixture(scope="session")
def kb_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory with the bundled guidebooks indexed (built once; tests must not change it)."""
    from knowledge import open_knowledge_base

    home = tmp_path_factory.mktemp("kb-home")
    open_knowledge_base(Settings(home=home)).ensure_ready()
    return home


@pytest.fixture
def api_settings(kb_home: Path, tmp_path: Path) -> Iterator[Settings]:
    """Settings reading the shared index and writing state to this test's own SQLite file."""
    yield Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}")
    dispose_all()


@pytest.fixture
def app(api_settings: Settings) -> FastAPI:
    return create_app(api_settings)


@pytest.fixture
def client(app: FastAPI) -> Iterator[TestClient]:
    with TestClient(app) as c:
        yield c


MakeKey = Callable[..., str]


@pytest.fixture
def make_key(api_settings: Settings) -> MakeKey:
    """Create a key in the test's database and return its secret: ``make_key("n", kind="widget", ...)``."""

    def make(name: str = "test", **options: object) -> str:
        with session_scope(api_settings) as session:
            return create_key(session, name, **options).key  # type: ignore[arg-type]

    return make


class LiveServer:
    """The app served by a real uvicorn on a loopback port, in a thread of the test process."""

    def __init__(self, app: FastAPI) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> LiveServer:
        self.thread.start()
        deadline = time.monotonic() + 20
        while not self.server.started:
            if time.monotonic() > deadline or not self.thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            time.sleep(0.02)
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=10)
        self.sock.close()


@pytest.fixture
def live_server(app: FastAPI) -> Iterator[LiveServer]:
    with LiveServer(app) as server:
        yield server


@pytest.fixture
def platform() -> Iterator[FakePlatform]:
    """The fake chat platform (Slack, Feishu, DingTalk and WeCom APIs) on loopback for one test."""
    with FakePlatform() as fake:
        yield fake
