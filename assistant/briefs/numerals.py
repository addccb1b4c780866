"""Chinese numerals in dates and counts (values through ``core.text.numerals``): 九月十日 → 9月10日,
二〇二七年 → 2027年, 十五号 → 15号, 两 → 2, 半 → 0.5."""

from __future__ import annotations

import re

from core.text.numerals import parse_ordinal

_CN = "零〇一二两三四五六七八九十百"
_YEAR = re.compile(r"(?P<n>[零〇一二三四五六七八九]{4})(?=\s*年)")
# A numeral right before 月 (not 个月), before 日/号 after a month or a range word, before 号 anywhere,
# or a day after 月: 「九月十日」「十月一号到十月七号」「到二十日」「一号」.
_MONTH = re.compile(rf"(?<![{_CN}个第])(?P<n>[一二三四五六七八九十]{{1,3}})(?=\s*月(?!份?\s*[{_CN}]*\s*个))")
_DAY = re.compile(rf"(?:(?<=月)|(?<=[到至~\-—]))\s*(?P<n>[{_CN}]{{1,3}})(?=\s*[日号])|(?<![{_CN}\d])(?P<h>[{_CN}]{{1,3}})(?=\s*号)")


def _value(numeral: str) -> int | None:
    return parse_ordinal(numeral)


def chinese_count(text: str) -> float | None:
    """The count ``text`` writes (5, 十, 两, 二十五, 半 → 0.5, 一个半 not handled), or None."""
    text = text.strip()
    if not text:
        return None
    if text == "半":
        return 0.5
    if text.isdigit():
        return float(text)
    value = _value(text)
    return float(value) if value is not None else None


def arabic_dates(text: str) -> str:
    """``text`` with the Chinese numerals of years, months and days written as Arabic digits
    (二〇二七年三月一日 → 2027年3月1日); other numerals (一个月, 双十一, 五一) are left alone."""
    text = _YEAR.sub(lambda m: "".join(str("零一二三四五六七八九".find(c) if c != "〇" else 0) for c in m.group("n")),
                     text)

    def month(m: re.Match[str]) -> str:
        value = _value(m.group("n"))
        return str(value) if value is not None and 1 <= value <= 12 else m.group(0)

    text = _MONTH.sub(month, text)

    def day(m: re.Match[str]) -> str:
        numeral = m.group("n") or m.group("h")
        value = _value(numeral)
        if value is None or not 1 <= value <= 31:
            return m.group(0)
        return m.group(0).replace(numeral, str(value))

    return _DAY.sub(day, text)


__all__ = ["arabic_dates", "chinese_count"]
