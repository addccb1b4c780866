"""Deterministic checks over a parsed plan: each ``check_x(plan, brief=None, template=None) -> list[Finding]``.

Error codes: missing_chapter, empty_chapter, placeholder, duration_mismatch, budget_sum_mismatch,
budget_total_mismatch, budget_share_mismatch, timeline_order, timeline_overlap, timeline_window_mismatch,
timeline_duration_mismatch, festival_date_mismatch. Warning codes: ad_law_wording, unsupported_section,
date_in_past, plan_kind_unknown, campaign_after_festival. Info codes: chapter_found_under (a required chapter doing its job under another heading).

The template (the plan's kind) is chosen from the plan's title and headings unless one is given.
"""

from __future__ import annotations

from assistant import script_boundary
from assistant.validators.budget import check_budget
from assistant.validators.chapters import check_chapters
from assistant.validators.common import finding
from assistant.validators.durations import check_durations
from assistant.validators.empty_chapters import check_empty_chapters
from assistant.validators.festivals import check_festivals
from assistant.validators.past_dates import check_dates_in_past
from assistant.validators.placeholders import check_placeholders
from assistant.validators.timeline import check_timeline
from assistant.validators.wording import check_wording
from core.plan import Brief, Finding, Plan
from knowledge.templates import Template, choose_template

CHECKS = (check_chapters, check_empty_chapters, check_placeholders, check_durations, check_budget, check_timeline,
          check_festivals, check_dates_in_past, check_wording)

ERROR_CODES = ("missing_chapter", "empty_chapter", "placeholder", "duration_mismatch", "budget_sum_mismatch",
               "budget_total_mismatch", "budget_share_mismatch", "timeline_order", "timeline_overlap",
               "timeline_window_mismatch", "timeline_duration_mismatch", "festival_date_mismatch")
WARNING_CODES = ("ad_law_wording", "unsupported_section", "date_in_past", "plan_kind_unknown", "campaign_after_festival")
INFO_CODES = ("chapter_found_under",)
_SEVERITY_ORDER = {"error": 0, "warning": 1, "info": 2}


def plan_template(plan: Plan) -> Template:
    """The template for the plan's kind, chosen from its title and chapter headings."""
    return choose_template(plan.title, [c.title for c in plan.chapters])


def validate_plan(plan: Plan, brief: Brief | None = None, template: Template | None = None,
                  kind_known: bool = True) -> list[Finding]:
    """Every finding for ``plan`` against ``template`` (default: the one its title and headings fit best):
    errors first, then warnings, then notes, each by line. With ``kind_known`` False (the plan says too
    little to tell its kind) no chapter is reported missing; ``plan_kind_unknown`` says why instead."""
    template = template or plan_template(plan)
    findings: list[Finding] = []
    for check in CHECKS:
        found = check(plan, brief, template)
        findings.extend(f for f in found if kind_known or f.code not in ("missing_chapter", "chapter_found_under"))
    if not kind_known:
        findings.append(_kind_unknown(plan))
    findings.sort(key=lambda f: (_SEVERITY_ORDER[f.severity], f.line if f.line is not None else 10**9))
    # Where findings leave validation: in the plan's script, the plan's own words as it writes them.
    return script_boundary.findings(findings, plan.script, script_boundary.own_words(*plan_lines(plan)))


def _kind_unknown(plan: Plan) -> Finding:
    heads = "、".join(f"「{c.title}」" for c in plan.chapters)
    names = ", ".join(f"'{c.title}'" for c in plan.chapters)
    return finding(
        plan, "plan_kind_unknown", "warning",
        zh=f"从标题和{len(plan.chapters)}个章节({heads})看不出这是哪类方案(促销、活动、渠道、年度、售后服务),"
           f"所以没有检查缺少哪些章节:请补充章节,或用 --template 指定方案类型(API 为 template 字段)。",
        en=f"The title and {len(plan.chapters)} chapter(s) ({names}) do not show what kind of plan this is "
           f"(promotion, event, channel, annual, service), so missing chapters were not checked: add chapters, or "
           f"name the kind with --template (the API's template field).",
        line=plan.chapters[0].line if plan.chapters else None)


def plan_lines(plan: Plan) -> list[str]:
    """The plan's title, headings and body lines, as written."""
    return [plan.title, *(c.title for c in plan.chapters), *(line for c in plan.chapters for line in c.body.split("\n"))]


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error (the plan needs fixing)."""
    return any(f.severity == "error" for f in findings)


__all__ = ["CHECKS", "ERROR_CODES", "INFO_CODES", "WARNING_CODES", "check_budget", "check_chapters",
           "check_dates_in_past", "check_durations", "check_empty_chapters", "check_festivals", "check_placeholders",
           "check_timeline", "check_wording", "has_errors", "plan_lines", "plan_template", "validate_plan"]
