"""A chapter made more specific (「第五节写得更具体一点」): with a model, the section re-drafted from
its previous text with that instruction; offline, more of the guidebooks' points (cited) and the
plan's own dates and channels written out as execution details. The plan's numbers stay as they are."""

from __future__ import annotations

import re
from typing import Any

from assistant.drafting.guidance import pick_quotes
from assistant.drafting.outline import SectionSpec, build_outline
from assistant.drafting.queries import section_queries
from assistant.drafting.result import PlanFacts
from assistant.drafting.retrieve import CitationBook, retrieve_section
from assistant.drafting.timeline import phase_role
from core.errors import ModelError
from core.plan import Brief, Finding, Plan
from core.text.scripts import to_simplified
from knowledge.passage import Passage, quoted

MORE_QUOTES = 3
_INSTRUCTION = ("写得更具体:保留原有事实、数字与表格,补充可执行的细节——做什么、谁负责、在哪个阶段(写明日期)、"
                "通过哪些渠道、如何衡量。")


def _spec(plan: Plan, brief: Brief, index: int, template_name: str) -> SectionSpec:
    from knowledge.templates import load_template

    chapter = plan.chapters[index]
    outline = build_outline(brief, load_template(template_name), script=plan.script, include_optional=True)
    for spec in outline.sections:
        if spec.key == chapter.key:
            return spec.model_copy(update={"index": index, "heading": chapter.title})
    return SectionSpec(index=index, key=chapter.key or f"chapter{index + 1}", kind=chapter.key or "generic",
                       title=chapter.title, heading=chapter.title, purpose=to_simplified(chapter.title))


def _book(plan: Plan) -> CitationBook:
    book = CitationBook()
    for c in sorted(plan.citations, key=lambda c: c.n):
        book.number(Passage(text=c.text, doc=c.doc, title=c.title, section=c.section, start=c.start, end=c.end))
    return book


def _details(plan: Plan, brief: Brief, spec: SectionSpec) -> list[str]:
    """Execution details from the plan's own facts: each phase with its dates, channels, budget lines."""
    lines = ["执行细节:"]
    for phase in plan.phases:
        if phase.start and phase.end:
            role = phase_role(phase.name)
            owner = {"prepare": "策划与内容组", "warmup": "渠道执行组", "execute": "项目负责人与各渠道执行组",
                     "wrapup": "数据与客服组"}.get(role or "", "项目组")
            lines.append(f"- {to_simplified(phase.name)}({phase.start.isoformat()}至{phase.end.isoformat()}):"
                         f"{owner}负责{to_simplified(phase.work) or '推进本阶段工作'}")
    if brief.channels and spec.kind in ("channels", "promotion", "audience", "theme"):
        lines.append("- 渠道:" + "、".join(to_simplified(c) for c in brief.channels) + ",每个渠道指定一名负责人并每日回报数据")
    if plan.budget_lines and spec.kind in ("budget", "channels", "promotion", "offer", "risk"):
        top = max(plan.budget_lines, key=lambda line: line.amount)
        lines.append(f"- 预算:以「{to_simplified(top.item)}」为主要投入,按周核对实际支出与预算表")
    lines.append("- 衡量:每个阶段结束时对照评估指标复盘,偏差超过10%时调整下一阶段安排")
    return lines


def more_specific(plan: Plan, brief: Brief, index: int, drafter: Any, template_name: str, *,
                  quoting: list[tuple[str, str]] | None = None) -> Plan:
    """``plan`` with chapter ``index`` written more specifically (citations added as needed), in Simplified;
    the (Simplified, as written) pairs of the guidebook passages it may quote are added to ``quoting``."""
    spec = _spec(plan, brief, index, template_name)
    book = _book(plan)
    guidance = retrieve_section(section_queries(spec, brief) if spec.kind != "generic" else [spec.purpose],
                                drafter.retriever, book, k=8)
    if quoting is not None:
        quoting.extend(book.sources() + quoted(guidance.passages))
    chapter = plan.chapters[index]
    new_plan = plan.model_copy(deep=True)
    body: str | None = None
    model = getattr(drafter, "model", None)
    if model is not None:
        from assistant.drafting.write import write_section

        facts = PlanFacts(budget_lines=plan.budget_lines, budget_total=plan.budget_total, currency=plan.currency,
                          phases=plan.phases)
        try:
            draft = write_section(spec, brief, facts, guidance, model, plan.script, previous=chapter.body,
                                  findings=[Finding(code="more_specific", severity="warning", message=_INSTRUCTION)])
            body = draft.body
        except ModelError:
            body = None  # the offline details below still make it more specific
    if body is None:
        shown = to_simplified(chapter.body)
        quotes = [(s, n) for s, n in pick_quotes(guidance.numbered(), guidance.query or spec.purpose, limit=8)
                  if s not in shown][:MORE_QUOTES]
        extra = _details(plan, brief, spec)
        if quotes:
            extra += ["", "补充要点:"] + [f"- {s}[{n}]" for s, n in quotes]
        text = "\n".join(extra)
        body = chapter.body.rstrip() + "\n\n" + text
    new_plan.chapters[index].body = body
    known = {c.n for c in plan.citations}
    used = {int(n) for n in re.findall(r"\[(\d{1,3})\]", body)}
    for c in book.citations():
        if c.n not in known and c.n in used:
            new_plan.citations.append(c)
    return new_plan


__all__ = ["more_specific"]
