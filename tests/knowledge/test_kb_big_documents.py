"""Big documents (issue 15): chunks stream to disk, and while a big add works, searches and another add
go on (the write lock is held only for the swap)."""

from __future__ import annotations

import json
import random
import threading
from pathlib import Path

import pytest

from knowledge import storage
from knowledge.base import KnowledgeBase
from knowledge.chunk import chunk_source
from knowledge.segments import iter_doc_chunks
from tests.knowledge.conftest import offline_settings

SMALL = "# 快闪店指南\n\n## 一、快闪店报备\n\n快闪店开业前三天要向商场物业报备消防通道和临时用电方案。\n"
QUESTION = "满减优惠怎么设置?"
# Common characters the bundled guidebooks hardly use: text made of them is new vocabulary.
_NEW_CHARS = "鹰熊鲸豹狮虎狼狐鹿鹤鸽鸥雁燕鹦鹉蝶蜂蚁蛙龟蛇鳄鲨鳗鲤鲫鳟虾蟹蚌螺藻苔蕨菌葵桔橘柚榴莓杏李桃梨枣柿栗核榛"


def _big_guide(path: Path, sections: int, new_vocabulary: bool) -> Path:
    """A guide of ``sections`` numbered sections: guidebook-like text, or text in new vocabulary."""
    rng = random.Random(7)
    lines = ["# 超大运营手册", ""]
    for n in range(1, sections + 1):
        if new_vocabulary:
            body = "。".join("".join(rng.choice(_NEW_CHARS) for _ in range(12)) for _ in range(30)) + "。"
        else:
            body = f"第{n}期活动的预热要提前两周开始,满减门槛按客单价的1.2倍设置,赠品选择复购率高的小样。" * 8
        lines += [f"## {n}. 第{n}期活动", "", body, ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_a_documents_chunks_are_streamed_to_disk_and_read_back_as_cut(kb: KnowledgeBase, tmp_path: Path) -> None:
    path = _big_guide(tmp_path / "manual.md", 120, new_vocabulary=False)
    info = kb.add([path])[0]
    folder = kb.paths.docs / info.storage
    expected = chunk_source("manual", path.read_text(encoding="utf-8"), info.sha256, fallback_title="manual")
    assert [c.model_dump() for c in iter_doc_chunks(folder)] == [c.model_dump() for c in expected.chunks]
    whole = json.loads((folder / "chunks.json").read_text(encoding="utf-8"))  # still one JSON object
    assert len(whole["chunks"]) == info.chunks == len(expected.chunks) > 100
    assert whole["sections"] == expected.sections
    assert len((folder / "tokens.txt").read_text(encoding="utf-8").splitlines()) == info.chunks


@pytest.mark.parametrize("new_vocabulary", [False, True], ids=["embedding reused", "embedding fitted again"])
def test_searches_and_another_add_go_on_while_a_big_add_works(
    kb_home: Path, tmp_path: Path, new_vocabulary: bool
) -> None:
    big = _big_guide(tmp_path / "manual.md", 700 if new_vocabulary else 120, new_vocabulary)
    small = tmp_path / "pop_up.md"
    small.write_text(SMALL, encoding="utf-8")
    embedder_before = storage.read_manifest(storage.KbPaths(kb_home)).embedder  # type: ignore[union-attr]
    paused, resume = threading.Event(), threading.Event()
    big_thread: threading.Thread

    def pause_the_big_add(step: str) -> None:
        if threading.current_thread() is big_thread and step == "vectors stored" and not paused.is_set():
            paused.set()
            resume.wait(120)

    failures: list[BaseException] = []

    def add_big() -> None:
        try:
            KnowledgeBase(offline_settings(kb_home)).add([big])
        except BaseException as exc:  # reported by the assertion below
            failures.append(exc)
            paused.set()

    storage.CHECKPOINT_HOOKS.append(pause_the_big_add)
    try:
        big_thread = threading.Thread(target=add_big)
        big_thread.start()
        assert paused.wait(300), "the big add never reached its embedding"
        assert not failures, failures
        other = KnowledgeBase(offline_settings(kb_home))
        assert other.search(QUESTION).good_match  # reads go on
        small_thread = threading.Thread(target=other.add, args=([small],))
        small_thread.start()
        small_thread.join(120)
        finished_meanwhile = not small_thread.is_alive()
        resume.set()
        small_thread.join()
        big_thread.join(300)
    finally:
        resume.set()
        storage.CHECKPOINT_HOOKS.remove(pause_the_big_add)
    assert finished_meanwhile, "the small add waited for the big one"
    assert not failures, failures
    fresh = KnowledgeBase(offline_settings(kb_home))
    assert (fresh.loaded().manifest.embedder != embedder_before) == new_vocabulary
    docs = [d.doc_id for d in fresh.list()]
    assert {"manual", "pop_up"} <= set(docs)
    assert fresh.search("快闪店开业前要向物业报备什么?").passages[0].doc == "pop_up"
    assert fresh.search(QUESTION).good_match
