"""Missing chapters: every chapter the template requires must be in the plan (under any of its names)."""

from __future__ import annotations

import re

from assistant.validators.common import finding
from core.plan import Brief, Finding, Plan
from knowledge.templates import Template, load_template, normalize_heading

# Sub-headings inside chapter bodies: '### 风险' / '（一）应急预案' / '**效果评估**'.
_SUBHEADING = re.compile(r"^\s*(?:#{2,6}\s+.+|[（(][一二三四五六七八九十\d]{1,3}[)）].{1,30}|\*\*[^*]{2,30}\*\*\s*[:：]?)\s*$")


def check_chapters(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """A ``missing_chapter`` error for each required template chapter no heading of the plan names.

    A heading names a chapter when it matches it best, or contains one of its names of 4+ characters
    (「活动主题与目标客群」 names both); only longer names count, so 「推广策略」 does not pass for
    活动主题与策略."""
    template = template or load_template("promotion", copy=False)
    headings = [c.title for c in plan.chapters]
    headings += [ln for c in plan.chapters for ln in c.body.split("\n") if _SUBHEADING.match(ln)]
    matched = {m.key for m in (template.match(h) for h in headings) if m is not None}
    texts = [normalize_heading(h) for h in headings]
    findings: list[Finding] = []
    for wanted in template.required:
        if wanted.key in matched or any(
            len(name) >= 4 and name in text for name in template.names(wanted) for text in texts
        ):
            continue
        title = wanted.title_in(plan.script)
        zh_title = wanted.title_in("zh-Hans")
        findings.append(finding(
            plan, "missing_chapter", "error",
            zh=f"缺少必备章节「{zh_title}」:请补充这一章(模板「{template.title['zh-Hans']}」要求)。",
            en=f"Missing required chapter '{title}': add it (the {template.title['en']} template requires it).",
        ))
    return findings


__all__ = ["check_chapters"]
