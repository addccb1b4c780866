"""With an OpenAI-compatible embedding endpoint configured, the dense half of search uses it."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import ModelError
from core.settings import Settings
from knowledge.base import KnowledgeBase
from knowledge.storage import read_manifest
from tests.fakes import FakeOpenAIServer


def _settings(home: Path, server: FakeOpenAIServer) -> Settings:
    return Settings(
        home=home, openai_api_key=server.api_key, openai_base_url=server.base_url,
        embedding_model="fake-embedding", model_max_retries=0, chroma_url=None,
    )


def test_index_and_queries_use_the_endpoint(tmp_path: Path, fake_openai: FakeOpenAIServer) -> None:
    kb = KnowledgeBase(_settings(tmp_path / "home", fake_openai))
    result = kb.search("满减优惠怎么设置?", k=3)
    assert result.good_match
    assert any("满减" in p.text for p in result.passages)
    manifest = read_manifest(kb.paths)
    assert manifest is not None and manifest.embedder.startswith("oa-")
    embedding_calls = [r for r in fake_openai.requests if r.path.endswith("/embeddings")]
    assert len(embedding_calls) >= 2  # the corpus at index time, then the question
    assert embedding_calls[-1].body["input"] == ["满减优惠怎么设置"]  # the asking clause, embedded once
    assert embedding_calls[-1].body["model"] == "fake-embedding"


def test_endpoint_failure_is_a_model_error_and_changes_nothing(
    tmp_path: Path, fake_openai: FakeOpenAIServer
) -> None:
    fake_openai.fail(500, endpoint="embeddings")
    kb = KnowledgeBase(_settings(tmp_path / "home", fake_openai))
    with pytest.raises(ModelError, match="embedding model 'fake-embedding' failed"):
        kb.ensure_ready()
    assert read_manifest(kb.paths) is None
    assert kb.search("满减优惠怎么设置?", k=3).good_match  # the next attempt succeeds
