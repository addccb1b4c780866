"""Wording China's Advertising Law (广告法 §9) forbids in ads: absolute claims such as 最佳, 第一, 国家级.

Only claims are flagged: 「第一章」「第一阶段」「第一时间」 are ordinals, 「最佳时机」 is advice, 「最高500元」 a cap."""

from __future__ import annotations

import re

from assistant.plan import Brief, Finding, Plan
from assistant.validators.common import finding, text_lines
from core.text.scripts import to_simplified
from knowledge.templates import Template

# Words that are claims wherever they appear.
_ALWAYS = ("国家级", "世界级", "全球级", "宇宙级", "最高级", "最先进", "最低价", "全网最低", "史上最低", "最便宜", "顶级",
           "极致", "独一无二", "无与伦比", "万能", "最优秀", "最强", "最受欢迎", "全网销量冠军", "销量冠军")
# 最佳/最好/最优/唯一: claims unless what follows makes them advice or an identifier.
_ADVICE_AFTER = re.compile(r"^(?:时机|时间|时段|时期|窗口|方式|方法|做法|实践|路径|组合|位置|节点|状态|提前|在|是|能|"
                           r"不要|避免|安排|选择|控制|标识|编码|码|联系人|入口)")
_OFTEN = ("最佳", "最好", "最优", "唯一")
# 「转化效果最好的渠道」 compares the plan's own options; it is analysis, not a claim about a product.
_MEASURE_BEFORE = re.compile(r"(?:效果|转化|转化率|表现|反馈|数据|成绩|roi|回报|业绩|时机|哪个|哪些|选择|找出|评估出)\s*$", re.I)
# 第一 is a claim after a ranking word (销量第一, 行业第一) or before 品牌/名.
_FIRST_CLAIM = re.compile(r"(?:销量|行业|全国|全网|国内|世界|全球|全省|全市|品类|同类|市场|排名|位居|位列|堪称|号称|当地)"
                          r"\s*第一(?!\s*(?:季度|阶段|章|节|步|期|批|次|轮|天|周|个|时间|波|场|年|月|部分))"
                          r"|第一\s*(?:品牌|名(?!单)|大品牌|家(?=[^\d]))")
_PERCENT_CLAIM = re.compile(r"(?:保证|承诺|绝对)\s*(?:100\s*%|百分之百|百分百)|(?:100\s*%|百分之百|百分百)\s*(?:纯|天然|有效|安全|正品|满意|好评|无|不|保证|保真|真|原装|"
                            r"纯正|健康|治愈|零|成功|效果)")
_EN_CLAIMS = re.compile(r"\b(?:the best(?!\s+(?:results?|time|timing|way|ways|practices?|channels?|approach|effect|"
                        r"outcomes?|option|slots?|window|moment|use))|world'?s best|best-ever|number one|no\.\s?1|#1|the only|100% (?:natural|pure|"
                        r"safe|effective|guaranteed)|state-level|world-class|top-grade|ultimate|unbeatable)\b", re.I)


def _claims(text: str) -> list[str]:
    """The forbidden absolute claims in a line of (Simplified) text, in order of appearance."""
    found: list[tuple[int, str]] = []
    for word in _ALWAYS:
        for m in re.finditer(word, text):
            found.append((m.start(), word))
    for word in _OFTEN:
        for m in re.finditer(word, text):
            if _ADVICE_AFTER.match(text[m.end() :]) or _MEASURE_BEFORE.search(text[: m.start()]):
                continue
            found.append((m.start(), word))
    for regex in (_FIRST_CLAIM, _PERCENT_CLAIM, _EN_CLAIMS):
        for m in regex.finditer(text):
            found.append((m.start(), m.group(0)))
    # Keep the longer word where two overlap (全网最低 over 最低价 is fine to report once).
    found.sort()
    out: list[str] = []
    last_end = -1
    for pos, word in found:
        if pos >= last_end:
            out.append(word)
            last_end = pos + len(word)
    return out


def check_wording(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """An ``ad_law_wording`` warning per line with absolute claims, and an ``unsupported_section`` warning
    per chapter the guidebooks did not support."""
    findings: list[Finding] = []
    for title_claims in ([_claims(to_simplified(plan.title))] if plan.title else []):
        if title_claims:
            findings.append(_wording_finding(plan, title_claims, None))
    for chapter in plan.chapters:
        heading_claims = _claims(to_simplified(chapter.title))
        if heading_claims:
            findings.append(_wording_finding(plan, heading_claims, chapter.line, chapter))
    for tl in text_lines(plan):
        claims = _claims(to_simplified(tl.text))
        if claims:
            findings.append(_wording_finding(plan, claims, tl.line, tl.chapter))
    for chapter in plan.chapters:
        if not chapter.supported:
            findings.append(finding(
                plan, "unsupported_section", "warning",
                zh=f"「{chapter.title}」在指南中没有找到依据:请人工核实本章内容。",
                en=f"'{chapter.title}' is not supported by the guidebooks: check this chapter by hand.",
                line=chapter.line, chapter=chapter,
            ))
    return findings


def _wording_finding(plan: Plan, claims: list[str], line: int | None, chapter=None) -> Finding:  # type: ignore[no-untyped-def]
    words = "、".join(f"「{c}」" for c in dict.fromkeys(claims))
    en_words = ", ".join(f"'{c}'" for c in dict.fromkeys(claims))
    return finding(
        plan, "ad_law_wording", "warning",
        zh=f"{words}属于《广告法》禁止的绝对化用语:请改为可证实的具体描述。",
        en=f"{en_words}: absolute claims China's Advertising Law forbids; use specific, verifiable wording.",
        line=line, chapter=chapter,
    )


__all__ = ["check_wording"]
