"""What every validator shares: findings worded for the plan (Simplified or English), and the plan's text line by line."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from core.plan import Chapter, Finding, Plan, Severity
from core.text.money import money as format_money

_TABLE_LINE = re.compile(r"^\s*\|")


def message(plan: Plan, zh: str, en: str) -> str:
    """The message for the plan's language: ``en`` for English plans, else ``zh`` in Simplified
    (``validate_plan`` gives it the plan's script)."""
    return en if plan.script == "en" else zh


def location(plan: Plan, chapter: Chapter | None, line: int | None) -> str:
    """Where to look, e.g. '七、费用预算, line 33' / '七、費用預算,第33行'."""
    parts: list[str] = []
    if chapter is not None:
        parts.append(chapter.title)
    if line is not None:
        parts.append(f"line {line}" if plan.script == "en" else f"第{line}行")
    sep = ", " if plan.script == "en" else ","
    return sep.join(parts) if parts else (plan.title or message(plan, "整份方案", "whole plan"))


def chapter_at(plan: Plan, line: int | None) -> Chapter | None:
    """The chapter a line number falls in (the last chapter starting at or before it)."""
    if line is None:
        return None
    found: Chapter | None = None
    for chapter in plan.chapters:
        if chapter.line is not None and chapter.line <= line:
            found = chapter
    return found


def finding(plan: Plan, code: str, severity: Severity, zh: str, en: str, *, line: int | None = None,
            chapter: Chapter | None = None) -> Finding:
    """A Finding with its message in the plan's script and a location naming chapter and line."""
    chapter = chapter or chapter_at(plan, line)
    return Finding(code=code, severity=severity, message=message(plan, zh, en),
                   location=location(plan, chapter, line), chapter=chapter.title if chapter else None, line=line)


@dataclass
class TextLine:
    """One line of a chapter body with its line number in the file (None for plans built in memory)."""

    chapter: Chapter
    text: str
    line: int | None
    in_table: bool


def text_lines(plan: Plan) -> Iterator[TextLine]:
    """Every body line of every chapter, with its file line number when the plan was parsed."""
    for chapter in plan.chapters:
        for offset, text in enumerate(chapter.body.split("\n")):
            line = chapter.body_line + offset if chapter.body_line is not None else None
            yield TextLine(chapter, text, line, bool(_TABLE_LINE.match(text)))


def money(plan: Plan, amount: float) -> str:
    """An amount for a message in the plan's script and currency: 30万元 / 2万美元, USD 20,000 in English."""
    return format_money(amount, plan.script, currency=plan.currency)


def day(plan: Plan, value: object) -> str:
    """A date for a message in ISO form (unambiguous in every script)."""
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


__all__ = ["TextLine", "chapter_at", "day", "finding", "location", "message", "money", "text_lines"]
