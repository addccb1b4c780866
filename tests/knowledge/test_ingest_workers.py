"""A bulk add reads its files in worker processes: the same documents as reading them here, and a bad
file still changes nothing (issue 15)."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import DocumentError
from knowledge import build, ingest_workers
from knowledge.base import KnowledgeBase
from knowledge.storage import TMP_PREFIX
from tests.knowledge.conftest import offline_settings

GUIDE = "# {name}手册\n\n## 一、{name}预热\n\n{name}活动提前一周在社群预热,发放{n}元无门槛券,直播间同步抽奖。\n"


def _guides(folder: Path, count: int) -> list[Path]:
    folder.mkdir()
    files = []
    for i, name in enumerate(["青禾", "朗月", "沐川", "星澜", "云栖", "晴川"][:count]):
        path = folder / f"guide_{i}.md"
        path.write_text(GUIDE.format(name=name, n=10 + i), encoding="utf-8")
        files.append(path)
    return files


def _streams(kb: KnowledgeBase) -> dict[str, tuple[str, str]]:
    return {d.doc_id: ((kb.paths.docs / d.storage / "tokens.txt").read_text(encoding="utf-8"),
                       (kb.paths.docs / d.storage / "chunks.json").read_text(encoding="utf-8"))
            for d in kb.list()}


def test_files_read_by_workers_give_the_documents_read_here(
    kb_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = _guides(tmp_path / "guides", 6)
    here = KnowledgeBase(offline_settings(kb_home))
    here.add(files)
    by_workers = KnowledgeBase(offline_settings(tmp_path / "workers"))
    by_workers.add(files[:2])
    monkeypatch.setattr(ingest_workers, "PARALLEL_FILES", 2)
    monkeypatch.setattr(ingest_workers, "WORKERS", 2)
    added = by_workers.add(files)  # the first two are known by their content
    assert [d.doc_id for d in added] == [d.doc_id for d in here.list()[-6:]]
    assert [d.storage for d in added[:2]] == [d.storage for d in by_workers.list()[-6:-4]]
    assert _streams(by_workers) == _streams(here)
    assert by_workers.search("星澜活动提前多久预热?").passages[0].doc == "guide_3"


def test_a_bad_file_among_many_changes_nothing(kb_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    files = _guides(tmp_path / "guides", 6)
    bad = tmp_path / "guides" / "slides.pptx"
    bad.write_bytes(b"not a guide")
    monkeypatch.setattr(ingest_workers, "PARALLEL_FILES", 2)
    monkeypatch.setattr(ingest_workers, "WORKERS", 2)
    kb = KnowledgeBase(offline_settings(kb_home))
    before = sorted(p.name for p in kb.paths.docs.iterdir())
    with pytest.raises(DocumentError, match="slides.pptx"):
        kb.add([*files[:3], bad, *files[3:]])
    assert sorted(p.name for p in kb.paths.docs.iterdir()) == before
    assert not list(kb.paths.root.rglob(f"{TMP_PREFIX}*"))
    assert [d.doc_id for d in kb.list()] == [d.doc_id for d in KnowledgeBase(offline_settings(kb_home)).list()]


def test_a_rebuild_chunks_again_in_workers_and_keeps_the_documents(
    kb_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    kb = KnowledgeBase(offline_settings(kb_home))
    kb.add(_guides(tmp_path / "guides", 6))
    before = kb.list()
    kb.rebuild()
    here = _streams(kb)
    monkeypatch.setattr(ingest_workers, "PARALLEL_FILES", 2)
    monkeypatch.setattr(ingest_workers, "WORKERS", 2)
    handed: list[int] = []

    def recording(paths, files, known, *args):  # type: ignore[no-untyped-def]
        handed.append(len(files))
        return ingest_workers.read_files(paths, files, known, *args)

    monkeypatch.setattr(build, "read_files", recording)
    rebuilt = kb.rebuild()
    assert handed == [len(before)]  # every document went to the workers
    assert [(d.doc_id, d.sha256, d.added_at, d.chunks) for d in rebuilt] == \
        [(d.doc_id, d.sha256, d.added_at, d.chunks) for d in before]
    assert _streams(kb) == here
    assert kb.search("星澜活动提前多久预热?").passages[0].doc == "guide_3"
