"""Deterministic checks over a parsed plan: each ``check_x(plan, brief=None, template=None) -> list[Finding]``.

Error codes: missing_chapter, budget_sum_mismatch, budget_total_mismatch, budget_share_mismatch,
timeline_order, timeline_overlap, timeline_window_mismatch, timeline_duration_mismatch,
festival_date_mismatch. Warning codes: ad_law_wording, unsupported_section.
"""

from __future__ import annotations

from assistant.validators.budget import check_budget
from assistant.validators.chapters import check_chapters
from assistant.validators.festivals import check_festivals
from assistant.validators.timeline import check_timeline
from assistant.validators.wording import check_wording
from core.plan import Brief, Finding, Plan
from knowledge.templates import Template, load_template

CHECKS = (check_chapters, check_budget, check_timeline, check_festivals, check_wording)

ERROR_CODES = ("missing_chapter", "budget_sum_mismatch", "budget_total_mismatch", "budget_share_mismatch",
               "timeline_order", "timeline_overlap", "timeline_window_mismatch", "timeline_duration_mismatch",
               "festival_date_mismatch")
WARNING_CODES = ("ad_law_wording", "unsupported_section")


def validate_plan(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """Every finding for ``plan`` (template default: promotion), errors first, then by line."""
    template = template or load_template("promotion", copy=False)
    findings: list[Finding] = []
    for check in CHECKS:
        findings.extend(check(plan, brief, template))
    return sorted(findings, key=lambda f: (f.severity != "error", f.line if f.line is not None else 10**9))


def has_errors(findings: list[Finding]) -> bool:
    """True when any finding is an error (the plan needs fixing)."""
    return any(f.severity == "error" for f in findings)


__all__ = ["CHECKS", "ERROR_CODES", "WARNING_CODES", "check_budget", "check_chapters", "check_festivals",
           "check_timeline", "check_wording", "has_errors", "validate_plan"]
