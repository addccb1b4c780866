"""Stage 2: one retrieval query per section, from the section's purpose and the brief's facts."""

from __future__ import annotations

from assistant.drafting.kinds import brief_terms, choose_kind, kind_terms, section_terms
from assistant.drafting.outline import SectionSpec
from core.plan import Brief
from core.text.scripts import to_simplified

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


def _join(parts: list[str], max_chars: int) -> str:
    words: list[str] = []
    for part in parts:
        for word in to_simplified(part).split():
            if word not in words:
                words.append(word)
    return " ".join(words)[:max_chars].strip()


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
    return _join(parts, max_chars)


def _brief_words(brief: Brief, section_kind: str) -> list[str]:
    """The brief's own words that matter for a section: canonical mechanic and channel names, product."""
    terms = brief_terms(brief)
    words: list[str] = []
    if section_kind in ("offer", "pricing", "product", "theme", "background"):
        words += [t.name for t in terms if not t.is_channel]
        words.append(brief.product)
    if section_kind in ("theme", "background") and brief.occasion:
        words.append(brief.occasion)
    if section_kind == "audience" and brief.audience:
        words.append(brief.audience)
    if section_kind in ("channels", "promotion", "audience"):
        words += [t.name for t in terms if t.is_channel]
    if section_kind in ("risk", "budget"):
        words += [t.name for t in terms if not t.is_channel][:2]
    return [w for w in words if w]


def section_queries(section: SectionSpec, brief: Brief, kind: str | None = None) -> list[str]:
    """Queries for ``section`` from the most specific to the most general: the section's key terms with
    what this kind of campaign needs there and the brief's own mechanics, channels and product; then
    the section's terms with the kind's; then its purpose; then its key terms alone. Retrieval stops
    at the first that matches well: the guidebooks describe method, so a brand's own words often
    match nothing."""
    kind = kind or choose_kind(brief)
    base = _KIND_TERMS.get(section.kind, section.title)
    specific = section_terms(kind, section.kind)
    candidates = [
        _join([base, specific, *_brief_words(brief, section.kind)], 120),
        _join([base, specific or kind_terms(kind)], 120),
        section_query(section, brief),
        _join([section.purpose or section.title], 120),
        _join([base], 120),
    ]
    out: list[str] = []
    for query in candidates:
        if query and query not in out:
            out.append(query)
    return out
