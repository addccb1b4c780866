"""Stage 5: drafted sections → one Plan and its Markdown, citations renumbered in order of use."""

from __future__ import annotations

import re

from assistant.drafting.outline import Outline
from assistant.drafting.result import PlanFacts, SectionDraft
from core.plan import Brief, Chapter, Citation, Plan

_MARKER = re.compile(r"\[(\d{1,3})\]")


def renumber(drafts: list[SectionDraft], citations: list[Citation]) -> tuple[list[SectionDraft], list[Citation]]:
    """Drafts whose citation markers are renumbered 1..n in order of first use, markers that point
    at no retrieved passage removed, and the citations actually used, in that order."""
    by_n = {c.n: c for c in citations}
    mapping: dict[int, int] = {}
    used: list[Citation] = []

    def replace(match: re.Match[str]) -> str:
        old = int(match.group(1))
        if old not in by_n:
            return ""
        if old not in mapping:
            mapping[old] = len(mapping) + 1
            used.append(by_n[old].model_copy(update={"n": mapping[old]}))
        return f"[{mapping[old]}]"

    out: list[SectionDraft] = []
    for draft in drafts:
        body = _MARKER.sub(replace, draft.body)
        numbers = sorted({int(n) for n in _MARKER.findall(body)})
        out.append(draft.model_copy(update={"body": body, "citations": numbers}))
    return out, used


def build_plan(outline: Outline, brief: Brief, drafts: list[SectionDraft], citations: list[Citation],
               facts: PlanFacts) -> Plan:
    """The plan object: chapters in outline order, the deterministic facts, and the citations used."""
    drafts, used = renumber(drafts, citations)
    chapters = [
        Chapter(title=d.heading, body=d.body, key=d.key or None, citations=d.citations, supported=d.supported)
        for d in drafts
    ]
    return Plan(
        title=outline.title,
        script=outline.script,
        currency=facts.currency,
        chapters=chapters,
        budget_lines=facts.budget_lines,
        budget_total=facts.budget_total,
        phases=facts.phases,
        kpis=list(brief.goals),
        citations=used,
    )
