"""Chinese scripts: tell Simplified from Traditional (or English) and convert between them."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Literal

import opencc

ScriptName = Literal["zh-Hans", "zh-Hant", "en"]

_HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z]{2,}")


@lru_cache(maxsize=4)
def _converter(config: str) -> opencc.OpenCC:
    return opencc.OpenCC(config)


def to_simplified(text: str) -> str:
    """Text in Simplified script (used for indexing and matching)."""
    return _converter("t2s").convert(text) if text else text


def to_traditional(text: str) -> str:
    """Text in Traditional script (for answers to Traditional questions)."""
    return _converter("s2t").convert(text) if text else text


def detect_script(text: str) -> ScriptName:
    """The script a person wrote in: English when there is no Han character and some Latin words,
    Traditional when converting to Simplified changes more characters than converting to Traditional."""
    han = _HAN.findall(text)
    if not han:
        return "en" if _LATIN_WORD.search(text) else "zh-Hans"
    han_text = "".join(han)
    simp = to_simplified(han_text)
    trad = to_traditional(han_text)
    changed_by_t2s = sum(a != b for a, b in zip(han_text, simp, strict=False))
    changed_by_s2t = sum(a != b for a, b in zip(han_text, trad, strict=False))
    return "zh-Hant" if changed_by_t2s > changed_by_s2t else "zh-Hans"


def writing_script(text: str) -> ScriptName:
    """The script a longer text (a request, a plan) is written in: English when Latin words outnumber
    Chinese words (a few Chinese names in an English plan keep it English), else ``detect_script``."""
    han = len(_HAN.findall(text))
    latin = len(_LATIN_WORD.findall(text))
    if latin * 2 > han:  # a Chinese word is about two characters
        return "en"
    return detect_script(text)


def to_script(text: str, script: ScriptName) -> str:
    """Text converted to ``script`` (English leaves the text as it is)."""
    if script == "zh-Hant":
        return to_traditional(text)
    if script == "zh-Hans":
        return to_simplified(text)
    return text
