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


def test_the_marks_are_the_corpus_characters_general_chinese_hardly_writes() -> None:
    from tests.bench.build_cantonese_words import corpus_words, marks, marks_tsv

    assert cantonese.MARKS_PATH.read_text(encoding="utf-8") == marks_tsv(marks(corpus_words())), (
        "core/text/cantonese_marks.tsv is out of date: run python tests/bench/build_cantonese_words.py")


@pytest.mark.parametrize(("typed", "written"), [
    ("新口味下個月出，出之前使唔使試賣下先？", True),  # 唔
    ("定價嗰陣成本要計埋啲乜？", True),  # 𠮶 (嗰), 啲
    ("老細叫我睇住成個週年慶嘅進度", True),  # 睇, 嘅
    ("幾時開始預熱最好？", False),  # 几时 is Mandarin too
    ("週年慶的活動主題要怎麼訂比較好？", False),  # Taiwan
    ("价格促销一般有哪些手段啊?谢谢", False),
    ("产品组合要怎么优化，重点是哪几点", False),  # 点 is no mark: Mandarin writes it
])
def test_a_message_is_written_cantonese_when_it_holds_a_mark(typed: str, written: bool) -> None:
    assert cantonese.is_written(to_simplified(typed)) is written


@pytest.mark.parametrize(("word", "tag"), [
    ("点", "r"), ("咁", "d"), ("埋", "u"), ("点算", "r"), ("唔使", "vu"),  # how, so, along, what to do, need not
    ("使", "v"), ("搞掂", "v"), ("少少", "m"),  # use, get done, a little
    ("周年", ""),  # the corpus uses it 3 times: its tag says little
])
def test_a_spoken_tag_is_the_corpus_tag_of_a_word_it_uses_often_enough(word: str, tag: str) -> None:
    assert cantonese.spoken_tag(word) == tag


def _read(typed: str):  # type: ignore[no-untyped-def]
    simplified = to_simplified(typed)
    return analyse(as_mandarin(simplified), cantonese.is_written(simplified))


@pytest.mark.parametrize(("typed", "form", "not_topic", "topic"), [
    # 使唔使 asks with a modal (唔使, need not): no 使 glued to the verb after it (使设, 使计)
    ("個門檻使唔使設高少少？", {"不使"}, {"使设", "设高", "使", "少少"}, {"门槛"}),
    ("運費使唔使計？", {"不使"}, {"使计"}, {"运费"}),
    # 點 is how: no 点执 / 点写 for jieba's HMM to invent
    ("有幾款貨擺咗半年都賣唔出，產品組合點執好啲？", {"点"}, {"点执", "货摆"}, {"产品组合"}),
    ("想多啲人識我哋，個目標應該點寫？", {"点"}, {"点写"}, {"目标"}),
    # 嗰陣 is when (𠮶阵, outside the Basic Multilingual Plane once Simplified): no 阵 left as a topic word
    ("定價嗰陣成本要計埋啲乜？", {"𠮶阵", "埋"}, {"阵", "计埋"}, {"定价", "成本"}),
    ("間舖俾人鬧爆咗，第一時間應該點算？", {"点算"}, {"点算", "闹爆"}, set()),
])
def test_written_cantonese_reads_its_grammar_as_the_corpus_tags_it(
        typed: str, form: set[str], not_topic: set[str], topic: set[str]) -> None:
    analysis = _read(typed)
    assert form <= set(analysis.by_role("form"))
    assert not (not_topic & set(analysis.topic))
    assert topic <= set(analysis.topic)


def test_a_mandarin_question_is_read_as_before() -> None:
    # The same words without a mark of written Cantonese: jieba's cut, its HMM's guesses glued (年会, 选品).
    typed = "年会选品要注意什么？产品组合一点都不清楚"
    assert not cantonese.is_written(typed)
    assert _read(typed) == analyse(typed) and "选品" in analyse(typed).topic


@pytest.mark.parametrize(("typed", "asking"), [
    # 點 (how) asks without a question mark: the follow-up is what is asked, not the asker's situation
    ("價錢定好咗之後係咪就唔使理？之後點跟進先啱", "之后点跟进先啱"),
    ("活動完咗之後，啲潛在客要唔要跟？點跟", "点跟"),
])
def test_a_cantonese_question_word_makes_a_clause_ask(typed: str, asking: str) -> None:
    analysis = _read(typed)
    assert asking in analysis.asking and not analysis.guessed
    assert {"是不", "点"} & set(analysis.by_role("form")) and not {"是不", "点"} & set(analysis.topic)


def test_the_quote_reads_a_cantonese_question_as_search_does() -> None:
    from assistant.chat.question import question_terms

    terms = question_terms("定價嗰陣成本要計埋啲乜？運費使唔使計？")
    assert {"定价", "成本", "运费"} <= set(terms) and not {"使计", "阵", "计埋"} & set(terms)
