"""Chinese scripts: tell Simplified from Traditional (or English) and convert between them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache
from typing import Literal

import opencc

Script = Literal["zh-Hans", "zh-Hant", "en"]

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")
_WHITESPACE = re.compile(r"\s+")


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def mainland_words(text: str, prefer: Callable[[str, str], bool]) -> str:
    """Simplified ``text`` with each word Taiwan writes differently from the mainland (资料 → 数据, 软体 → 软件,
    网路 → 网络) as the mainland word where ``prefer(mainland, written)`` says so. Taiwan's phrase table
    also reads 建立, 执行, 指标, 小程序, 线上 as 创建, 运行, 指针, 小进程, 在线 — words mainland writers use
    for something else, or less — so the caller decides from the words its documents use. Works on
    Simplified text too (a word is looked up through its Traditional form)."""
    from core.text import segment

    out: list[str] = []
    for word in segment.cut(text, hmm=False):
        if len(word) >= 2 and _HAN.match(word):
            mainland = _converter("tw2sp").convert(to_traditional(word))
            if mainland != word and prefer(mainland, word):
                word = mainland
        out.append(word)
    return "".join(out)


@lru_cache(maxsize=16384)  # validators convert the same plan lines once per check
def to_simplified(text: str) -> str:
    """Text in Simplified script (used for indexing and matching)."""
    return _converter("t2s").convert(text) if text else text


# Written Cantonese (Hong Kong chat): its function words as the Mandarin the guidebooks and the readers of
# requests know, each the same length (spans stay aligned with what the planner wrote). Only characters and
# pairs Mandarin never writes: 係 is also 關係, so it stays.
_CANTONESE_WRITTEN = {"乜嘢": "什么", "點樣": "怎样", "點解": "为何", "幾多": "多少", "邊個": "哪个", "邊度": "哪里",
                      "邊間": "哪间", "有冇": "有没", "哋係": "们是", "佢係": "他是", "唔係": "不是", "就係": "就是",
                      "係咪": "是不", "唔該": "谢谢"}
# The pairs as written, and as they read once converted to Simplified (點樣 → 点样, 哋係 → 哋系).
_CANTONESE_PAIRS = {**_CANTONESE_WRITTEN, **{to_simplified(k): v for k, v in _CANTONESE_WRITTEN.items()}}
_CANTONESE_CHARS = str.maketrans({"哋": "们", "嘅": "的", "喺": "在", "咩": "啥", "冇": "没", "唔": "不", "佢": "他",
                                  "嚟": "来", "咗": "了", "啲": "些", "乜": "啥"})
_CANTONESE = re.compile("|".join(sorted(_CANTONESE_PAIRS, key=len, reverse=True)))


@lru_cache(maxsize=4096)
def compact_simplified(text: str) -> str:
    """``text`` as phrases are matched in it: Simplified, without whitespace."""
    return _WHITESPACE.sub("", to_simplified(text))


def as_mandarin(text: str) -> str:
    """``text`` with written Cantonese function words as Mandarin (我哋喺旺角,有咩建議 → 我们在旺角,有啥建議),
    same length; Mandarin text is unchanged."""
    return _CANTONESE.sub(lambda m: _CANTONESE_PAIRS[m.group(0)], text).translate(_CANTONESE_CHARS)


@lru_cache(maxsize=4096)
def to_traditional(text: str) -> str:
    """Text in Traditional script as readers write it (為, 群, 裡, 著, 考核: OpenCC's Taiwan forms; its
    standard forms 爲, 羣, 裏, 着, 考覈 look dated or wrong to readers in Taiwan and Hong Kong)."""
    return _converter("s2tw").convert(text) if text else text


def written_forms(word: str) -> set[str]:
    """``word`` as Simplified and as Traditional writers write it (国家级, 國家級; 为, 為, 爲), for finding it in
    text as written (matching what comes in; what goes out is converted at the output boundary)."""
    if not word:
        return {word}
    return {word, to_traditional(word), _converter("s2t").convert(word), _converter("s2hk").convert(word)}


def _script_marks(han_text: str) -> tuple[int, int]:
    """How many of ``han_text``'s characters are Traditional-only and Simplified-only (what converting
    to the other script changes)."""
    simp = to_simplified(han_text)
    trad = to_traditional(han_text)
    return (sum(a != b for a, b in zip(han_text, simp, strict=False)),
            sum(a != b for a, b in zip(han_text, trad, strict=False)))


def detect_script(text: str) -> Script:
    """The script a person wrote in: English when there is no Han character and some Latin words,
    Traditional when converting to Simplified changes more characters than converting to Traditional."""
    han = _HAN.findall(text)
    if not han:
        return "en" if _LATIN_WORD.search(text) else "zh-Hans"
    traditional, simplified = _script_marks("".join(han))
    return "zh-Hant" if traditional > simplified else "zh-Hans"


def writing_script(text: str) -> Script:
    """The script a longer text (a request, a plan) is written in: English when Latin words outnumber
    Chinese words (a few Chinese names in an English plan keep it English), else ``detect_script``."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN_WORD.findall(text))
    if latin * 2 > han:  # a Chinese word is about two characters
        return "en"
    return detect_script(text)


def message_script(text: str, default: Script) -> Script:
    """The script to answer a short message in: ``writing_script``'s, except that a Chinese message whose
    characters are written alike in both scripts (「要word版」) keeps ``default``'s Chinese script."""
    script = writing_script(text)
    if script == "en" or any(_script_marks("".join(_HAN.findall(text)))):
        return script
    return default if default != "en" else "zh-Hans"


def to_script(text: str, script: Script, sources: Sequence[tuple[str, str]] = ()) -> str:
    """Text converted to ``script`` (English leaves the text as it is). ``sources`` are (Simplified,
    as written) pairs of the same length, e.g. guidebook passages: where ``text`` quotes one of them
    and the reader's script is Traditional, the source's own characters are kept (對表現, 考核, 為)
    instead of a Simplified→Traditional round trip (對錶現, 考覈, 爲)."""
    if script == "zh-Hant":
        return _quoting(text, [(simp, orig) for simp, orig in sources
                               if orig and len(orig) == len(simp)]) if sources else to_traditional(text)
    if script == "zh-Hans":
        return to_simplified(text)
    return text


_MIN_QUOTE = 2  # characters: a shorter match is a coincidence, not a quote


def _quoting(text: str, sources: list[tuple[str, str]]) -> str:
    """``text`` in Traditional, taking each stretch it shares with a source from the source as written."""
    if not sources:
        return to_traditional(text)
    simple = "\x00".join(simp for simp, _ in sources)
    written = "\x00".join(orig for _, orig in sources)
    out: list[str] = []
    pending = 0  # start of the text not yet written out
    i = 0
    while i < len(text):
        end, at = i, -1
        while end < len(text) and (found := simple.find(text[i:end + 1])) >= 0:
            end, at = end + 1, found
        if end - i >= _MIN_QUOTE and _HAN.search(text[i:end]):
            out.append(to_traditional(text[pending:i]))
            out.append(written[at:at + end - i])
            pending = i = end
        else:
            i += 1
    out.append(to_traditional(text[pending:]))
    return "".join(out)
