"""Which plan a chat conversation is working on, and the brief it is still asking essentials for.

One row per conversation that talked about a plan: the plan being edited (None until one is
drafted) and, while Cehua waits for the planner to say a budget or dates, the brief so far.
"""

from __future__ import annotations

import datetime as dt

from pydantic import BaseModel, Field
from sqlalchemy import DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from assistant.store.db import Base, session_scope
from core.plan import Brief
from core.settings import Settings


class ConversationPlanRow(Base):
    __tablename__ = "conversation_plans"

    conversation_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    plan_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    pending_json: Mapped[str | None] = mapped_column(Text, nullable=True)
    template: Mapped[str] = mapped_column(String(64), default="promotion")
    drafted_at: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class ConversationPlan(BaseModel):
    """A conversation's plan state."""

    conversation_id: str
    plan_id: str | None = None
    pending: Brief | None = Field(default=None, description="The brief waiting for its missing essentials.")
    template: str = "promotion"
    drafted_at: int = Field(default=0, description="Position of the turn that drafted the plan (0: none yet); "
                            "budget and dates said before it belonged to that plan.")


def get_state(settings: Settings, conversation_id: str | None) -> ConversationPlan | None:
    """The conversation's plan state, or None when it never talked about a plan."""
    if not conversation_id:
        return None
    with session_scope(settings) as session:
        row = session.get(ConversationPlanRow, conversation_id)
        if row is None:
            return None
        return ConversationPlan(
            conversation_id=row.conversation_id, plan_id=row.plan_id, template=row.template,
            drafted_at=row.drafted_at or 0,
            pending=Brief.model_validate_json(row.pending_json) if row.pending_json else None)


def save_state(settings: Settings, state: ConversationPlan) -> None:
    """Write the conversation's plan state (insert or replace)."""
    with session_scope(settings) as session:
        row = session.get(ConversationPlanRow, state.conversation_id)
        if row is None:
            row = ConversationPlanRow(conversation_id=state.conversation_id)
            session.add(row)
        row.plan_id = state.plan_id
        row.pending_json = state.pending.model_dump_json() if state.pending else None
        row.template = state.template
        row.drafted_at = state.drafted_at
        row.updated_at = dt.datetime.now(dt.UTC)


__all__ = ["ConversationPlan", "get_state", "save_state"]
