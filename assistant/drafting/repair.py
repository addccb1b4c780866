"""Stages 6–7: check a drafted plan the way a person's plan is checked (its Markdown re-parsed,
then the validators), and find which sections the errors belong to so they can be re-drafted."""

from __future__ import annotations

from typing import Any

from assistant.drafting.outline import Outline, SectionSpec
from core.plan import Brief, Finding, Plan

# Error codes that always belong to the section of one kind, wherever the validator reports them.
_KIND_OF_CODE: dict[str, str] = {
    "budget_sum_mismatch": "budget",
    "budget_total_mismatch": "budget",
    "budget_share_mismatch": "budget",
    "timeline_order": "timeline",
    "timeline_overlap": "timeline",
    "timeline_window_mismatch": "timeline",
    "timeline_duration_mismatch": "timeline",
}


def validate_markdown(markdown: str, plan: Plan, brief: Brief, template: Any) -> list[Finding]:
    """Findings for ``markdown`` re-parsed the way a person's plan is (so the text must round-trip),
    keeping ``plan``'s own record of which chapters no guidance supported."""
    from assistant.validators import validate_plan

    parsed = Plan.from_markdown(markdown, template)
    supported = {c.title: c.supported for c in plan.chapters}
    by_key = {c.key: c.supported for c in plan.chapters if c.key}
    chapters = []
    for chapter in parsed.chapters:
        flag = by_key.get(chapter.key) if chapter.key in by_key else supported.get(chapter.title, True)
        chapters.append(chapter.model_copy(update={"supported": bool(flag)}))
    parsed = parsed.model_copy(update={"chapters": chapters, "currency": plan.currency})
    return validate_plan(parsed, brief=brief, template=template)


def _section_for(finding: Finding, outline: Outline, template: Any) -> SectionSpec | None:
    kind = _KIND_OF_CODE.get(finding.code)
    if finding.chapter:
        for spec in outline.sections:
            if finding.chapter in (spec.key, spec.heading, spec.title):
                return spec
        matched = template.match(finding.chapter) if hasattr(template, "match") else None
        if matched is not None:
            for spec in outline.sections:
                if spec.key == matched.key:
                    return spec
    if kind is not None:
        return next((s for s in outline.sections if s.kind == kind), None)
    if finding.code == "missing_chapter":
        for spec in outline.sections:
            if spec.key in finding.message or spec.title in finding.message:
                return spec
    return None


def failing_sections(findings: list[Finding], outline: Outline, template: Any) -> list[tuple[SectionSpec, list[Finding]]]:
    """The sections with error findings, in outline order, each with its errors."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        if finding.severity != "error":
            continue
        spec = _section_for(finding, outline, template)
        if spec is not None:
            grouped.setdefault(spec.key, []).append(finding)
    return [(spec, grouped[spec.key]) for spec in outline.sections if spec.key in grouped]
