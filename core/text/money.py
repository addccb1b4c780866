"""Amounts of money written the way plans and messages write them: 30万元, 1.5万元, 1,500元, CNY 300,000."""

from __future__ import annotations

from core.text.scripts import Script


def table_amount(amount: float) -> str:
    """An amount for a 金额(元) table cell: '105,000' (two decimals only when there are cents)."""
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def money(amount: float, script: Script = "zh-Hans", *, wan_decimals: int = 2, currency: str = "元") -> str:
    """An amount for a sentence: in 亿 when it is a whole number of 亿 to ``wan_decimals`` places (1.2亿元), in 万 when it is at least 10,000 and a whole number of 万 to
    ``wan_decimals`` places (30万元, 1.5万元; 萬 in Traditional), else in 元 with thousands separators
    (1,500元); 'CNY 300,000' in English. ``currency`` is the word after a Chinese amount ('' for none)."""
    if script == "en":
        return f"CNY {table_amount(amount)}"
    yi = amount / 100_000_000
    if amount >= 100_000_000 and yi == round(yi, wan_decimals):
        return f"{yi:g}{'億' if script == 'zh-Hant' else '亿'}{currency}"  # 1.2亿元, not 12000万元
    wan = amount / 10_000
    if amount >= 10_000 and wan == round(wan, wan_decimals):
        return f"{wan:g}{'萬' if script == 'zh-Hant' else '万'}{currency}"
    return f"{table_amount(amount)}{currency}"


__all__ = ["money", "table_amount"]
