"""The knowledge base: search in the asker's script, abstention, and safe add/remove/rebuild."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant import script_boundary
from core.errors import DocumentError, NotFoundError
from knowledge.base import KnowledgeBase, Progress
from knowledge.storage import read_manifest
from tests.knowledge.conftest import offline_settings

# Our own questions (not the dev set): topics the guidebooks cover, phrased freely...
IN_SCOPE = [
    "会员促销有哪些优惠形式?",
    "渠道风险怎么防范?",
    "危机公关应该遵循什么原则?",
    "情人节促销活动怎么策划?",
    "售后服务流程是怎样的?",
    "差别定价有哪些类型?",
    "如何制定價格策略?",
]
# ...and topics they do not.
OUT_OF_SCOPE = [
    "怎么煮红烧肉?",
    "股票怎么开户?",
    "量子计算机的原理是什么?",
    "如何配置Nginx反向代理?",
    "糖尿病患者饮食注意什么?",
    "世界杯冠军是谁?",
    "What is the capital of France?",
    "北京到上海的高铁多久?",  # two place names occur in one guidebook; 高铁 nowhere
]

GUIDE = """# 直播带货指南

## 一、直播选品

直播选品要看毛利率、复购率和话题性,优先选择高颜值、易演示的商品。

## 二、主播话术

主播话术要突出限时福利,用倒计时制造紧迫感,并及时回答弹幕提问。
"""


@pytest.mark.parametrize("question", IN_SCOPE)
def test_in_scope_questions_are_good_matches(shared_kb: KnowledgeBase, question: str) -> None:
    result = shared_kb.search(question, k=5)
    assert result.good_match is True
    assert len(result.passages) == 5
    # A hit's score is how likely the passage holds the answer (the ranking model): well above what the
    # best passage for an off-topic question gets (below), even for a question as broad as 情人节促销怎么策划.
    assert result.top_score == result.passages[0].score > 0.2


# Covered topics asked in words the guidebooks do not use (广告 for 打广告, 春节 for 过年, 影城 for 电影院;
# 做到, 入手 say how, not what).
SYNONYM_QUESTIONS = ["投广告要定哪些目标?", "卖场里过年怎么布置?", "活动的开支有哪些?", "电影院能做什么营销?",
                     "销售流程标准化要做到什么?", "客服体系怎么搭建?"]


@pytest.mark.parametrize("question", SYNONYM_QUESTIONS)
def test_questions_in_everyday_words_are_good_matches(shared_kb: KnowledgeBase, question: str) -> None:
    assert shared_kb.search(question, k=5).good_match is True


@pytest.mark.parametrize("question", [*OUT_OF_SCOPE, "员工社保怎么交?", "公司年会节目怎么排?"])
def test_out_of_scope_questions_are_not_good_matches(shared_kb: KnowledgeBase, question: str) -> None:
    result = shared_kb.search(question, k=5)
    assert result.good_match is False
    assert result.top_score < 0.1


def test_results_come_back_in_the_script_of_the_question(shared_kb: KnowledgeBase) -> None:
    """Passages are Simplified inside Cehua; shown to the asker (``assistant/script_boundary.py``), they are
    in the question's script, Traditional in the guidebook's own characters."""
    simplified = shared_kb.search("价格促销有哪些手段", k=3)
    traditional = shared_kb.search("價格促銷有哪些手段", k=3)
    assert [p.chunk_id for p in simplified.passages] == [p.chunk_id for p in traditional.passages]
    assert "价格促销" in script_boundary.search_result(simplified).passages[0].text
    shown = script_boundary.search_result(traditional).passages[0]
    assert "價格促銷" in shown.text and shown.text == traditional.passages[0].source_text
    assert "價格" in shown.section
    top = simplified.passages[0]
    assert top.title and top.doc and top.end > top.start
    assert 0.0 < top.score <= 1.0


def test_passage_offsets_point_at_the_cited_section_of_the_source(shared_kb: KnowledgeBase) -> None:
    passage = shared_kb.search("满减优惠怎么设置", k=1).passages[0]
    source = shared_kb.source_text(passage.doc)
    assert "滿減" in source[passage.start:passage.end] or "满减" in source[passage.start:passage.end]


def test_search_many_and_sections(shared_kb: KnowledgeBase) -> None:
    results = shared_kb.search_many(["预算 费用 构成", "风险 应急预案"], k=2)
    assert [r.query for r in results] == ["预算 费用 构成", "风险 应急预案"]
    assert all(len(r.passages) == 2 and r.good_match for r in results)
    sections = shared_kb.sections()
    assert ("市场营销活动促销策略制定作业指导书", "第三章 促销策略选择 > 3.1 促销策略类型 > 3.1.1 价格促销策略") in sections


def test_add_is_incremental_and_idempotent(kb: KnowledgeBase, tmp_path: Path) -> None:
    before = read_manifest(kb.paths)
    assert before is not None
    vector_files = sorted(kb.paths.docs.glob("*/vectors-*.npy"))
    mtimes = {p: p.stat().st_mtime_ns for p in vector_files}
    guide = tmp_path / "直播带货指南.md"
    guide.write_text(GUIDE, encoding="utf-8")

    added = kb.add([guide])
    assert [(d.doc_id, d.title, d.chunks) for d in added] == [("直播带货指南", "直播带货指南", 2)]
    result = kb.search("直播选品要看什么?", k=3)
    assert result.good_match
    assert result.passages[0].doc == "直播带货指南"
    assert result.passages[0].section == "一、直播选品"  # the title heading is the title, not a section
    after = read_manifest(kb.paths)
    assert after is not None and after.embedder == before.embedder
    assert {p: p.stat().st_mtime_ns for p in vector_files} == mtimes  # other documents not re-embedded

    again = kb.add([guide])
    assert again == added
    assert read_manifest(kb.paths) == after  # nothing rewritten
    assert len(kb.list()) == 6


def test_bad_file_changes_nothing(kb: KnowledgeBase, tmp_path: Path) -> None:
    before = read_manifest(kb.paths)
    answer = kb.search("联合促销有什么好处", k=3)
    good = tmp_path / "good.md"
    good.write_text(GUIDE, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty.txt: file is empty"):
        kb.add([good, empty])
    assert read_manifest(kb.paths) == before
    assert kb.search("联合促销有什么好处", k=3) == answer


class _Interrupt(Progress):
    """Stops the ingest when it reaches the index-building stage, as a crash or Ctrl-C would."""

    def on_start(self, total: int, description: str) -> None:
        if description == "building index":
            raise KeyboardInterrupt


def test_interrupted_ingest_leaves_previous_index_usable(kb: KnowledgeBase, kb_home: Path, tmp_path: Path) -> None:
    before = read_manifest(kb.paths)
    guide = tmp_path / "guide.md"
    guide.write_text(GUIDE, encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        kb.add([guide], progress=_Interrupt())
    assert read_manifest(kb.paths) == before
    fresh = KnowledgeBase(offline_settings(kb_home))
    assert [d.doc_id for d in fresh.list()] == [d.doc_id for d in before.docs]
    assert fresh.search("满减优惠怎么设置", k=3).good_match
    assert kb.add([guide])[0].doc_id == "guide"  # a later ingest completes normally


def test_remove_and_reader_in_another_instance_sees_it(kb: KnowledgeBase, kb_home: Path) -> None:
    reader = KnowledgeBase(offline_settings(kb_home))
    doc = reader.search("七夕情侣活动怎么做", k=1).passages[0].doc
    removed = kb.remove(doc)
    assert removed.doc_id == doc
    assert doc not in {p.doc for p in reader.search("七夕情侣活动怎么做", k=10).passages}
    with pytest.raises(NotFoundError, match="no document 'nope'"):
        kb.remove("nope")


def test_rebuild_keeps_documents_and_results(kb: KnowledgeBase) -> None:
    before = {d.doc_id: d.chunks for d in kb.list()}
    old_embedder = read_manifest(kb.paths).embedder  # type: ignore[union-attr]
    docs = kb.rebuild()
    assert {d.doc_id: d.chunks for d in docs} == before
    assert read_manifest(kb.paths).embedder != old_embedder  # type: ignore[union-attr]
    assert kb.search("满减优惠怎么设置", k=3).good_match


def test_manifest_is_plain_json(built_home: Path) -> None:
    manifest = json.loads((built_home / "kb" / "manifest.json").read_text(encoding="utf-8"))
    assert [d["doc_id"][:3] for d in manifest["docs"]] == ["000", "001", "002", "003", "004"]


def test_reader_sees_documents_added_by_another_process(kb: KnowledgeBase, kb_home: Path, tmp_path: Path) -> None:
    import os
    import subprocess
    import sys

    assert all(p.doc != "livestream" for p in kb.search("直播选品要看什么?", k=3).passages)
    guide = tmp_path / "livestream.md"
    guide.write_text(GUIDE, encoding="utf-8")
    env = {**os.environ, "CEHUA_HOME": str(kb_home)}
    done = subprocess.run(
        [sys.executable, "-c", "from assistant.cli import main; main()", "kb", "add", str(guide)], env=env, capture_output=True, text=True
    )
    assert done.returncode == 0, done.stderr
    result = kb.search("直播选品要看什么?", k=3)
    assert result.good_match is True
    assert result.passages[0].doc == "livestream"


def test_emptied_knowledge_base_finds_nothing_and_accepts_new_documents(kb: KnowledgeBase, tmp_path: Path) -> None:
    for doc in kb.list():
        kb.remove(doc.doc_id)
    assert kb.list() == []
    empty = kb.search("满减优惠怎么设置?", k=3)
    assert (empty.passages, empty.good_match) == ([], False)
    guide = tmp_path / "guide.md"
    guide.write_text(GUIDE, encoding="utf-8")
    kb.add([guide])
    assert [p.doc for p in kb.search("主播话术怎么写?", k=1).passages] == ["guide"]


def test_concurrent_searches_agree_with_sequential_ones(shared_kb: KnowledgeBase) -> None:
    from concurrent.futures import ThreadPoolExecutor

    questions = IN_SCOPE * 4
    expected = [[p.chunk_id for p in shared_kb.search(q, k=5).passages] for q in questions]
    with ThreadPoolExecutor(max_workers=8) as pool:
        got = list(pool.map(lambda q: [p.chunk_id for p in shared_kb.search(q, k=5).passages], questions))
    assert got == expected


def test_adding_a_directory_adds_its_supported_files(kb: KnowledgeBase, tmp_path: Path) -> None:
    folder = tmp_path / "guides"
    (folder / "sub").mkdir(parents=True)
    (folder / "a.md").write_text(GUIDE, encoding="utf-8")
    (folder / "sub" / "b.txt").write_text("一、社群运营\n社群运营要定期发布福利和话题,保持群活跃。\n", encoding="utf-8")
    (folder / "notes.xlsx").write_bytes(b"ignored")
    added = kb.add([folder])
    assert [d.doc_id for d in added] == ["a", "b"]
    empty = tmp_path / "empty-dir"
    empty.mkdir()
    with pytest.raises(DocumentError, match="empty-dir: no .txt, .md"):
        kb.add([empty])


def test_following_reads_the_chunks_after_a_passage_in_its_document_only(shared_kb: KnowledgeBase) -> None:
    lead_in = next(p for p in shared_kb.search("促销策略类型主要包括哪几种", k=10).passages
                   if p.section.endswith("3.1 促销策略类型"))
    after = shared_kb.following(lead_in, 3)
    assert [p.section.split(" > ")[-1] for p in after] == ["3.1.1 价格促销策略", "3.1.2 赠品促销策略", "3.1.4 会员促销策略"]
    assert all(p.doc == lead_in.doc and p.start >= lead_in.end for p in after)
    last = shared_kb.following(after[-1], 1000)
    assert last and all(p.doc == lead_in.doc for p in last)  # never runs into the next document
