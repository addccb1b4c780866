"""Wording China's Advertising Law (广告法 §9) forbids in ads: absolute claims such as 最佳, 第一, 国家级,
found with the lexicon the drafter softens by (``core.adlaw``).

Only claims are flagged: 「第一章」「第一阶段」「第一时间」 are ordinals, 「最佳时机」 is advice, 「最高500元」 a cap."""

from __future__ import annotations

from assistant.validators.common import finding, text_lines
from core.adlaw import claims
from core.plan import Brief, Finding, Plan
from knowledge.templates import Template


def _claims(text: str) -> list[str]:
    """The forbidden absolute claims in a line, in order, as they read (销量第一)."""
    return [claim.shown for claim in claims(text)]


def check_wording(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """An ``ad_law_wording`` warning per line with absolute claims, and an ``unsupported_section`` warning
    per chapter the guidebooks did not support."""
    findings: list[Finding] = []
    for title_claims in ([_claims(plan.title)] if plan.title else []):
        if title_claims:
            findings.append(_wording_finding(plan, title_claims, None))
    for chapter in plan.chapters:
        heading_claims = _claims(chapter.title)
        if heading_claims:
            findings.append(_wording_finding(plan, heading_claims, chapter.line, chapter))
    for tl in text_lines(plan):
        claims = _claims(tl.text)
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
