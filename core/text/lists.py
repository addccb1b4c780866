"""Names listed in a sentence, as each language writes a list: 「抖音、微信」, 'WeChat and Xiaohongshu',
'WeChat, Xiaohongshu and Douyin' (a bare comma list reads as running on: 'on WeChat, Xiaohongshu and collect
sign-ups')."""

from __future__ import annotations

from collections.abc import Sequence


def listed(items: Sequence[str], *, english: bool) -> str:
    """``items`` joined with 「、」, or in English with commas and a last 'and'."""
    if not english:
        return "、".join(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


__all__ = ["listed"]
