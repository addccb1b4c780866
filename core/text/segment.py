"""Chinese word segmentation: the one jieba loader every tokenizer in Cehua goes through.

Dictionary-only cuts (``hmm=False``, what the index is built from) run on rjieba, the binding of
jieba-rs: the same dictionary and the same maximum-probability route as jieba, about six times
faster, so a 20 MB document is tokenized in seconds (tests/core/test_segment.py checks the two agree
word for word). Cuts with the HMM, part-of-speech tags and the dictionary itself stay with jieba.

Questions are tagged (``tagged``) over jieba's dictionary and the written Cantonese words it lacks
(``core.text.cantonese``: 嗰阵, 几耐, 老细, 边啲), so 「渠道布局幾耐要調整一次」 is 几耐 / 要, not 几 / 耐要, and the
planner words it shatters (``planner_words.tsv``: 满减, 竞品, 复购), so 「想做满减」 is 做 / 满减, not 做满 / 减;
documents and the index are cut with jieba's dictionary alone.
"""

from __future__ import annotations

import logging
import threading
from functools import lru_cache
from pathlib import Path
from types import ModuleType

_LOCK = threading.Lock()
PLANNER_WORDS = Path(__file__).with_name("planner_words.tsv")


@lru_cache(maxsize=1)
def _loaded() -> ModuleType:
    import jieba

    jieba.setLogLevel(logging.WARNING)
    with _LOCK:
        jieba.initialize()
    return jieba


@lru_cache(maxsize=1)
def _fast() -> ModuleType:
    import rjieba

    return rjieba


def warm_up() -> None:
    """Load the segmentation dictionaries now rather than on the first question."""
    _loaded()
    _fast().cut("预热", hmm=False)


def cut(text: str, *, hmm: bool = True) -> list[str]:
    """jieba words of ``text``; with ``hmm`` (jieba's default) also words its HMM guesses (年会),
    without it dictionary words and single characters only."""
    if not hmm:
        return list(_fast().cut(text, hmm=False))
    return _loaded().lcut(text, HMM=hmm)


def cut_for_search(text: str) -> list[str]:
    """jieba's search-engine segmentation: words plus the dictionary words inside longer ones."""
    return _loaded().lcut_for_search(text)


@lru_cache(maxsize=1)
def _question_tagger():  # type: ignore[no-untyped-def]
    """jieba's part-of-speech tagger over a copy of its dictionary with the written Cantonese words it
    lacks added (their corpus counts scaled to jieba's), so the shared dictionary documents are cut with
    stays as it is."""
    loaded = _loaded()
    import jieba.posseg as posseg

    from core.text import cantonese

    with _LOCK:
        tokenizer = loaded.Tokenizer()
        # Copies of the loaded tables (a few MB of references) instead of reading the dictionary file again.
        tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(loaded.dt.FREQ), loaded.dt.total, True
        tagger = posseg.POSTokenizer.__new__(posseg.POSTokenizer)
        tagger.tokenizer, tagger.word_tag_tab = tokenizer, dict(posseg.dt.word_tag_tab)
        scale = loaded.dt.total / cantonese.total()
        for word, tag, count in cantonese.words():
            if len(word) >= 2 and not loaded.dt.FREQ.get(word):
                tokenizer.add_word(word, max(1, round(count * scale)), tag)
        for word, frequency in _planner_words():
            if not tokenizer.FREQ.get(word):
                tokenizer.add_word(word, max(1, round(frequency * loaded.dt.total)), "n")
        # add_word grows the total, which would make every word of a Mandarin question likelier to stay
        # whole (多少 / 钱 cut as 多少钱): only where a Cantonese word is written may the cut change.
        tokenizer.total = loaded.dt.total
    return tagger


def _planner_words() -> list[tuple[str, float]]:
    """The planner words jieba's dictionary shatters (满减 → 满/减, 竞品 → 竞/品) with wordfreq's frequency:
    ``planner_words.tsv``, rebuilt from the glossary by ``tests/bench/build_planner_words.py``."""
    rows = PLANNER_WORDS.read_text(encoding="utf-8").splitlines()[1:]
    return [(word, float(frequency)) for word, frequency in (row.split("\t") for row in rows if row)]


@lru_cache(maxsize=1)
def _planner_word_set() -> frozenset[str]:
    return frozenset(word for word, _ in _planner_words())


def is_planner_word(word: str) -> bool:
    """True for a planner word jieba's dictionary shatters (满减, 竞品: ``planner_words.tsv``)."""
    return word in _planner_word_set()


def tagged(text: str, *, hmm: bool = True) -> list[tuple[str, str]]:
    """jieba's words of ``text`` with their part-of-speech tags, written Cantonese words among them."""
    return [(pair.word, pair.flag) for pair in _question_tagger().lcut(text, HMM=hmm)]


def in_dictionary(word: str) -> bool:
    """True when ``word`` is in jieba's dictionary (not a word its HMM guessed)."""
    return word in _loaded().dt.FREQ


__all__ = ["cut", "cut_for_search", "in_dictionary", "is_planner_word", "tagged", "warm_up"]
