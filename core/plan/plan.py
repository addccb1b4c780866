"""The plan that reads and writes itself as Markdown."""

from __future__ import annotations

from core.plan.markdown.read import parse_plan
from core.plan.markdown.render import render_plan
from core.plan.model import ChapterMatcher, PlanContent


class Plan(PlanContent):
    """A campaign plan as a document: chapters plus the structured facts validators check."""

    @classmethod
    def from_markdown(cls, text: str, template: ChapterMatcher | None = None) -> Plan:
        """Parse a plan written by a person or by Cehua; ``template`` (a plan template) gives chapters
        their keys and picks the budget and timeline chapters (see ``core.plan.markdown``)."""
        return cls(**dict(parse_plan(text, template)))

    def to_markdown(self) -> str:
        """Render the plan as Markdown that ``from_markdown`` reads back."""
        return render_plan(self)
