"""Wording rules for drafted text: no absolute advertising claims (广告法 bans 最佳/第一/国家级 …)."""

from __future__ import annotations

import re

# Absolute claims the advertising law forbids, with a modest replacement for model output.
_ABSOLUTE: dict[str, str] = {
    "国家级": "高标准",
    "國家級": "高標準",
    "世界级": "高水准",
    "世界級": "高水準",
    "最佳": "较好",
    "最好": "更好",
    "最优": "更优",
    "最優": "更優",
    "最低价": "优惠价",
    "最低價": "優惠價",
    "最高级": "高品质",
    "最高級": "高品質",
    "最先进": "先进",
    "最先進": "先進",
    "顶级": "高品质",
    "頂級": "高品質",
    "极品": "精品",
    "極品": "精品",
    "史上最": "更加",
    "全网最": "更加",
    "全網最": "更加",
    "绝对": "十分",
    "絕對": "十分",
    "唯一": "专属",
    "首选": "优选",
    "首選": "優選",
    "第一品牌": "知名品牌",
    "全球级": "高水准",
    "宇宙级": "高水准",
    "全网最低": "优惠",
    "史上最低": "优惠",
    "最便宜": "更实惠",
    "极致": "出色",
    "極致": "出色",
    "独一无二": "独具特色",
    "獨一無二": "獨具特色",
    "无与伦比": "出色",
    "無與倫比": "出色",
    "万能": "多用途",
    "萬能": "多用途",
    "最优秀": "优秀",
    "最優秀": "優秀",
    "最强": "强劲",
    "最強": "強勁",
    "最受欢迎": "受欢迎",
    "最受歡迎": "受歡迎",
    "销量冠军": "热销",
    "銷量冠軍": "熱銷",
}
# 第一 is an absolute claim unless it counts something (第一季度, 第一阶段, 第一步 …).
_FIRST = re.compile(r"第一(?!季|阶|階|步|天|周|週|轮|輪|批|期|章|节|節|部|次|个|個|条|條|项|項|档|檔|波|场|場)")
_ABSOLUTE_RE = re.compile("|".join(re.escape(w) for w in sorted(_ABSOLUTE, key=len, reverse=True)))


def has_absolute_claim(text: str) -> bool:
    """True when ``text`` makes an absolute claim (最佳, 第一, 国家级 …)."""
    return bool(_ABSOLUTE_RE.search(text) or _FIRST.search(text))


def soften(text: str) -> str:
    """``text`` with absolute claims replaced by modest wording (最佳 → 较好, 第一 → 领先)."""
    text = _ABSOLUTE_RE.sub(lambda m: _ABSOLUTE[m.group(0)], text)
    return _FIRST.sub("领先", text)
