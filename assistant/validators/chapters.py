"""Missing chapters: every chapter the template requires must be in the plan (under any of its names)."""

from __future__ import annotations

import re

from assistant.plan import Brief, Finding, Plan
from assistant.validators.common import finding
from knowledge.templates import Template, TemplateChapter, load_template, normalize_heading

# Sub-headings inside chapter bodies: '### 风险' / '（一）应急预案' / '**效果评估**'.
_SUBHEADING = re.compile(r"^\s*(?:#{2,6}\s+.+|[（(][一二三四五六七八九十\d]{1,3}[)）].{1,30}|\*\*[^*]{2,30}\*\*\s*[:：]?)\s*$")


def _covers(template: Template, wanted: TemplateChapter, heading: str) -> bool:
    """Whether a heading names ``wanted``: it matches it best, or contains one of its names of 4+ characters."""
    matched = template.match(heading)
    if matched is not None and matched.key == wanted.key:
        return True
    text = normalize_heading(heading)
    # Only longer names count inside a heading: 「推广策略」 must not pass for 活动主题与策略.
    return any(len(alias) >= 4 and alias in text
               for alias in (normalize_heading(a) for a in wanted.aliases))


def check_chapters(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """A ``missing_chapter`` error for each required template chapter no heading of the plan names."""
    template = template or load_template("promotion")
    headings = [c.title for c in plan.chapters]
    subheadings = [ln for c in plan.chapters for ln in c.body.split("\n") if _SUBHEADING.match(ln)]
    findings: list[Finding] = []
    for wanted in template.required:
        if any(_covers(template, wanted, h) for h in headings + subheadings):
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
