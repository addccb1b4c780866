"""An index grown by many small adds: few segments, and it scores exactly as one index over the same
documents would (issue 15)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from knowledge.base import KnowledgeBase
from knowledge.segments import MAX_SMALL, Segment, SegmentSet, build_segment
from knowledge.storage import read_manifest
from knowledge.tokens import tokenize
from tests.knowledge.conftest import offline_settings

GUIDE = """# {brand}门店手册

## 一、{brand}会员日

{brand}每月会员日推出满减券和积分翻倍，门店提前三天在社群预热，活动当天安排导购讲解{product}的卖点。

## 二、{product}试用

试用装放在收银台旁，顾客留下手机号即可领取，七天后回访收集{product}的使用反馈。
"""
BRANDS = [("青禾", "面霜"), ("朗月", "茶饮"), ("沐川", "耳机"), ("星澜", "口红"), ("云栖", "坚果"),
          ("晴川", "背包"), ("拾光", "酸奶"), ("悦木", "牙膏")]
QUESTIONS = ["会员日满减券怎么预热?", "青禾面霜试用装放在哪里", "星澜口红回访", "社群预热提前几天", "直播带货怎么选品"]


def test_adds_one_at_a_time_keep_few_segments_and_score_as_one_index(kb_home: Path, tmp_path: Path) -> None:
    kb = KnowledgeBase(offline_settings(kb_home))
    for brand, product in BRANDS:
        path = tmp_path / f"{brand}.md"
        path.write_text(GUIDE.format(brand=brand, product=product), encoding="utf-8")
        kb.add([path])
    manifest = read_manifest(kb.paths)
    assert manifest is not None and len(manifest.docs) == 5 + len(BRANDS)
    assert len(manifest.segments) <= MAX_SMALL  # 9 segments without merging

    generation = kb.loaded().generation
    assert generation is not None
    grown = generation.segments
    ordered = [(d, n) for s in manifest.segments for d, n in zip(s.docs, _chunks(manifest, s.docs), strict=True)]
    one = SegmentSet([Segment(kb.paths.segments / build_segment(kb.paths, "all-at-once", ordered,
                                                                  manifest.embedder).name)])
    assert one.size == grown.size
    for question in QUESTIONS:
        tokens = tokenize(question)
        np.testing.assert_allclose(grown.bm25_scores(tokens), one.bm25_scores(tokens), rtol=1e-12)
        assert [r for r, _ in grown.bm25_scored(tokens, 10)] == [r for r, _ in one.bm25_scored(tokens, 10)]
        for token in tokens:
            assert grown.token_ceiling(token) == one.token_ceiling(token)
    assert grown.max_token_score() == one.max_token_score()
    for text in ["会员日", "满减券和积分", "悦木牙膏", "会员月", "牙膏试用装放在收银台", "门店手", "KOL"]:
        assert grown.contains(text) == one.contains(text) == any(
            s.contains(text.lower().encode()) for s in one.segments), text
    assert kb.search("悦木牙膏的试用装怎么领?").passages[0].doc == "悦木"


def _chunks(manifest, storages: list[str]) -> list[int]:  # type: ignore[no-untyped-def]
    by_storage = {d.storage: d.chunks for d in manifest.docs}
    return [by_storage[s] for s in storages]
