"""Fixtures shared by every test package.

Each test runs with its own data directory and no model key, so nothing a developer has
configured or stored leaks in, and nothing a test writes survives it.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.fakes import FakeChatModel, FakeOpenAIServer


@pytest.fixture(autouse=True)
def cehua_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """Point CEHUA_HOME at a fresh tmp dir and clear model and platform settings."""
    home = tmp_path / "cehua-home"
    monkeypatch.setenv("CEHUA_HOME", str(home))
    for name in ("OPENAI_API_KEY", "OPENAI_BASE_URL", "CEHUA_OPENAI_API_KEY", "CEHUA_OPENAI_BASE_URL",
                 "CEHUA_DATABASE_URL", "CEHUA_CHROMA_URL", "CEHUA_MODEL", "OPENAI_MODEL",
                 "CEHUA_EMBEDDING_MODEL"):
        monkeypatch.delenv(name, raising=False)
    from core.settings import get_settings

    get_settings.cache_clear()
    yield home
    get_settings.cache_clear()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAIServer]:
    """A scripted OpenAI-compatible server on loopback; point Cehua at it with ``fake_openai.env``.

    The embedding client remembers a failing endpoint process-wide, keyed by its URL; a new server can
    get the port an earlier test's failing one had, so each test starts with that memory empty."""
    from knowledge.embed import OpenAIEmbedder

    with OpenAIEmbedder._failed_lock:
        OpenAIEmbedder._failed_at.clear()
    with FakeOpenAIServer() as server:
        yield server


@pytest.fixture
def fake_model() -> FakeChatModel:
    """An in-process chat model with queued replies and a history of what it was asked."""
    return FakeChatModel()
