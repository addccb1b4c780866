"""What the drafting stages hand each other and what the caller gets back."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from core.plan import Brief, BudgetLine, Citation, Finding, Phase, Plan
from knowledge.passage import Passage


class SectionGuidance(BaseModel):
    """The passages retrieved for one section, numbered as the plan will cite them."""

    query: str
    passages: list[Passage] = Field(default_factory=list)
    numbers: list[int] = Field(default_factory=list, description="Citation number of each passage.")
    supported: bool = Field(description="False when retrieval found nothing good enough to draft from.")

    def numbered(self) -> list[tuple[int, Passage]]:
        """Each passage with the citation number the plan gives it."""
        return list(zip(self.numbers, self.passages, strict=True))


class SectionDraft(BaseModel):
    """A drafted section: its Markdown body (no heading) in the plan's script and what it cites."""

    key: str
    heading: str
    body: str
    citations: list[int] = Field(default_factory=list)
    supported: bool = True
    source: Literal["model", "composer"] = "composer"


class DraftResult(BaseModel):
    """A drafted plan and its validation report."""

    brief: Brief
    plan: Plan
    plan_markdown: str
    findings: list[Finding] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)
    offline: bool = True
    template: str = "promotion"
    notices: list[str] = Field(default_factory=list, description="Things the planner should know, e.g. "
                               "an English brief drafted in Chinese offline.")
    model_calls: int = 0
    kind: str = Field(default="promotion", description="The campaign kind the plan was drafted for.")

    @property
    def errors(self) -> list[Finding]:
        """The findings of error severity (a good draft has none)."""
        return [f for f in self.findings if f.severity == "error"]


class PlanFacts(BaseModel):
    """The numbers every section must agree on, computed once, deterministically."""

    budget_lines: list[BudgetLine] = Field(default_factory=list)
    budget_total: float | None = None
    currency: str = Field(default="CNY", description="The brief's currency (ISO code), every amount is written in.")
    phases: list[Phase] = Field(default_factory=list)
    festival: str = Field(default="", description="e.g. '2026年中秋节为9月25日。'")
    kind: str = Field(default="promotion", description="Campaign kind (assistant/drafting/kinds.yaml).")
    timeline_note: str = Field(default="", description="Why phases were compressed to start today, if they were.")
