"""Damaged index files, a failing embedding endpoint, a read-only or full data directory: each is
reported with a fix that works, never a traceback (issue 14)."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from core.errors import StoreError
from core.settings import Settings
from knowledge.base import KnowledgeBase
from knowledge.storage import KbPaths
from tests.fakes import FakeOpenAIServer
from tests.knowledge.conftest import offline_settings
from tests.paths import REPO_ROOT

QUESTION = "满减优惠怎么设置?"


def _first(paths: list[Path]) -> Path:
    assert paths, "nothing to damage"
    return sorted(paths)[0]


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _halve(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


# What search reads: each damaged file is reported and `cehua kb rebuild` recovers.
SEARCH_FILES: dict[str, Callable[[KbPaths], None]] = {
    "empty manifest.json": lambda p: _empty(p.manifest),
    "half a manifest.json": lambda p: _halve(p.manifest),
    "zero-length vectors.npy": lambda p: _empty(_first(list(p.segments.glob("*/vectors.npy")))),
    "zero-length components_t.npy": lambda p: _empty(_first(list(p.embedders.glob("*/components_t.npy")))),
    "empty vocab.json": lambda p: _empty(_first(list(p.segments.glob("*/vocab.json")))),
    "truncated postings": lambda p: _halve(_first(list(p.segments.glob("*/rows.npy")))),
    "empty chunk table": lambda p: _empty(_first(list(p.segments.glob("*/chunks.jsonl")))),
    "truncated chunk ids": lambda p: _halve(_first(list(p.segments.glob("*/ids.txt")))),
    "segment folder gone": lambda p: shutil.rmtree(_first(list(p.segments.iterdir()))),
}


@pytest.mark.parametrize("damage", SEARCH_FILES, ids=list(SEARCH_FILES))
def test_a_damaged_index_file_is_reported_and_rebuild_recovers(kb_home: Path, damage: str) -> None:
    docs = [d.doc_id for d in KnowledgeBase(offline_settings(kb_home)).list()]
    SEARCH_FILES[damage](KbPaths(kb_home))
    kb = KnowledgeBase(offline_settings(kb_home))
    with pytest.raises(StoreError, match="run `cehua kb rebuild`"):
        kb.search(QUESTION)
    assert [d.doc_id for d in kb.rebuild()] == docs
    assert kb.search(QUESTION).good_match
    assert [d.doc_id for d in KnowledgeBase(offline_settings(kb_home)).list()] == docs


# What only writers read (a document's own files): search carries on; the next writer that needs the
# file says so, and a rebuild re-derives everything from the stored sources.
DOC_FILES = ["chunks.json", "tokens.txt", "vectors-*.npy"]


@pytest.mark.parametrize("name", DOC_FILES)
def test_a_damaged_document_file_is_reported_by_the_writer_that_needs_it(kb_home: Path, name: str) -> None:
    kb = KnowledgeBase(offline_settings(kb_home))
    first, second = kb.list()[:2]
    _empty(_first(list((kb.paths.docs / first.storage).glob(name))))
    assert kb.search(QUESTION).good_match
    with pytest.raises(StoreError, match="run `cehua kb rebuild`") as caught:
        kb.remove(second.doc_id)  # rebuilds the segment the damaged document shares
    assert first.storage in caught.value.message
    kb.rebuild()
    assert kb.remove(second.doc_id).doc_id == second.doc_id
    assert kb.search(QUESTION).passages


def test_a_truncated_source_is_named_with_its_fix(kb_home: Path) -> None:
    kb = KnowledgeBase(offline_settings(kb_home))
    victim = kb.list()[1]
    _halve(kb.paths.docs / victim.storage / "source.txt")
    with pytest.raises(StoreError) as caught:
        kb.rebuild()
    assert f"document '{victim.doc_id}'" in caught.value.message
    assert f"cehua kb remove {victim.doc_id}" in caught.value.message
    assert kb.search(QUESTION).good_match  # the knowledge base is still the previous one
    kb.remove(victim.doc_id)
    assert victim.doc_id not in [d.doc_id for d in kb.rebuild()]
    assert kb.search(QUESTION).passages


def _cli(home: Path, *args: str, prefix: list[str] | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "CEHUA_HOME": str(home), "PYTHONPATH": str(REPO_ROOT)}
    for name in ("OPENAI_API_KEY", "CEHUA_EMBEDDING_MODEL", "CEHUA_CHROMA_URL"):
        env.pop(name, None)
    command = [sys.executable, "-c", "from assistant.cli import main; main()", *args]
    return subprocess.run([*(prefix or []), *command], env=env, capture_output=True, text=True, cwd=REPO_ROOT,
                          timeout=600)


def test_cli_reports_an_empty_manifest_in_one_line_and_rebuild_fixes_it(kb_home: Path) -> None:
    _empty(KbPaths(kb_home).manifest)
    failed = _cli(kb_home, "search", QUESTION)
    assert failed.returncode == 8
    assert "Traceback" not in failed.stderr
    assert failed.stderr.strip().startswith("error: ")
    assert "manifest.json is damaged (empty); run `cehua kb rebuild`" in failed.stderr
    assert len(failed.stderr.strip().splitlines()) == 1
    rebuilt = _cli(kb_home, "kb", "rebuild")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert "rebuilt 5 documents" in rebuilt.stdout
    assert _cli(kb_home, "search", "-k", "1", QUESTION).returncode == 0


# ----- a failing embedding endpoint -------------------------------------------------------------

def _remote(home: Path, server: FakeOpenAIServer) -> KnowledgeBase:
    return KnowledgeBase(Settings(home=home, openai_api_key=server.api_key, openai_base_url=server.base_url,
                                  embedding_model="fake-embedding", model_max_retries=2, model_timeout=60,
                                  chroma_url=None))


FAULTS: dict[str, Callable[[FakeOpenAIServer], object]] = {
    "500": lambda s: s.fail(500, endpoint="embeddings"),
    "429": lambda s: s.fail(429, retry_after=30, endpoint="embeddings"),
    "malformed": lambda s: s.malformed(endpoint="embeddings"),
    "hang": lambda s: s.hang(30, endpoint="embeddings"),
}


@pytest.mark.parametrize("fault", FAULTS)
def test_a_failing_embedding_endpoint_degrades_to_word_search_in_bounded_time(
    tmp_path: Path, fake_openai: FakeOpenAIServer, fault: str
) -> None:
    from knowledge.embed import QUERY_EMBED_TIMEOUT

    kb = _remote(tmp_path / "home", fake_openai)
    healthy = kb.search(QUESTION)
    assert healthy.good_match and healthy.warnings == []
    for _ in range(3):
        FAULTS[fault](fake_openai)
    start = time.monotonic()
    degraded = kb.search("满减门槛应该怎么定?")  # a question not asked before (vectors of asked ones are kept)
    assert time.monotonic() - start < QUERY_EMBED_TIMEOUT + 2
    assert any("满减" in p.text for p in degraded.passages)
    assert degraded.warnings and "word search only" in degraded.warnings[0]
    asked = len(fake_openai.requests)
    start = time.monotonic()
    again = kb.search("会员促销有哪些优惠形式?")  # the endpoint is left alone for a while: no wait at all
    assert len(fake_openai.requests) == asked, "a failing endpoint must not be asked again right away"
    assert time.monotonic() - start < QUERY_EMBED_TIMEOUT  # certainly not another embedding wait
    assert again.passages and again.warnings


# ----- a read-only or full data directory --------------------------------------------------------

def _namespaces_work() -> bool:
    if shutil.which("unshare") is None:
        return False
    return subprocess.run(["unshare", "-rm", "true"], capture_output=True).returncode == 0


needs_mounts = pytest.mark.skipif(not _namespaces_work(), reason="needs `unshare -rm` (user and mount namespaces)")


def _tree_digest(root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(root.rglob("*")):
        if path.is_file() and "chroma" not in path.parts and path.name != "write.lock":
            digest.update(str(path.relative_to(root)).encode() + path.read_bytes())
    return digest.hexdigest()


@needs_mounts
def test_a_read_only_data_directory_is_one_clear_line_and_changes_nothing(kb_home: Path, tmp_path: Path) -> None:
    guide = tmp_path / "guide.md"
    guide.write_text("# 直播指南\n\n## 选品\n\n直播选品要看毛利率和话题性。\n", encoding="utf-8")
    before = _tree_digest(kb_home)
    ro = ["unshare", "-rm", "sh", "-c", f"mount --bind {kb_home} {kb_home} && "
          f"mount -o remount,ro,bind {kb_home} {kb_home} && exec \"$@\"", "sh"]
    added = _cli(kb_home, "kb", "add", str(guide), prefix=ro)
    assert added.returncode == 8, added.stderr
    assert "Traceback" not in added.stderr and len(added.stderr.strip().splitlines()) == 1
    assert "read-only" in added.stderr and str(kb_home) in added.stderr and "CEHUA_HOME" in added.stderr
    assert _tree_digest(kb_home) == before
    empty = tmp_path / "empty-home"
    empty.mkdir()
    ro_empty = ["unshare", "-rm", "sh", "-c", f"mount --bind {empty} {empty} && "
                f"mount -o remount,ro,bind {empty} {empty} && exec \"$@\"", "sh"]
    searched = _cli(empty, "search", QUESTION, prefix=ro_empty)
    assert searched.returncode == 8, searched.stderr
    assert "Traceback" not in searched.stderr and len(searched.stderr.strip().splitlines()) == 1
    assert "read-only" in searched.stderr and str(empty) in searched.stderr
    assert list(empty.iterdir()) == []


@needs_mounts
def test_a_full_data_directory_is_one_clear_line_and_leaves_nothing_partial(tmp_path: Path) -> None:
    home = tmp_path / "small-disk"
    home.mkdir()
    script = (
        f"mount -t tmpfs -o size=600k tmpfs {home} && \"$@\"; echo \"exit=$?\"; "
        f"find {home} -name '.tmp-*' | sed 's/^/left: /'; "
        f"for d in docs segments embedders; do ls -A {home}/kb/$d 2>/dev/null | sed \"s/^/kept $d: /\"; done"
    )
    done = _cli(home, "search", QUESTION, prefix=["unshare", "-rm", "sh", "-c", script, "sh"])
    assert "exit=8" in done.stdout, done.stdout + done.stderr
    assert "Traceback" not in done.stderr and len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "disk is full" in done.stderr and str(home) in done.stderr
    assert "left: " not in done.stdout
    assert [line for line in done.stdout.splitlines() if line.startswith("kept ")] == []
