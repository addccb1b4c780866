"""Amounts of money written the way plans and messages write them, in the plan's currency: 30万元, 2万美元,
新台幣5萬元, 港币15万元, 1,500元; 'CNY 300,000', 'USD 20,000' in English."""

from __future__ import annotations

from core.text.scripts import Script

# How a Chinese sentence names each currency: the word before the amount and the unit after it (新台币5万元, 2万美元).
# The codes are core.text.amounts.CURRENCY_WORDS' (how a currency is read); this is how one is written.
_CHINESE_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "CNY": {"zh-Hans": ("", "元"), "zh-Hant": ("", "元")},
    "USD": {"zh-Hans": ("", "美元"), "zh-Hant": ("", "美元")},
    "TWD": {"zh-Hans": ("新台币", "元"), "zh-Hant": ("新台幣", "元")},
    "HKD": {"zh-Hans": ("港币", "元"), "zh-Hant": ("港幣", "元")},
}
_AMOUNT_HEADER = {"zh-Hans": "金额", "zh-Hant": "金額"}
# A currency named on its own in a Chinese sentence (「币种改为美元」): 元 alone would not say which.
_CHINESE_CURRENCY = {"CNY": "人民币", "USD": "美元", "TWD": "新台币", "HKD": "港币"}


def _chinese_name(currency: str, script: Script) -> tuple[str, str]:
    """(word before, unit after) for ``currency`` in a Chinese sentence; a code this table lacks is written as
    its code (EUR 5万)."""
    names = _CHINESE_NAMES.get(currency.upper())
    if names is None:
        return f"{currency.upper()} ", ""
    return names["zh-Hant" if script == "zh-Hant" else "zh-Hans"]


def currency_words(currency: str) -> list[tuple[str, str]]:
    """(Simplified, Traditional) pairs of how a Chinese plan names ``currency`` (新台币 → 新台幣), as written here:
    sources for converting a Simplified draft, so the name is not opencc's (新臺幣)."""
    names = _CHINESE_NAMES.get(currency.upper(), {})
    if not names:
        return []
    pairs = zip(names["zh-Hans"], names["zh-Hant"], strict=True)
    return [(simple, written) for simple, written in pairs if simple and simple != written]


def currency_name(currency: str, script: Script = "zh-Hans") -> str:
    """A currency named on its own: 人民币, 美元, 新台币, 港币 in Chinese (Simplified; a plan's reply is converted at the
    edge), the ISO code in English and for a code this table lacks."""
    if script == "en":
        return currency.upper()
    return _CHINESE_CURRENCY.get(currency.upper(), currency.upper())


def currency_unit(currency: str = "CNY", script: Script = "zh-Hans") -> str:
    """The unit a table column of amounts is in: 元, 美元, 新台幣元, 港币元; the ISO code in English."""
    if script == "en":
        return currency.upper()
    before, after = _chinese_name(currency, script)
    return f"{before}{after}".strip() or currency.upper()


def amount_header(currency: str = "CNY", script: Script = "zh-Hans") -> str:
    """A budget table's amount column: 金额(元), 金额(美元), 金額(新台幣元), Amount (USD)."""
    if script == "en":
        return f"Amount ({currency_unit(currency, script)})"
    return f"{_AMOUNT_HEADER.get(script, '金额')}({currency_unit(currency, script)})"


def table_amount(amount: float) -> str:
    """An amount for a 金额(元) table cell: '105,000' (two decimals only when there are cents)."""
    return f"{amount:,.0f}" if float(amount).is_integer() else f"{amount:,.2f}"


def money(amount: float, script: Script = "zh-Hans", *, wan_decimals: int = 2, currency: str = "CNY",
          unit: bool = True) -> str:
    """An amount for a sentence in ``currency`` (an ISO code: CNY, USD, TWD, HKD): in 亿 when it is a whole number of
    亿 to ``wan_decimals`` places (1.2亿元), in 万 when it is at least 10,000 and a whole number of 万 to
    ``wan_decimals`` places (30万元, 2万美元, 新台幣5萬元; 萬 in Traditional), else with thousands separators
    (1,500元); 'CNY 300,000', 'USD 20,000' in English. ``unit=False`` writes the bare Chinese amount (50万)."""
    if script == "en":
        return f"{currency.upper()} {table_amount(amount)}"
    before, after = _chinese_name(currency, script) if unit else ("", "")
    yi = amount / 100_000_000
    if amount >= 100_000_000 and yi == round(yi, wan_decimals):
        number = f"{yi:g}{'億' if script == 'zh-Hant' else '亿'}"  # 1.2亿元, not 12000万元
    elif amount >= 10_000 and (wan := amount / 10_000) == round(wan, wan_decimals):
        number = f"{wan:g}{'萬' if script == 'zh-Hant' else '万'}"
    else:
        number = table_amount(amount)
    return f"{before}{number}{after}"


__all__ = ["amount_header", "currency_name", "currency_unit", "currency_words", "money", "table_amount"]
