"""With a model configured, the plan edits are tools the model calls (langchain tool calling): the
model decides which operations a message asks for and quotes the planner's words for each; the
deterministic parser (``assistant.planning.edits``) still reads every number and date from those words."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Literal

from assistant.llm.base import Message, ToolModel
from assistant.planning.edits import Edit, EditKind, parse_edits
from core.plan import Brief, Plan
from prompts import render

_REQUEST = {"type": "object", "properties": {"request": {
    "type": "string", "description": "The planner's own words for this change, copied from the message."}},
    "required": ["request"]}
# Tool name → (what it does, the edit kinds its words may produce).
_TOOLS: dict[str, tuple[str, tuple[EditKind, ...]]] = {
    "change_budget": ("Change the total budget (预算改成8千).", ("budget",)),
    "change_budget_share": ("Change one budget category's share or amount (把宣传费提到50%).", ("share",)),
    "move_dates": ("Move the whole campaign or change its dates (活动整体延后一周, 改到12月22日到28日).",
                   ("shift", "window", "phase")),
    "change_phase": ("Lengthen or shorten a phase such as the warm-up (预热期延长到两周).", ("phase",)),
    "change_channels": ("Add, remove or replace channels (加上小红书渠道).", ("channels",)),
    "change_audience": ("Change the target audience (目标人群改成大学生).", ("audience",)),
    "add_mechanics": ("Add offer mechanics (加一个抽奖环节).", ("mechanics",)),
    "rewrite_section": ("Rewrite a chapter or make it more specific (第五节写得更具体一点).", ("rewrite",)),
    "add_chapter": ("Add a chapter (加一章人员分工).", ("add_chapter",)),
    "remove_chapter": ("Remove a chapter (删掉风险那一章).", ("remove_chapter",)),
}
_PLAIN = {"undo": "Take back the last change (撤销).",
          "answer_question": "The message is a question or remark, not a change to this plan."}


def tool_specs() -> list[dict[str, Any]]:
    """The tools in OpenAI function format."""
    specs = [{"type": "function", "function": {"name": name, "description": text, "parameters": _REQUEST}}
             for name, (text, _) in _TOOLS.items()]
    specs += [{"type": "function", "function": {"name": name, "description": text,
                                                "parameters": {"type": "object", "properties": {}}}}
              for name, text in _PLAIN.items()]
    return specs


@dataclass
class Decision:
    """What the model chose: edits (numbers read by the parser), an undo, or a question."""

    intent: Literal["edit", "undo", "question"]
    edits: list[Edit] = field(default_factory=list)


def _messages(text: str, plan: Plan, brief: Brief) -> list[Message]:
    total = plan.budget_total or brief.budget
    system = render(
        "plan_tools", title=plan.title, chapters=[c.title for c in plan.chapters],
        budget=f"{total:g}" if total else "-",
        budget_lines=[f"{b.item}: {b.amount:g} ({b.share:g}%)" if b.share is not None else f"{b.item}: {b.amount:g}"
                      for b in plan.budget_lines],
        dates=f"{brief.start} to {brief.end}" if brief.start and brief.end else "-",
        phases=[f"{p.name}: {p.start} to {p.end}" for p in plan.phases],
        channels=", ".join(brief.channels) or "-")
    return [{"role": "system", "content": system}, {"role": "user", "content": text}]


def decide(model: ToolModel, text: str, plan: Plan, brief: Brief, *, today: dt.date,
           template: object | None = None) -> Decision | None:
    """The model's choice of operations for ``text``; None when its calls say nothing the parser can
    read (the caller then reads the message itself). ``ModelError`` when the model fails."""
    calls = model.call_tools(_messages(text, plan, brief), tool_specs())
    names = [c["name"] for c in calls]
    if "undo" in names:
        return Decision("undo")
    if not calls or "answer_question" in names:
        return Decision("question")
    edits: list[Edit] = []
    for call in calls:
        if call["name"] not in _TOOLS:
            continue
        words = str(call["args"].get("request") or text)
        kinds = _TOOLS[call["name"]][1]
        found = [e for e in parse_edits(words, plan, brief, today=today, template=template) if e.kind in kinds]
        edits += [e for e in found if e not in edits]
    return Decision("edit", edits) if edits else None


__all__ = ["Decision", "decide", "tool_specs"]
