"""The plan model (Brief, Plan, Chapter, BudgetLine, Phase, Citation, Finding) and its Markdown codec
(``core.plan.markdown``): plans read and write themselves with ``Plan.from_markdown`` / ``Plan.to_markdown``."""

from core.plan.model import (
    Brief,
    BudgetLine,
    Chapter,
    ChapterMatch,
    ChapterMatcher,
    Citation,
    Finding,
    Phase,
    PlanContent,
    Script,
    Severity,
)
from core.plan.plan import Plan

__all__ = ["Brief", "BudgetLine", "Chapter", "ChapterMatch", "ChapterMatcher", "Citation", "Finding", "Phase",
           "Plan", "PlanContent", "Script", "Severity"]
