"""Chapters with a heading and nothing under it (「九、费用预算」 followed straight by 「十、预期效果」)."""

from __future__ import annotations

import re

from assistant.validators.common import finding
from core.plan import Brief, Finding, Plan
from knowledge.templates import Template

# What does not count as content: blank lines, rules, lone list marks, and 「(略)」-style notes.
_NOT_CONTENT = re.compile(r"^\s*(?:[-*_=]{3,}|[-*+•·]|\d+[.、)]|[（(]?\s*(?:略|无|暂无|空)\s*[)）]?|&nbsp;)?\s*$")


def check_empty_chapters(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """An ``empty_chapter`` error for each chapter whose heading has no text, list or table under it."""
    findings: list[Finding] = []
    for chapter in plan.chapters:
        if not chapter.supported:
            continue  # a drafted chapter the guidebooks could not support says so instead (unsupported_section)
        if any(not _NOT_CONTENT.match(line) for line in chapter.body.split("\n")):
            continue
        findings.append(finding(
            plan, "empty_chapter", "error",
            zh=f"「{chapter.title}」下没有内容:请补写这一章,或删去标题。",
            en=f"'{chapter.title}' has nothing under it: write the chapter or remove the heading.",
            line=chapter.line, chapter=chapter,
        ))
    return findings


__all__ = ["check_empty_chapters"]
