"""Plans written back as Markdown that ``parse_plan`` reads again: '# title', one '## ' per chapter,
budget and timeline tables, a marker on chapters the guidebooks did not support, and references."""

from __future__ import annotations

import re

from core.plan.markdown.tables import TABLE_SEP
from core.plan.model import PlanContent
from core.text.money import amount_header, table_amount
from core.text.scripts import to_simplified

UNSUPPORTED_MARK = "<!-- cehua:unsupported -->"
UNSUPPORTED_PHRASE = re.compile(
    # Only Cehua's own wording: a person's 「资料中没有相关内容」 must not mark a chapter unsupported.
    r"指南中?(?:没有|未)找到(?:相关|足够的?)?依据|"
    r"not supported by the guidebooks|no guidebook support",
    re.IGNORECASE,
)


WORDS = {
    "item": {"zh-Hans": "项目", "zh-Hant": "項目", "en": "Item"},
    "share": {"zh-Hans": "占比", "zh-Hant": "佔比", "en": "Share"},
    "note": {"zh-Hans": "说明", "zh-Hant": "說明", "en": "Note"},
    "total": {"zh-Hans": "合计", "zh-Hant": "合計", "en": "Total"},
    "phase": {"zh-Hans": "阶段", "zh-Hant": "階段", "en": "Phase"},
    "start": {"zh-Hans": "开始", "zh-Hant": "開始", "en": "Start"},
    "end": {"zh-Hans": "结束", "zh-Hant": "結束", "en": "End"},
    "work": {"zh-Hans": "工作内容", "zh-Hant": "工作內容", "en": "Work"},
    "budget": {"zh-Hans": "费用预算", "zh-Hant": "費用預算", "en": "Budget"},
    "timeline": {"zh-Hans": "时间与进度安排", "zh-Hant": "時間與進度安排", "en": "Timeline"},
    "references": {"zh-Hans": "参考资料", "zh-Hant": "參考資料", "en": "References"},
    "unsupported": {"zh-Hans": "(本章在指南中没有找到依据,请人工核实。)",
                    "zh-Hant": "(本章在指南中沒有找到依據,請人工核實。)",
                    "en": "(This chapter is not supported by the guidebooks; check it by hand.)"},
}


def _word(key: str, script: str) -> str:
    return WORDS[key].get(script, WORDS[key]["zh-Hans"])


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def budget_table(plan: PlanContent) -> str:
    """The plan's budget lines as a Markdown table in its currency (金额(美元)) with a total row (in its script)."""
    s = plan.script
    has_share = any(bl.share is not None for bl in plan.budget_lines)
    head = [_word("item", s), amount_header(plan.currency, s)] + ([_word("share", s)] if has_share else []) + [_word("note", s)]
    rows = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for bl in plan.budget_lines:
        cells = [_cell(bl.item), table_amount(bl.amount)]
        if has_share:
            cells.append(f"{bl.share:g}%" if bl.share is not None else "")
        cells.append(_cell(bl.note))
        rows.append("| " + " | ".join(cells) + " |")
    total = plan.budget_total if plan.budget_total is not None else sum(bl.amount for bl in plan.budget_lines)
    tail = [_word("total", s), table_amount(total)] + (["100%"] if has_share else []) + [""]
    rows.append("| " + " | ".join(tail) + " |")
    return "\n".join(rows)


def timeline_table(plan: PlanContent) -> str:
    """The plan's phases as a Markdown table with ISO dates (in the plan's script)."""
    s = plan.script
    rows = [f"| {_word('phase', s)} | {_word('start', s)} | {_word('end', s)} | {_word('work', s)} |",
            "| --- | --- | --- | --- |"]
    for ph in plan.phases:
        rows.append(f"| {_cell(ph.name)} | {ph.start.isoformat() if ph.start else ''} | "
                    f"{ph.end.isoformat() if ph.end else ''} | {_cell(ph.work)} |")
    return "\n".join(rows)


def _has_table(body: str) -> bool:
    lines = body.split("\n")
    return any(TABLE_SEP.match(lines[i + 1]) and "|" in lines[i] for i in range(len(lines) - 1))


def render_plan(plan: PlanContent) -> str:
    """Markdown for ``plan`` that ``parse_plan`` reads back: '# title', one '## ' heading per chapter,
    the budget and timeline tables where the chapter body has none, and a references chapter."""
    s = plan.script
    out: list[str] = []
    if plan.title:
        out += [f"# {plan.title}", ""]
    keys = {c.key for c in plan.chapters}
    for chapter in plan.chapters:
        out.append(f"## {chapter.title}")
        if not chapter.supported:
            out.append(UNSUPPORTED_MARK)
        body = chapter.body.strip("\n")
        if chapter.key == "budget" and plan.budget_lines and not _has_table(body):
            body = (body + "\n\n" if body else "") + budget_table(plan)
        if chapter.key == "timeline" and plan.phases and not _has_table(body):
            body = (body + "\n\n" if body else "") + timeline_table(plan)
        if not chapter.supported and not UNSUPPORTED_PHRASE.search(to_simplified(body)):
            body = (body + "\n\n" if body else "") + _word("unsupported", s)
        out += ([body, ""] if body else [""])
    if plan.budget_lines and "budget" not in keys:
        out += [f"## {_word('budget', s)}", budget_table(plan), ""]
    if plan.phases and "timeline" not in keys:
        out += [f"## {_word('timeline', s)}", timeline_table(plan), ""]
    if plan.citations:
        out.append(f"## {_word('references', s)}")
        for c in sorted(plan.citations, key=lambda c: c.n):
            where = c.doc + (f" § {c.section}" if c.section else "")
            label = c.title or c.section or c.doc
            out.append(f"[{c.n}] {label} — {where}" if where else f"[{c.n}] {label}")
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"


__all__ = ["UNSUPPORTED_MARK", "UNSUPPORTED_PHRASE", "WORDS", "budget_table", "render_plan", "timeline_table"]

