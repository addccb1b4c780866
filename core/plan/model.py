"""The domain model: briefs, plans' content and what validators find in them; ``core.plan.plan`` adds
Markdown reading and writing to the plan."""

from __future__ import annotations

import datetime as dt
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict, Field

from core.text.scripts import Script

Severity = Literal["error", "warning", "info"]


class Brief(BaseModel):
    """What a planner asks for. Built from a form, YAML/JSON, or a sentence."""

    model_config = ConfigDict(extra="forbid")

    title: str = ""
    brand: str = ""
    product: str = ""
    occasion: str = ""
    start: dt.date | None = None
    end: dt.date | None = None
    budget: float | None = Field(default=None, description="Total budget in currency units (元).")
    currency: str = "CNY"
    audience: str = ""
    channels: list[str] = Field(default_factory=list)
    mechanics: list[str] = Field(default_factory=list, description="Offer mechanics asked for: 以旧换新, 会员月 …")
    goals: list[str] = Field(default_factory=list)
    region: str = ""
    stores: int | None = Field(default=None, description="Stores or outlets the campaign covers.")
    kind: str = Field(default="", description="Campaign kind (ecommerce, stores, community, event, b2b, service, "
                                              "annual); chosen from the brief when empty.")
    script: Script = "zh-Hans"

    def missing(self) -> list[str]:
        """Essential fields still unknown (asked for in chat, reported by the CLI)."""
        return [name for name in ("budget", "start", "end") if getattr(self, name) is None]


class Citation(BaseModel):
    """A guidebook section a plan or answer rests on."""

    n: int
    text: str
    doc: str
    section: str
    title: str = ""
    start: int = 0
    end: int = 0


class BudgetLine(BaseModel):
    item: str
    amount: float
    share: float | None = Field(default=None, description="Stated share in percent, if any.")
    note: str = ""
    line: int | None = None


class Phase(BaseModel):
    name: str
    start: dt.date | None = None
    end: dt.date | None = None
    work: str = ""
    line: int | None = None


class Chapter(BaseModel):
    """A top-level chapter: its heading, its markdown body, and the template key it fills."""

    title: str
    body: str = ""
    key: str | None = Field(default=None, description="Template chapter key, e.g. 'budget'.")
    line: int | None = None
    body_line: int | None = Field(default=None, description="Line where the body starts, when parsed.")
    citations: list[int] = Field(default_factory=list, description="Citation numbers used here.")
    supported: bool = True


class Finding(BaseModel):
    """One validator result, with a stable code and where to look."""

    code: str
    severity: Severity
    message: str
    location: str = ""
    chapter: str | None = None
    line: int | None = None


class PlanContent(BaseModel):
    """A campaign plan as a document: chapters plus the structured facts validators check."""

    title: str = ""
    script: Script = "zh-Hans"
    currency: str = Field(default="CNY", description="ISO code of the currency its amounts are in (the brief's: "
                                                      "CNY, USD, TWD, HKD); plans stored before it are CNY.")
    chapters: list[Chapter] = Field(default_factory=list)
    budget_lines: list[BudgetLine] = Field(default_factory=list)
    budget_total: float | None = Field(default=None, description="Total row of the budget table.")
    phases: list[Phase] = Field(default_factory=list)
    kpis: list[str] = Field(default_factory=list)
    citations: list[Citation] = Field(default_factory=list)


class ChapterMatch(Protocol):
    """A chapter a plan template has, as the Markdown reader needs it."""

    @property
    def key(self) -> str: ...


class ChapterMatcher(Protocol):
    """What the reader needs of a plan template (``knowledge.templates.Template``): the chapter a
    heading names, or None."""

    def match(self, heading: str) -> ChapterMatch | None: ...
