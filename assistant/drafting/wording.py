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
# 第一 is a claim after a ranking word (销量第一, 行业第一) or before 品牌/名; 第一季度 or 第一时间 is not.
_FIRST = re.compile(r"(?:销量|銷量|行业|行業|全国|全國|全网|全網|国内|國內|世界|全球|全省|全市|品类|品類|同类|同類|市场|市場|"
                    r"排名|位居|位列|堪称|堪稱|号称|號稱|当地|當地)\s*第一|第一\s*(?:品牌|名(?!单|單)|大品牌|家(?=[^\d]))")
# 最佳/最好/最优/唯一 give advice, not claims, before these words (最佳时机, 最好提前, 唯一标识).
_ADVICE_AFTER = re.compile(r"(?:时机|時機|时间|時間|时段|時段|时期|時期|窗口|方式|方法|做法|实践|實踐|路径|路徑|组合|組合|位置|"
                           r"节点|節點|状态|狀態|提前|在|是|能|不要|避免|安排|选择|選擇|控制|标识|標識|编码|編碼|码|碼|联系人|"
                           r"聯繫人|入口)")
_OFTEN = frozenset({"最佳", "最好", "最优", "最優", "唯一"})
_ABSOLUTE_RE = re.compile("|".join(re.escape(w) for w in sorted(_ABSOLUTE, key=len, reverse=True)))


def _claims(text: str) -> list[re.Match[str]]:
    return [m for m in _ABSOLUTE_RE.finditer(text)
            if m.group(0) not in _OFTEN or not _ADVICE_AFTER.match(text, m.end())]


def has_absolute_claim(text: str) -> bool:
    """True when ``text`` makes an absolute claim (最佳选择, 行业第一, 国家级 …)."""
    return bool(_claims(text) or _FIRST.search(text))


def soften(text: str) -> str:
    """``text`` with absolute claims replaced by modest wording (最佳选择 → 较好选择, 行业第一 → 行业领先);
    advice such as 最好提前 and ordinals such as 第一时间 stay as they are."""
    for m in reversed(_claims(text)):
        text = text[: m.start()] + _ABSOLUTE[m.group(0)] + text[m.end():]
    return _FIRST.sub(lambda m: m.group(0).replace("第一", "领先"), text)
