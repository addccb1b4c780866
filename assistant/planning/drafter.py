"""Drafting bound to one retriever, model and settings: what the plan service drafts and redrafts with."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from assistant.llm.base import ChatModel
from core.settings import Settings
from knowledge.passage import Retriever


@dataclass
class Drafter:
    """Drafts and redrafts plans with a fixed retriever, model and settings."""

    settings: Settings
    retriever: Retriever
    model: ChatModel | None

    def draft(self, brief: Any, *, template: str = "promotion", progress: Any = None) -> Any:
        """A ``DraftResult`` for the brief (``assistant.drafting.draft_plan``)."""
        from assistant.drafting import draft_plan

        return draft_plan(brief, retriever=self.retriever, model=self.model, template=template,
                          progress=progress, settings=self.settings)

    def redraft(self, plan: Any, brief: Any, section_key: str, *, template: str = "promotion",
                progress: Any = None) -> Any:
        """The result of redrafting one section (``assistant.drafting.redraft_section``)."""
        from assistant.drafting import redraft_section

        return redraft_section(plan, brief, section_key, retriever=self.retriever, model=self.model,
                               template=template, progress=progress, settings=self.settings)


def local_planning(settings: Settings) -> Any:
    """A ``PlanningChat`` over this process's knowledge base and model, drafting in the calling thread
    (the CLI's: one planner at a time)."""
    from assistant.chat import ChatService
    from assistant.llm import get_chat_model
    from assistant.planning.conversation import PlanningChat
    from assistant.planning.service import PlanService
    from knowledge import open_knowledge_base

    kb, model = open_knowledge_base(settings), get_chat_model(settings)
    drafter = Drafter(settings=settings, retriever=kb, model=model)
    return PlanningChat(ChatService(settings, kb, model), PlanService(settings, lambda: drafter))


__all__ = ["Drafter", "local_planning"]
