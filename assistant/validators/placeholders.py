"""Blanks left to fill: 20__年 / 8月_日 / __影城 / xx路 / 某某 / 上海**汽车 / 待定 / TBD."""

from __future__ import annotations

from collections.abc import Iterator

from assistant.validators.common import finding, text_lines
from core.plan import Brief, Finding, Plan
from core.text.blanks import blanks_in as placeholders_in
from knowledge.templates import Template


def _lines(plan: Plan) -> Iterator[tuple[str, int | None, object]]:
    for chapter in plan.chapters:
        yield chapter.title, chapter.line, chapter
    for tl in text_lines(plan):
        yield tl.text, tl.line, tl.chapter


def check_placeholders(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """A ``placeholder`` error for each line still holding a blank to fill (dates, names, places, 待定/TBD)."""
    findings: list[Finding] = []
    if found := placeholders_in(plan.title):
        findings.append(_finding(plan, found, None, None))
    for text, line, chapter in _lines(plan):
        found = placeholders_in(text)
        if found:
            findings.append(_finding(plan, found, line, chapter))
    return findings


def _finding(plan: Plan, found: list[str], line: int | None, chapter: object) -> Finding:
    shown = "」「".join(found[:3])
    shown_en = "', '".join(found[:3])
    return finding(
        plan, "placeholder", "error",
        zh=f"「{shown}」是尚未填写的占位内容:请填上具体的日期、名称或地点,定不下来的写明确定时间和负责人。",
        en=f"'{shown_en}' is a blank still to fill: write the actual date, name or place "
           f"(or who decides it, by when).",
        line=line, chapter=chapter,  # type: ignore[arg-type]
    )


__all__ = ["check_placeholders", "placeholders_in"]
