"""Money amounts as planners write them: 80万, 八十万, ¥50,000, 5千块, 3w, 1.5 million RMB, 200萬元."""

from __future__ import annotations

import re

from core.errors import BriefError
from core.text.numerals import NUMERAL_CHARS, parse_number
from core.text.scripts import as_mandarin, to_simplified

_FULLWIDTH = str.maketrans("０１２３４５６７８９．，％", "0123456789.,%")
_LATIN_UNITS = {"w": 10_000, "k": 1_000, "m": 1_000_000, "mn": 1_000_000, "million": 1_000_000,
                "millions": 1_000_000, "thousand": 1_000, "bn": 1_000_000_000, "billion": 1_000_000_000}

# The currencies planners budget in, by ISO code, with the words that write an amount in each (in normalized text:
# Simplified, any case). The one list: the briefs read a request's currency from it, the validators an amount's.
CURRENCY_WORDS: dict[str, str] = {
    "TWD": r"nt\$|ntd|twd|新?台币",
    "HKD": r"hk\$|hkd|港币|港元|港纸",
    "USD": r"us\$|usd|美元|美金",
    "CNY": r"rmb|cny|人民币",
}
# Currency marks around an amount, 人民币's and the other currencies' (NT$, HK$, 港币, US$): they say nothing about
# its size, but an amount written with one is in that currency's units, not a 万元 column's.
CURRENCY_MARKS = "[¥￥$]|" + "|".join(CURRENCY_WORDS.values())
_CURRENCY_CODES = [(code, re.compile(words, re.IGNORECASE)) for code, words in CURRENCY_WORDS.items()]

_PREFIX = re.compile(rf"^(?:{CURRENCY_MARKS})\s*", re.IGNORECASE)
# After an amount: 元 and its spoken forms, then every currency word of CURRENCY_WORDS (the one list: 港纸, 美金, NT$ …).
_SUFFIX = re.compile(rf"\s*(?:元人民币|块钱|块|元|圆|yuan|{'|'.join(CURRENCY_WORDS.values())})$", re.IGNORECASE)

AMOUNT_EXAMPLE = "write an amount such as 80万 or 800000"


def currency_in(text: str) -> str | None:
    """The ISO code of the first currency ``text`` names (新台幣, HK$, 美元, RMB …; Simplified or Traditional), or None:
    checked in CURRENCY_WORDS' order, so 新台币 is TWD before any later word."""
    text = to_simplified(text)
    return next((code for code, pattern in _CURRENCY_CODES if pattern.search(text)), None)


def normalize_number_text(text: str, simplified: bool = True) -> str:
    """Text with full-width digits made ASCII, thousands separators removed and (by default) Simplified,
    written Cantonese's function words as Mandarin (same length either way)."""
    text = text.translate(_FULLWIDTH).strip()
    text = as_mandarin(to_simplified(text)) if simplified else text
    return re.sub(r"(?<=\d),(?=\d{3}(?!\d))", "", text)  # 80,000元: a unit may follow the digits directly


def parse_amount(text: str | float | int, default_unit: float = 1.0) -> float:
    """The amount in 元 written in ``text``; ``default_unit`` scales bare numbers (10000 for a 万元 column), not one
    written with its currency (「80,000元」 in a 万元 table is 80,000).

    Raises BriefError (field 'budget') naming what to write when ``text`` is not an amount."""
    if isinstance(text, bool):
        raise BriefError(f"amount '{text}': {AMOUNT_EXAMPLE}", field="budget")
    if isinstance(text, int | float):
        return float(text) * default_unit
    raw = str(text)
    s = normalize_number_text(raw)
    bare = s
    s = _PREFIX.sub("", s)
    s = _SUFFIX.sub("", s).strip()
    s = _PREFIX.sub("", s).strip()
    if s != bare.strip():
        default_unit = 1.0  # 「80,000元」「NT$180,000」 in a 万元 table: the amount says its own unit
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
        cn_value = parse_number(s)
        if cn_value is not None:
            # A bare Chinese numeral without 万/亿 in a 万元 column still means that many 万.
            has_big = "万" in s or "亿" in s
            return cn_value * (1.0 if has_big else default_unit)
    raise BriefError(f"amount '{raw}': {AMOUNT_EXAMPLE}", field="budget")


# The spoken short form's last digit (「1万5」 = 15,000), unless what follows makes it a count or a date.
_SHORT_FORM_DIGIT = rf"(?:[1-9一二两三四五六七八九](?![\d.{NUMERAL_CHARS}个家场天人位名周月日号年%％]))"

# An amount inside a sentence: optional currency sign, a number (Arabic or Chinese), a unit, a currency word.
AMOUNT_IN_TEXT = re.compile(
    rf"(?:[¥￥]\s*|(?:rmb|cny)\s*)?"
    rf"(?P<num>\d+(?:\.\d+)?(?:\s*[万亿千百](?:[\d{NUMERAL_CHARS}]*[万亿千百])?{_SHORT_FORM_DIGIT}?)?"
    rf"|[{NUMERAL_CHARS}]+)"
    rf"\s*(?P<unit>million|thousand|billion|mn|bn|[wWkK](?![a-zA-Z])|[mM](?![a-zA-Z]))?"
    rf"\s*(?P<cur>元人民币|块钱|块|元|rmb|cny|yuan|人民币)?",
    re.IGNORECASE,
)


__all__ = ["AMOUNT_EXAMPLE", "AMOUNT_IN_TEXT", "CURRENCY_MARKS", "CURRENCY_WORDS", "currency_in", "normalize_number_text",
           "parse_amount"]
