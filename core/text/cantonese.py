"""Written Cantonese words: which are grammar, and how common each is in Hong Kong speech.

Hong Kong planners ask in written Cantonese: 「轉化率係點計嘅?」「策劃嗰陣要留意咩位?」「幾耐調整一次?」.
Mandarin word lists (jieba's dictionary, wordfreq's Chinese) know none of 點計, 嗰陣, 幾耐, so a question
analysed with them alone has topic words no one knows, and reads as gibberish or as off-topic. The words
here come from the Hong Kong Cantonese Corpus (HKCanCor, transcribed conversations, shipped with
PyCantonese): each word it uses, in Simplified characters, with its commonest part-of-speech tag (the
same tag set as jieba's) and its count. ``cantonese_words.tsv`` is rebuilt from the corpus by
``tests/bench/build_cantonese_words.py``, and so is ``cantonese_marks.tsv``: the characters that tell a message
is written Cantonese (啲, 唔, 咗), in which the corpus's grammar tags are read over Mandarin homographs (点 "how"
over 点 "point", 埋 "along", 唔使 "need not": ``spoken_tag``).
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path

WORDS_PATH = Path(__file__).with_name("cantonese_words.tsv")
MARKS_PATH = Path(__file__).with_name("cantonese_marks.tsv")
# HKCanCor's tags for grammar: pronoun, adverb, particle, auxiliary, conjunction, preposition, interjection,
# onomatopoeia, classifier, modal verb (唔使), 有/冇 (v1), prefix and suffix.
GRAMMAR_TAGS = frozenset("r d d1 y y1 u c p e o q vu v1 h k".split())
# A character Hong Kong speech writes at least this much more often than general Chinese does (Zipf: 3 is a
# thousandfold; 啲 哋 嘅 咗 唔 喺 睇 谂 咁 𠮶 are, 点 系 返 埋 are not) marks a message as written Cantonese
# (``cantonese_marks.tsv``, rebuilt with the word list by ``tests/bench/build_cantonese_words.py``).
MARK_MARGIN = 3.0
# The corpus's commonest tag of a word it uses fewer times than this says little (周年 q 3, 思想 vu 2).
MIN_TAGGED = 5


@lru_cache(maxsize=1)
def _words() -> dict[str, tuple[str, int]]:
    rows = WORDS_PATH.read_text(encoding="utf-8").splitlines()[1:]
    return {word: (tag, int(count)) for word, tag, count in (row.split("\t") for row in rows if row)}


@lru_cache(maxsize=1)
def total() -> int:
    """How many words the corpus counts (of those listed)."""
    return sum(count for _, count in _words().values())


def words() -> list[tuple[str, str, int]]:
    """Every listed word (Simplified) with its commonest tag and its count, commonest first."""
    return [(word, tag, count) for word, (tag, count) in _words().items()]


def tag(word: str) -> str:
    """The commonest part-of-speech tag of ``word`` (Simplified) in Hong Kong Cantonese, '' when unused."""
    found = _words().get(word)
    return found[0] if found else ""


def is_grammar(word: str) -> bool:
    """True when Hong Kong Cantonese uses ``word`` (Simplified) mostly as grammar: 点 (how), 嗰阵 (when),
    几耐 (how long), 啲 (some), 唔使 (need not)."""
    return tag(word) in GRAMMAR_TAGS


def is_phrasing(word: str) -> bool:
    """True when ``word`` (Simplified) is written Cantonese words run together, one of them grammar: what a
    Mandarin segmenter makes of 「係點計」 (系点 = 系 is + 点 how; 点计 = 点 how + 计 count). Ask it of strings
    no word list knows: many Mandarin words are Cantonese words run together too (年会 = 年 + 会)."""
    pieces: list[str] = []
    rest = word
    while rest:
        piece = next((rest[:n] for n in range(len(rest), 0, -1) if rest[:n] in _words()), "")
        if not piece:
            return False
        pieces.append(piece)
        rest = rest[len(piece):]
    return len(pieces) > 1 and any(is_grammar(piece) for piece in pieces)


@lru_cache(maxsize=1)
def marks() -> frozenset[str]:
    """The characters that mark written Cantonese (``cantonese_marks.tsv``): those Hong Kong speech writes
    ``MARK_MARGIN`` Zipf or more above general Chinese, both counted over their words (啲 哋 嘅 咗 唔 喺 睇 咁
    𠮶; not 点, 系, 返, 埋, which Mandarin writes too)."""
    rows = MARKS_PATH.read_text(encoding="utf-8").splitlines()[1:]
    return frozenset(row.split("\t")[0] for row in rows if row)


def is_written(text: str) -> bool:
    """True when ``text`` (Simplified) is written Cantonese: it holds a character of ``marks``
    (「出之前使唔使試賣下先」 has 唔; 「幾時開始預熱」 has none and reads as Mandarin)."""
    found = marks()
    return any(char in found for char in text)


def spoken_tag(word: str) -> str:
    """The corpus's commonest tag of ``word`` (Simplified) when Hong Kong speech uses it at least ``MIN_TAGGED``
    times, else '': 少少 m, 唔使 vu, 点算 r, 搞掂 v; '' for 周年 (3 uses)."""
    found = _words().get(word)
    return found[0] if found and found[1] >= MIN_TAGGED else ""


def zipf(word: str) -> float:
    """How common ``word`` (Simplified) is in Hong Kong Cantonese speech on the Zipf scale (log10 of uses
    per billion words), 0 when the corpus does not use it."""
    found = _words().get(word)
    return math.log10(found[1] / total()) + 9 if found else 0.0


__all__ = ["GRAMMAR_TAGS", "is_grammar", "is_phrasing", "is_written", "marks", "spoken_tag", "tag", "total", "words", "zipf"]
