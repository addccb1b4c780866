"""Validating a plan, the one service the CLI, the API and the chat channels call: read the file (Markdown,
text or Word), recognise the plan's kind unless one is forced, and run every validator."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from assistant.plan_files import plan_text
from assistant.validators import validate_plan
from assistant.validators.chapters import read_by_text
from core.errors import PlanFormatError
from core.plan import Brief, Finding, Plan
from core.text.scripts import compact_simplified
from knowledge.templates import (
    Template,
    TemplateChapter,
    choose_template,
    list_templates,
    load_template,
    normalize_heading,
)


@dataclass
class Validation:
    """What validating a plan gives: the plan as read, the template it was judged by, and the findings."""

    plan: Plan
    template: Template
    chosen: bool  # True when the template was recognised from the plan, False when forced
    findings: list[Finding]
    kind_known: bool = True  # False when the plan says too little to tell its kind (checked without one)

    @property
    def ok(self) -> bool:
        """True when no finding is an error."""
        return not any(f.severity == "error" for f in self.findings)


def read_plan(text: str, template_name: str | None = None) -> tuple[Plan, Template, bool]:
    """The plan in Markdown ``text``, read with its template: ``template_name`` when given, else the one
    its title and headings fit best (the plan is read again when that is not the default)."""
    if template_name:
        template = load_template(template_name, copy=False)
        return Plan.from_markdown(text, template), template, False
    outline, read_with = _outline(text)
    template = choose_template(outline.title, [c.title for c in outline.chapters])
    plan = outline if template.name == read_with.name else Plan.from_markdown(text, template)
    return _with_text_read(text, plan, template), template, True


class _ReadAs:
    """A template that also names the chapters ``read_by_text`` read by their text (the reader's matcher)."""

    def __init__(self, template: Template, readings: dict[str, TemplateChapter]) -> None:
        self.template, self.readings = template, readings

    def match(self, heading: str) -> TemplateChapter | None:
        return self.template.match(heading) or self.readings.get(heading.strip().lstrip("#").strip().strip("*_ ").strip())


def _with_text_read(text: str, plan: Plan, template: Template) -> Plan:
    """``plan`` read again when a chapter its heading does not name is its timeline or budget by its text
    (「三、节奏」 listing 蓄水期 10.20-10.31…): its phases and budget lines are the plan's, as under 「时间安排」."""
    wanted = tuple(k for k, missing in (("timeline", not plan.phases), ("budget", not plan.budget_lines)) if missing)
    readings = read_by_text(plan, template, wanted) if wanted else {}
    if not readings:
        return plan
    return Plan.from_markdown(text, _ReadAs(template, readings))


def _outline(text: str) -> tuple[Plan, Template]:
    """The title and chapter headings, read with the first template whose chapter names make headings of
    the plan's weaker heading lines (「1、…」「活动一:…」); PlanFormatError when none does."""
    first_error: PlanFormatError | None = None
    for name in ["promotion"] + [n for n in list_templates() if n != "promotion"]:
        template = load_template(name, copy=False)
        try:
            outline = Plan.from_markdown(text, template)
        except PlanFormatError as exc:
            first_error = first_error or exc
            if "no chapters found" not in exc.message:
                raise
            continue
        return outline, template
    assert first_error is not None
    raise first_error


KIND_MODEL = Path(__file__).with_name("plan_kind.json")


@lru_cache(maxsize=1)
def kind_cutoff() -> int:
    """How many of a kind's chapters a plan must show to be judged as that kind (fitted on the labelled dev
    plans by ``tests/bench/fit_plan_kind.py``)."""
    return int(json.loads(KIND_MODEL.read_text(encoding="utf-8"))["min_chapters"])


def title_names_kind(title: str, template: Template) -> bool:
    """Whether ``title`` names ``template``'s kind by one of its keywords. A keyword that is all digits (「315」
    「618」) is matched as written: read as a heading's numbering it would be empty and in every title."""
    if not title:
        return False
    forms = (normalize_heading(title), compact_simplified(title).lower())
    words = (normalize_heading(k) or compact_simplified(k).lower() for k in template.keywords)
    return any(word and word in form for word in words for form in forms)


def kind_shown(plan: Plan, template: Template) -> bool:
    """Whether the plan shows it is of ``template``'s kind: ``kind_cutoff()`` of its headings are the kind's
    chapters, or its title names the kind. Less (「# 方案 / ## 一、背景」) cannot tell a channel plan from a promotion."""
    matched = sum(1 for c in plan.chapters if template.match(c.title) is not None)
    return matched >= kind_cutoff() or title_names_kind(plan.title, template)


def validate_text(text: str, brief: Brief | None = None, template_name: str | None = None) -> Validation:
    """Validate a Markdown plan (PlanFormatError when it is empty or has no chapters). A plan too short to
    tell its kind is checked without a kind's chapter list, and a finding says so."""
    plan, template, chosen = read_plan(text, template_name)
    known = not chosen or kind_shown(plan, template)
    return Validation(plan, template, chosen, validate_plan(plan, brief=brief, template=template, kind_known=known),
                      kind_known=known)


def validate_file(data: bytes, name: str, brief: Brief | None = None,
                  template_name: str | None = None) -> Validation:
    """Validate a plan file's bytes: Markdown or text (UTF-8, GB18030) or Word (.docx)."""
    return validate_text(plan_text(data, name), brief, template_name)


__all__ = ["Validation", "read_plan", "validate_file", "validate_text"]
