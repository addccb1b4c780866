"""Slips put right against a corpus's own words, and words that are no slips left alone; characters typed side by
side that the segmenter joined read as their pieces."""

from __future__ import annotations

import pytest

from knowledge.wordweights import (
    MAX_LIFT,
    TypoFixer,
    chance_pieces,
    informativeness,
    lift,
    pieces_informativeness,
)

CORPUS = ("积分兑换、专享折扣。活动中奖信息。竞品分析。竞品定价。活动策划书。策划方案。优惠券促销。发放优惠券。"
          "社区运营。活动的每一个环节。找到新的增长点。")
# Words and character pairs of the corpus, as an index lists them (长点 only as a pair across 增长 | 点).
WORDS = ("积分", "兑换", "中奖", "竞品", "分析", "策划", "优惠券", "促销", "活动", "社区", "运营", "的每", "增长", "长点")


def _fixer() -> TypoFixer:
    return TypoFixer(WORDS, lambda text: text in CORPUS, lambda word: CORPUS.count(word))


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("竟品分析要看哪些方面", "竞品分析要看哪些方面"),  # characters the segmenter left alone
        ("策化书怎么写", "策划书怎么写"),
        # courtesy in front is no part of the words: 想问下策化 is not cut 下策 / 化
        ("想问下策化方案怎么写", "想问下策划方案怎么写"),
        ("请问一下竟品分析要看哪些方面", "请问一下竞品分析要看哪些方面"),
        ("优惠卷促销有什么好处", "优惠券促销有什么好处"),  # a dictionary slip the guidebooks never write
        # a dictionary word is never taken apart for a slip inside it
        ("会计分录怎么做", "会计分录怎么做"),
        ("年终奖要交多少税", "年终奖要交多少税"),
        # a common word is what the planner meant, even where the guidebooks never write it
        ("社群运营怎么做", "社群运营怎么做"),
        # loose characters holding a grammar character are no word typed wrong (的没 is not 的每)
        ("赚钱的没几个怎么办", "赚钱的没几个怎么办"),
        # a word the corpus writes once, as a pair across two words, is no word meant (涨点价 is no 长点价)
        ("我们能不能涨点价", "我们能不能涨点价"),
    ],
)
def test_slips_are_put_right_and_other_words_left_alone(typed: str, meant: str) -> None:
    assert _fixer().fix(typed) == meant


@pytest.mark.parametrize(("share", "zipf", "expected"), [
    (0.01, 3.0, 2.0),  # one in a hundred 100-token chunks use a word general Chinese writes once per million words
    (0.001, 5.0, -1.0),  # a word common in general Chinese that the corpus barely uses
    (0.0, 4.0, -MAX_LIFT),  # a word the corpus never uses
    (0.0, 1.0, -MAX_LIFT),  # however rare it is in general Chinese
    (1.0, 1.0, MAX_LIFT),  # capped both ways
])
def test_lift_compares_a_corpus_s_use_of_a_word_with_general_chinese(share: float, zipf: float, expected: float) -> None:
    assert lift(share, zipf, 100.0) == pytest.approx(expected)


@pytest.mark.parametrize(("word", "pieces"), [
    ("老问", ("老", "问")),  # 「老板老问我」: jieba's HMM joins 老 | 问; wordfreq lists it no commoner than chance
    ("来算", ("来", "算")),
    ("问能", ("问", "能")),  # 「老问能不能退」
    ("讲点", ("讲", "点")),  # a jieba entry general Chinese never writes as one word
    ("价出", ("价", "出")),
])
def test_characters_typed_side_by_side_read_as_their_pieces(word: str, pieces: tuple[str, ...]) -> None:
    assert chance_pieces(word) == pieces
    assert pieces_informativeness(pieces) < informativeness(word) - 1


@pytest.mark.parametrize("word", ["掏钱", "小伙伴", "试试", "跟不上", "蓝屏", "补课班", "续期", "promotion", "老"])
def test_words_general_chinese_writes_as_words_stay_whole(word: str) -> None:
    assert chance_pieces(word) == ()
