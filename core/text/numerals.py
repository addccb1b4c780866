"""Chinese numerals read and written through cn2an: 八十万, 1亿2000万, 五万五, 1亿2, 第三, 十二."""

from __future__ import annotations

import re

import cn2an
from text_to_num import text2num

# Characters a Chinese numeral is written with (financial forms and 两/〇 included).
DIGIT_CHARS = "零〇一壹二贰两三叁四肆五伍六陆七柒八捌九玖"
UNIT_CHARS = "十拾百佰千仟万亿"
NUMERAL_CHARS = DIGIT_CHARS + UNIT_CHARS
_MIXED = re.compile(rf"[\d.{NUMERAL_CHARS}]+")


def parse_number(text: str) -> float | None:
    """The value of a Chinese numeral that may mix in Arabic digits (八十万, 1亿2000万, 五万五 = 55000,
    三千五 = 3500), or None when ``text`` is not one."""
    if not text or not _MIXED.fullmatch(text) or not re.search(rf"[{NUMERAL_CHARS}]", text):
        return None
    # cn2an reads the spoken short form after 万/千 (1万5, 三千五) but not after 亿: 1亿2 is 1亿2千万.
    text = re.sub(r"亿([\d一二两三四五六七八九])$", r"亿\1千万", text)
    try:
        return float(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError, IndexError):
        return None


def parse_english_number(text: str) -> int | None:
    """The value of a number written in English words or digits ("four", "twenty-one", "a", "10"), or None:
    text2num reads the words, as cn2an reads Chinese numerals."""
    word = text.strip().lower()
    if word.isdigit():
        return int(word)
    if word in ("a", "an", "one"):
        return 1
    try:
        return int(text2num(word.replace("-", " "), "en"))
    except (ValueError, TypeError):
        return None


def parse_ordinal(text: str) -> int | None:
    """The integer written as Arabic digits or a Chinese numeral (「3」, 「二」, 「十二」), or None."""
    if text.isdigit():
        return int(text)
    value = parse_number(text)
    return int(value) if value is not None and value.is_integer() else None


def chinese_numeral(n: int) -> str:
    """``n`` as a Chinese numeral: 3 → 三, 12 → 十二, 20 → 二十."""
    return str(cn2an.an2cn(n))


__all__ = ["DIGIT_CHARS", "NUMERAL_CHARS", "UNIT_CHARS", "chinese_numeral", "parse_number", "parse_ordinal"]
