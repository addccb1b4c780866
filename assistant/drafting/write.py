"""Drafting a section with a chat model: one prompt per section kind, the deterministic tables given
as facts and re-attached verbatim, and the reply cleaned before it joins the plan."""

from __future__ import annotations

import re

from assistant.chat.citations import normalize_markers
from assistant.drafting.compose import UNSUPPORTED_NOTE
from assistant.drafting.facts import window_sentence
from assistant.drafting.kinds import kind_name
from assistant.drafting.outline import SectionSpec
from assistant.drafting.result import PlanFacts, SectionDraft, SectionGuidance
from assistant.drafting.tables import budget_table, timeline_table
from assistant.llm.base import ChatModel, Message, complete
from core.adlaw import soften
from core.plan import Brief, Finding, Script
from core.text.money import money
from core.text.scripts import to_simplified
from prompts import render, template_names

_LANGUAGE: dict[str, str] = {
    "zh-Hans": "用简体中文写作。",
    "zh-Hant": "用繁體中文寫作。",
    "en": "Write in English.",
}
_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_HEADING = re.compile(r"^\s*#{1,6}\s")
_FENCE = re.compile(r"^\s*(```|~~~)")
_MARKER = re.compile(r"\[(\d{1,3})\]")
_PASSAGE_CHARS = 600


def brief_facts(brief: Brief, facts: PlanFacts) -> list[str]:
    """The brief's facts as lines the prompt asks the model to copy verbatim."""
    lines = []
    for label, value in (("方案标题", brief.title), ("品牌", brief.brand), ("产品", brief.product),
                         ("节点", brief.occasion), ("目标客群", brief.audience), ("区域", brief.region)):
        if value:
            lines.append(f"{label}:{value}")
    if window := window_sentence(brief):
        lines.append(window.rstrip("。"))
    if facts.festival:
        lines.append(facts.festival.rstrip("。"))
    if brief.budget is not None:
        lines.append(f"总预算:{money(brief.budget, currency=brief.currency)}")
    if brief.channels:
        lines.append("渠道(每个都要写到):" + "、".join(brief.channels))
    if brief.mechanics:
        lines.append("玩法(每个都要写到):" + "、".join(brief.mechanics))
    if brief.stores:
        lines.append(f"门店/网点数:{brief.stores}")
    lines.append(f"活动类型:{kind_name(facts.kind)}")
    if facts.timeline_note:
        lines.append(facts.timeline_note.rstrip("。"))
    lines.extend(f"目标:{goal}" for goal in brief.goals)
    return lines


def section_table(spec: SectionSpec, facts: PlanFacts, script: Script) -> str:
    """The deterministic table a section carries (budget, timeline), or ''."""
    table_script: Script = "en" if script == "en" else "zh-Hans"  # Chinese is converted with the body
    if spec.kind == "budget" and facts.budget_lines and facts.budget_total is not None:
        return budget_table(facts.budget_lines, facts.budget_total, table_script, facts.currency)
    if spec.kind == "timeline" and facts.phases:
        return timeline_table(facts.phases, table_script)
    return ""


def section_messages(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance,
                     script: Script, *, previous: str = "", findings: list[Finding] | None = None) -> list[Message]:
    """The messages asking for ``spec``'s body: the system prompt and the kind's section prompt
    (or the repair prompt, with the previous text and what was wrong with it)."""
    passages = [
        {"n": n, "source": " > ".join(x for x in (p.title, p.section) if x), "text": p.text[:_PASSAGE_CHARS]}
        for n, p in guidance.numbered()
    ]
    context = {
        "section": spec,
        "facts": brief_facts(brief, facts),
        "passages": passages,
        "table": section_table(spec, facts, script),
        "language": _LANGUAGE[script],
    }
    if findings:
        prompt = render("repair_section", previous=previous, findings=[f.message for f in findings], **context)
    else:
        name = f"section_{spec.kind}" if f"section_{spec.kind}" in template_names() else "section_base"
        prompt = render(name, **context)
    return [{"role": "system", "content": render("draft_system")}, {"role": "user", "content": prompt}]


def clean_reply(text: str, *, allowed: set[int], script: Script, table: str, title: str = "") -> tuple[str, list[int]]:
    """The model's reply made safe to publish: no code fences, headings (sub-headings become bold
    lines, a repeated section title goes) or tables of its own (the deterministic table is attached
    instead), citation markers only to passages it was given, no absolute claims, in the plan's
    script. Returns the body (Simplified for Chinese plans: the drafting pipeline gives it the plan's
    script) and the citation numbers it uses."""
    kept: list[str] = []
    for line in text.strip().splitlines():
        if _TABLE_ROW.match(line) or _FENCE.match(line):
            continue
        if _HEADING.match(line):
            heading = _HEADING.sub("", line).strip().strip("*").strip()
            if heading and (not title or title not in heading):
                kept.append(f"**{heading}**")
            continue
        kept.append(line)
    body = "\n".join(kept).strip()
    # Every bracket style a model writes ([n], 【n】, ［n］); numbers of passages not given are dropped.
    body, _ = normalize_markers(body, allowed)
    body = soften(to_simplified(body) if script != "en" else body)  # Simplified inside Cehua
    if table:
        body = f"{body}\n\n{table}".strip()
    while "\n\n\n" in body:
        body = body.replace("\n\n\n", "\n\n")
    numbers = sorted({int(n) for n in _MARKER.findall(body)})
    return body, numbers


def write_section(spec: SectionSpec, brief: Brief, facts: PlanFacts, guidance: SectionGuidance,
                  model: ChatModel, script: Script, *, previous: str = "",
                  findings: list[Finding] | None = None) -> SectionDraft:
    """``spec`` drafted (or re-drafted, given ``previous`` and its ``findings``) by ``model``."""
    messages = section_messages(spec, brief, facts, guidance, script, previous=previous, findings=findings)
    reply = complete(model, messages)
    body, numbers = clean_reply(reply, allowed=set(guidance.numbers), script=script,
                                table=section_table(spec, facts, script), title=spec.title)
    # A reply that cites nothing keeps no citations: attributing passages it did not cite would invent them.
    if not guidance.supported:
        note = UNSUPPORTED_NOTE
        if script == "en":
            note = "(This section is not supported by the guidebooks; it lists the brief's facts only — please add to it.)"
        body = f"{note}\n{body}"
    return SectionDraft(key=spec.key, heading=spec.heading, body=body, citations=numbers,
                        supported=guidance.supported, source="model")


__all__ = ["brief_facts", "clean_reply", "section_messages", "section_table", "write_section"]
