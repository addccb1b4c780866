"""Stage 2: one retrieval query per section, from the section's purpose and the brief's facts."""

from __future__ import annotations

from assistant.drafting.outline import SectionSpec
from assistant.plan import Brief
from knowledge.scripts import to_simplified

# Words that steer retrieval toward the guidebook passages each kind of section needs.
_KIND_TERMS: dict[str, str] = {
    "background": "活动背景 目标设定",
    "goals": "目标设定 关键指标",
    "theme": "活动主题 创意 策略",
    "audience": "目标客户群体 范围",
    "timeline": "时间规划 进度安排",
    "channels": "宣传推广 渠道选择",
    "promotion": "宣传推广 广告 媒体",
    "offer": "促销方式 优惠",
    "pricing": "价格策略",
    "product": "产品策略",
    "service": "客户服务 售后",
    "budget": "预算 费用",
    "risk": "风险 应急预案",
    "evaluation": "效果评估 指标",
    "staffing": "团队分工 人员",
}

# Brief facts that sharpen the query for a kind (others would only add noise).
_FACTS_FOR_KIND: dict[str, tuple[str, ...]] = {
    "background": ("occasion", "product"),
    "theme": ("occasion", "product"),
    "audience": ("audience",),
    "channels": ("channels",),
    "promotion": ("channels",),
    "offer": ("product",),
    "pricing": ("product",),
    "product": ("product",),
}


def section_query(section: SectionSpec, brief: Brief, *, max_chars: int = 120) -> str:
    """The retrieval query for ``section``: its purpose, its kind's key terms and the brief facts
    that matter for it, in Simplified script (the index matches in Simplified)."""
    parts: list[str] = [section.purpose or section.title, _KIND_TERMS.get(section.kind, "")]
    for field in _FACTS_FOR_KIND.get(section.kind, ()):
        value = getattr(brief, field)
        if isinstance(value, list):
            parts.append(" ".join(value))
        elif value:
            parts.append(str(value))
    words: list[str] = []
    for part in parts:
        for word in to_simplified(part).split():
            if word not in words:
                words.append(word)
    return " ".join(words)[:max_chars].strip()
