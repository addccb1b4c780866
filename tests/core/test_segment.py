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
