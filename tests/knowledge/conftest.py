"""Knowledge-base fixtures: the bundled index is built once per session and copied for tests that write."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from core.settings import Settings
from knowledge.base import KnowledgeBase

GUIDE_A = "# 主播手册\n\n## 一、主播话术\n\n主播话术要突出限时福利,用倒计时制造紧迫感,并及时回答弹幕提问。\n"
GUIDE_B = "# 社群手册\n\n## 一、社群运营\n\n社群运营要定期发布福利和话题,保持群活跃,及时处理投诉。\n"


def two_guide_home(home: Path) -> Path:
    """A knowledge base in ``home`` of two small guides, ``guide_a`` and ``guide_b`` (fast to change,
    for tests that kill a writer many times); ``home/docs.json`` lists their ids."""
    import hashlib
    import json

    from knowledge.ingest import store_document
    from knowledge.storage import KbPaths

    paths = KbPaths(home)
    paths.ensure()
    for doc_id, text in (("guide_a", GUIDE_A), ("guide_b", GUIDE_B)):
        store_document(paths, doc_id, f"{doc_id}.md", hashlib.sha256(text.encode()).hexdigest(), text)
    kb = KnowledgeBase(offline_settings(home))
    kb.rebuild()
    (home / "docs.json").write_text(json.dumps([d.doc_id for d in kb.list()]), encoding="utf-8")
    return home


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
