"""Knowledge-base fixtures: the bundled index is built once per session and copied for tests that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.settings import Settings
from knowledge.base import KnowledgeBase


def offline_settings(home: Path) -> Settings:
    """Settings for a knowledge base in ``home`` with no model endpoint and embedded Chroma."""
    return Settings(home=home, openai_api_key=None, openai_base_url=None, embedding_model=None, chroma_url=None)


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the index of the bundled guidebooks (built once)."""
    home = tmp_path_factory.mktemp("bundled-kb")
    KnowledgeBase(offline_settings(home)).ensure_ready()
    return home


@pytest.fixture(scope="session")
def shared_kb(built_home: Path) -> KnowledgeBase:
    """A read-only knowledge base over the bundled guidebooks (tests must not write to it)."""
    kb = KnowledgeBase(offline_settings(built_home))
    kb.ensure_ready()
    return kb


@pytest.fixture
def kb_home(built_home: Path, tmp_path: Path) -> Path:
    """A private copy of the bundled index that a test may change."""
    home = tmp_path / "kb-copy"
    shutil.copytree(built_home, home)
    return home


@pytest.fixture
def kb(kb_home: Path) -> KnowledgeBase:
    """A writable knowledge base over a copy of the bundled index."""
    return KnowledgeBase(offline_settings(kb_home))
