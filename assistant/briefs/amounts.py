"""Money amounts as planners write them: 80万, 八十万, ¥50,000, 5千块, 3w, 1.5 million RMB, 200萬元."""

from __future__ import annotations

import re

from core.errors import BriefError
from knowledge.scripts import to_simplified

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "壹": 1, "二": 2, "贰": 2, "两": 2, "三": 3, "叁": 3, "四": 4, "肆": 4,
              "五": 5, "伍": 5, "六": 6, "陆": 6, "七": 7, "柒": 7, "八": 8, "捌": 8, "九": 9, "玖": 9}
_CN_SMALL_UNITS = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000}
_CN_BIG_UNITS = {"万": 10_000, "亿": 100_000_000}
_LATIN_UNITS = {"w": 10_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "million": 1_000_000,
                "millions": 1_000_000, "thousand": 1_000, "bn": 1_000_000_000, "billion": 1_000_000_000}

# Currency marks around an amount; they say nothing about its size.
_PREFIX = re.compile(r"^(?:[¥￥]|rmb|cny|人民币)\s*", re.IGNORECASE)
_SUFFIX = re.compile(r"\s*(?:元人民币|块钱|块|元|圆|rmb|cny|yuan|人民币)$", re.IGNORECASE)

AMOUNT_EXAMPLE = "write an amount such as 80万 or 800000"
NUMERAL_CHARS = "".join(_CN_DIGITS) + "".join(_CN_SMALL_UNITS) + "".join(_CN_BIG_UNITS)


def normalize_number_text(text: str, simplified: bool = True) -> str:
    """Text with full-width digits made ASCII, thousands separators removed and (by default) Simplified."""
    text = text.translate(_FULLWIDTH).strip()
    text = to_simplified(text) if simplified else text
    return re.sub(r"(?<=\d),(?=\d{3}\b)", "", text)


def _chinese_number(text: str) -> float | None:
    """The value of a Chinese numeral that may mix in Arabic digits (八十万, 1亿2000万, 五万五), or None."""
    tokens = re.findall(r"\d+(?:\.\d+)?|.", text)
    total = 0.0
    section = 0.0
    number: float | None = None
    last_unit = 0
    after_zero = False
    for tok in tokens:
        if tok[0].isdigit():
            number = float(tok)
        elif tok in _CN_DIGITS:
            value = _CN_DIGITS[tok]
            after_zero = after_zero or value == 0
            number = float(value) if value else number
        elif tok in _CN_SMALL_UNITS:
            unit = _CN_SMALL_UNITS[tok]
            section += (1.0 if number is None else number) * unit
            number, last_unit, after_zero = None, unit, False
        elif tok in _CN_BIG_UNITS:
            unit = _CN_BIG_UNITS[tok]
            section += number or 0.0
            if section == 0:
                return None
            total = (total + section) * unit if unit > 10_000 else total + section * unit
            section, number, last_unit, after_zero = 0.0, None, unit, False
        else:
            return None
    if number is not None:
        # Colloquial 五万五 = 55000, 三千五 = 3500: a lone trailing digit counts in the next unit down.
        if last_unit >= 100 and not after_zero and number < 10 and float(number).is_integer():
            number *= last_unit / 10
        section += number
    return total + section


def parse_amount(text: str | float | int, default_unit: float = 1.0) -> float:
    """The amount in 元 written in ``text``; ``default_unit`` scales bare numbers (10000 for a 万元 column).

    Raises BriefError (field 'budget') naming what to write when ``text`` is not an amount."""
    if isinstance(text, bool):
        raise BriefError(f"amount '{text}': {AMOUNT_EXAMPLE}", field="budget")
    if isinstance(text, int | float):
        return float(text) * default_unit
    raw = str(text)
    s = normalize_number_text(raw)
    s = _PREFIX.sub("", s)
    s = _SUFFIX.sub("", s).strip()
    s = _PREFIX.sub("", s).strip()
    if not s:
        raise BriefError(f"amount '{raw}': {AMOUNT_EXAMPLE}", field="budget")
    m = re.fullmatch(r"(-?\d+(?:\.\d+)?)\s*([a-zA-Z]+)?", s)
    if m:
        value = float(m.group(1))
        unit = m.group(2)
        if unit is None:
            return value * default_unit
        scale = _LATIN_UNITS.get(unit.lower())
        if scale is None:
            raise BriefError(f"amount '{raw}': unknown unit '{unit}'; {AMOUNT_EXAMPLE}", field="budget")
        return value * scale
    if re.fullmatch(rf"[\d.{NUMERAL_CHARS}]+", s) and re.search(rf"[{NUMERAL_CHARS}]", s):
        cn_value = _chinese_number(s)
        if cn_value is not None:
            # A bare Chinese numeral without 万/亿 in a 万元 column still means that many 万.
            has_big = any(u in s for u in _CN_BIG_UNITS)
            return cn_value * (1.0 if has_big else default_unit)
    raise BriefError(f"amount '{raw}': {AMOUNT_EXAMPLE}", field="budget")


# An amount inside a sentence: optional currency sign, a number (Arabic or Chinese), a unit, a currency word.
AMOUNT_IN_TEXT = re.compile(
    rf"(?:[¥￥]\s*|(?:rmb|cny)\s*)?"
    rf"(?P<num>\d+(?:\.\d+)?(?:\s*[万亿千百](?:[\d{NUMERAL_CHARS}]*[万亿千百])?)?|[{NUMERAL_CHARS}]+)"
    rf"\s*(?P<unit>million|thousand|billion|mn|bn|[wWkK](?![a-zA-Z])|[mM](?![a-zA-Z]))?"
    rf"\s*(?P<cur>元人民币|块钱|块|元|rmb|cny|yuan|人民币)?",
    re.IGNORECASE,
)


__all__ = ["AMOUNT_EXAMPLE", "AMOUNT_IN_TEXT", "normalize_number_text", "parse_amount"]
