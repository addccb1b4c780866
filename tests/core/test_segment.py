"""The fast dictionary cut (rjieba) gives jieba's words exactly, so indexes and queries agree."""

from __future__ import annotations

import re

import jieba

from core.text import segment
from core.text.scripts import to_simplified
from knowledge.ingest import bundled_guidebooks

_HAN_RUN = re.compile(r"[\u3400-\u9fff]+")


def test_the_dictionary_cut_is_jiebas_word_for_word_on_the_guidebooks() -> None:
    segment.warm_up()
    runs = [run for path in bundled_guidebooks()
            for run in _HAN_RUN.findall(to_simplified(path.read_text(encoding="utf-8")))]
    assert sum(map(len, runs)) > 40_000
    differ = [(run, segment.cut(run, hmm=False)) for run in runs
              if segment.cut(run, hmm=False) != jieba.lcut(run, HMM=False)]
    assert not differ, differ[:5]


def test_rare_characters_and_ambiguous_runs_cut_as_jieba_cuts_them() -> None:
    segment.warm_up()
    for run in ["结婚的和尚未结婚的", "研究生命起源", "乒乓球拍卖完了", "㐀満减优惠䶵活动", "南京市长江大桥"]:
        assert segment.cut(run, hmm=False) == jieba.lcut(run, HMM=False)


def test_questions_keep_the_planner_words_jieba_shatters_whole_and_documents_are_cut_as_before() -> None:
    for question, word in (("我们想做满减，门槛怎么定？", "满减"), ("老板让我做个竞品对比", "竞品"),
                           ("怎么提高复购啊", "复购"), ("开业想请网红来探店", "网红")):
        assert word in [w for w, _ in segment.tagged(question)], question
    # The index is cut with jieba's dictionary alone: the planner words never enter it.
    assert segment.cut("想做满减", hmm=False) == ["想", "做", "满", "减"]
    assert not segment.in_dictionary("满减")


def test_the_planner_words_are_the_glossarys_terms_jieba_shatters_into_characters() -> None:
    from core.text.segment import _planner_words

    words = dict(_planner_words())
    assert {"满减", "竞品", "复购"} <= set(words)
    assert all(0 < frequency < 1 for frequency in words.values())
    assert not any(segment.in_dictionary(word) for word in words)
    assert all(all(len(piece) == 1 for piece in segment.cut(word, hmm=False)) for word in words)
