"""How much a word says about a question's topic, from word frequencies rather than word lists.

A word common in general Chinese (谢谢, 老板, 东西, 一般) says little about what a question is
about; a rare one (预热, 满减, 商标) says a lot. General frequencies come from the ``wordfreq``
package's Chinese (and English) word lists, which ship with it, so this works offline, and for the
written Cantonese words they lack (老细, 几耐) from the Hong Kong Cantonese Corpus (``core.text.cantonese``).
``informativeness`` is the Zipf scale turned round: 0 for the commonest words, up to ``MAX_INFO``
for words general Chinese never uses.

A word the segmenter made of characters a planner merely typed side by side (老问 of 「老板老问我」, 来算, 问能 of
「老问能不能退」: jieba's HMM joins them, and wordfreq, segmenting with jieba, lists some at a Zipf of 1–2)
is no word of general Chinese: ``chance_pieces`` tells it by comparing how often general Chinese writes it
with how often its dictionary pieces would stand side by side by chance, and ``pieces_informativeness``
weighs it by what those pieces say (老 / 问: little), not as a word general Chinese never uses.

``TypoFixer`` puts right the input-method slips planners make (竟品 → 竞品, 策化 → 策划,
优惠卷 → 优惠券): a run of characters the guidebooks never write, rare in general Chinese, one
character away from a guidebook word — a homophone (same pinyin) for two-character words, any
character for longer ones.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from functools import lru_cache

from core.text import cantonese
from core.text.question import GRAMMAR_CHARS, courtesy_opening

# Zipf values run from about 1 (once per 100 million words) to 8 (的); a word wordfreq has never
# seen counts as this rare.
UNSEEN_ZIPF = 1.0
MAX_INFO = 7.0
# ``lift`` is kept within this many powers of ten either way.
MAX_LIFT = 3.0
# A slip is put right only when the guidebook word is this much more common (Zipf) than what was typed.
TYPO_MARGIN = 1.0
# A word this common in general Chinese is what the planner meant, not a slip, even where the guidebooks
# never write it (社群 is no slip for 社区).
COMMON_ZIPF = 3.5
# The word meant must be one the guidebooks use in at least this many chunks. A word found in one chunk only
# is mostly a character pair across two words there (增长点 gives 长点, so 涨点价 read as 长点价): of the 29
# slips the open question sets had put right to such a word, 1 was right; of those used in 2+ chunks, most.
TYPO_MIN_USES = 2
# A word general Chinese writes less than this many powers of ten more often than its dictionary pieces would
# stand side by side by chance is those pieces typed together, not a word of its own: 老问 (Zipf 1.09 against
# 1.09 by chance from 老 5.46 and 问 5.63), 来算 (2.15 against 2.59), 先挑 (1.74 against 0.73); words keep well
# clear of it (掏钱 +3.1, 试试 +4.1, 小伙伴 +2.2, 蓝屏 +2.8, 续期 +2.3).
CHANCE_MARGIN = 1.0
_HAN_RUN = re.compile(r"[\u3400-\u9fff]{2,}")
_HAN = re.compile(r"^[\u3400-\u9fff]+$")


@lru_cache(maxsize=2)
def _frequencies(language: str) -> dict[str, float]:
    import wordfreq

    # Asked as wordfreq asks itself (positionally), so its cache holds one copy of each list, not two.
    return wordfreq.get_frequency_dict(language, "best")


@lru_cache(maxsize=65536)
def listed_zipf(word: str) -> float:
    """The Zipf frequency of ``word`` as one entry of the general word list (0 when it is not one)."""
    language = "en" if word.isascii() else "zh"
    frequency = _frequencies(language).get(word.lower())
    return math.log10(frequency) + 9 if frequency else 0.0


@lru_cache(maxsize=65536)
def general_zipf(word: str) -> float:
    """The Zipf frequency of ``word`` in general Chinese (English for Latin words); a compound the
    list lacks (奶茶店) is estimated from its parts, a string of no known words is ``UNSEEN_ZIPF``."""
    listed = listed_zipf(word) or cantonese.zipf(word)  # 老细, 铺头: Hong Kong words Mandarin lists lack
    if listed:
        return listed
    import wordfreq

    language = "en" if word.isascii() else "zh"
    estimate = float(wordfreq.zipf_frequency(word, language))
    return estimate if estimate > 0 else UNSEEN_ZIPF


def informativeness(word: str) -> float:
    """How much ``word`` says about a topic: ``MAX_INFO`` minus its general Zipf frequency, at least 0."""
    return max(0.0, MAX_INFO - general_zipf(word))


@lru_cache(maxsize=16384)
def chance_pieces(word: str) -> tuple[str, ...]:
    """The dictionary pieces ``word`` reads as when general Chinese writes it no more often (within
    ``CHANCE_MARGIN``) than those pieces would stand side by side by chance; () when it is a word of its own
    (or not Chinese). Of the ways to cut it in two (each half cut by jieba's dictionary), the likeliest by
    chance is compared: 来算 → 来 / 算, 先挑 → 先 / 挑, 讲点 (a jieba word general Chinese never writes) → 讲 / 点."""
    if len(word) < 2 or not _HAN.match(word):
        return ()
    from core.text import segment

    best: tuple[float, tuple[str, ...]] | None = None
    for cut in range(1, len(word)):
        pieces = (*segment.cut(word[:cut], hmm=False), *segment.cut(word[cut:], hmm=False))
        zipfs = [listed_zipf(piece) or cantonese.zipf(piece) for piece in pieces]
        if not all(zipfs):
            continue  # a piece general Chinese never writes alone: no chance reading
        by_chance = sum(z - 9 for z in zipfs) + 9  # Zipf is log10 per billion words
        if best is None or by_chance > best[0]:
            best = (by_chance, pieces)
    if best is None:
        return ()
    written = listed_zipf(word) or cantonese.zipf(word)
    return best[1] if not written or written < best[0] + CHANCE_MARGIN else ()


def pieces_informativeness(pieces: Iterable[str]) -> float:
    """What a word read as ``pieces`` says: as much as its most informative piece."""
    return max((informativeness(piece) for piece in pieces), default=0.0)


def lift(chunk_share: float, zipf: float, tokens_per_chunk: float) -> float:
    """How many times (log10, within ``±MAX_LIFT``) more often a corpus's chunks use a word than general
    Chinese would lead one to expect: ``chunk_share`` of its chunks of ``tokens_per_chunk`` tokens use it,
    and general Chinese uses it at Zipf ``zipf``. The words a corpus is about score above 0 (满减, 预热,
    渠道); the words it only happens to use score about 0 or below (员工, 招聘, 合同), and the words it
    never uses ``-MAX_LIFT`` (发票, 商标): a question whose key words the guidebooks merely brush past is
    likely about something else, even when a passage holds them."""
    if chunk_share <= 0:  # however rare in general Chinese: a corpus this small cannot say it is merely rare here
        return -MAX_LIFT
    expected = min(1.0, 10 ** (zipf - 9) * tokens_per_chunk)
    return max(-MAX_LIFT, min(MAX_LIFT, math.log10(chunk_share / expected)))


def known_in_general(word: str) -> bool:
    """True when general Chinese (or English) has ``word`` as a word of its own, Hong Kong Cantonese
    included (老细, 几耐: ``core.text.cantonese``)."""
    return listed_zipf(word) > 0 or _in_segmenter_dictionary(word) or bool(cantonese.tag(word))


def _in_segmenter_dictionary(word: str) -> bool:
    from core.text import segment

    return segment.in_dictionary(word)


@lru_cache(maxsize=8192)
def _toneless(text: str) -> tuple[str, ...]:
    from pypinyin import Style, lazy_pinyin

    return tuple(lazy_pinyin(text, style=Style.NORMAL))


class TypoFixer:
    """Puts right one-character slips against a corpus's own words (build one per index generation)."""

    def __init__(self, vocabulary: Iterable[str], in_corpus: Callable[[str], bool], corpus_count: Callable[[str], int]):
        self._in_corpus = in_corpus
        self._count = corpus_count
        self._by_sound: dict[tuple[str, ...], list[str]] = {}
        self._by_mask: dict[tuple[int, str], list[str]] = {}
        for word in vocabulary:
            if not (2 <= len(word) <= 4 and _HAN.match(word)):
                continue
            self._by_sound.setdefault(_toneless(word), []).append(word)
            if len(word) >= 3:
                for i in range(len(word)):
                    self._by_mask.setdefault((i, word[:i] + "?" + word[i + 1:]), []).append(word)

    def _candidate(self, window: str) -> str | None:
        found: list[str] = []
        for word in self._by_sound.get(_toneless(window), []):
            if sum(a != b for a, b in zip(word, window, strict=True)) == 1:
                found.append(word)
        if len(window) >= 3:
            for i in range(len(window)):
                found.extend(self._by_mask.get((i, window[:i] + "?" + window[i + 1:]), []))
        found = [word for word in found if self._count(word) >= TYPO_MIN_USES]
        # The word the guidebooks use most is the one meant (竟品 is their 竞品, not the general 精品).
        best = max(found, key=lambda w: (self._count(w), general_zipf(w)), default=None)
        if best is None or general_zipf(best) - listed_zipf(window) < TYPO_MARGIN or listed_zipf(window) >= COMMON_ZIPF:
            return None
        return best

    def fix(self, text: str) -> str:
        """``text`` (Simplified) with slips replaced by the guidebook words they stand for. Only a
        dictionary word the guidebooks never write, or characters the segmenter could not join into
        a word (竟, 品), are candidates: never two halves of neighbouring words."""
        from core.text import segment

        out = text
        for run in _HAN_RUN.findall(text):
            # 「想问下策化…」 is courtesy and then the words: cut together they give 下策 / 化, and no slip shows.
            opening = courtesy_opening(run)
            pieces: list[str] = [opening] if opening else []
            run_words = run[len(opening):]
            singles = ""
            for token in [*segment.cut(run_words, hmm=False), ""]:
                if len(token) == 1:
                    singles += token
                    continue
                if singles:
                    pieces.append(self._fix_window(singles, loose=True) if len(singles) >= 2 else singles)
                    singles = ""
                if token:
                    pieces.append(self._fix_window(token) if len(token) >= 2 else token)
            fixed = "".join(pieces)
            if fixed != run:
                out = out.replace(run, fixed, 1)
        return out

    def _fix_window(self, window: str, loose: bool = False) -> str:
        """``window`` put right as a whole; characters the segmenter left ``loose`` also pair by pair.
        A dictionary word is never taken apart: 年终奖 holds no slip for 中奖, 会计分录 none for 积分."""
        if self._in_corpus(window):
            return window
        # Loose characters holding a grammar character (的 | 没) are no one word typed wrong: only their
        # pairs without one are.
        whole = len(window) <= 4 and not (loose and any(ch in GRAMMAR_CHARS for ch in window))
        fixed = self._candidate(window) if whole else None
        if fixed or not loose:
            return fixed or window
        for i in range(len(window) - 1):  # 策, 化, 书, 要: the slip may be in a pair of them (策化 → 策划)
            pair = window[i:i + 2]
            if any(ch in GRAMMAR_CHARS for ch in pair) or self._in_corpus(pair):
                continue
            candidate = self._candidate(pair)
            if candidate:
                return window[:i] + candidate + window[i + 2:]
        return window


__all__ = ["CHANCE_MARGIN", "MAX_INFO", "MAX_LIFT", "TypoFixer", "chance_pieces", "general_zipf", "informativeness", "known_in_general", "lift", "listed_zipf",
           "pieces_informativeness"]
