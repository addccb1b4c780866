"""Written Cantonese words come from the Hong Kong Cantonese Corpus, and questions read them as Hong Kong writes them."""

from __future__ import annotations

import pytest

from core.text import cantonese
from core.text.question import analyse
from core.text.scripts import as_mandarin, to_simplified


def test_the_word_list_is_the_corpus_words() -> None:
    from tests.bench.build_cantonese_words import as_tsv, corpus_words

    assert cantonese.WORDS_PATH.read_text(encoding="utf-8") == as_tsv(corpus_words()), (
        "core/text/cantonese_words.tsv is out of date: run python tests/bench/build_cantonese_words.py")


@pytest.mark.parametrize(("word", "grammar"), [
    ("几耐", True), ("点样", True), ("点", True), ("唔使", True),  # how long, how, how, need not
    ("老细", False), ("睇", False), ("市场", False),  # boss, look, market: words, not grammar
])
def test_grammar_is_what_the_corpus_tags_as_grammar(word: str, grammar: bool) -> None:
    assert cantonese.is_grammar(word) is grammar


@pytest.mark.parametrize(("word", "phrasing"), [
    ("点计", True), ("系点", True),  # 點計 how-count, 係點 is-how: run together by a Mandarin segmenter
    ("老细", False), ("细话", False),  # one word; words with no grammar among them
])
def test_cantonese_words_run_together_are_phrasing(word: str, phrasing: bool) -> None:
    # Asked only of strings no Mandarin word list has (knowledge/index.py): 转化, 年会 are words of their own.
    assert cantonese.is_phrasing(word) is phrasing


@pytest.mark.parametrize(("typed", "form", "topic"), [
    ("渠道布局幾耐要調整一次?", "几耐", {"渠道", "布局", "调整"}),
    ("呢啲優惠使唔使預先申請?", "这些", {"优惠", "申请"}),
])
def test_a_cantonese_question_word_is_grammar_not_topic(typed: str, form: str, topic: set[str]) -> None:
    analysis = analyse(as_mandarin(to_simplified(typed)))
    assert form not in analysis.topic
    assert topic <= set(analysis.topic)
