"""Retention: plans, conversations and drafting jobs untouched for ``settings.retention_days`` are deleted.

Stored plans run to tens of kilobytes each and a public widget key can create many a minute, so
nothing is kept forever by default (``CEHUA_RETENTION_DAYS``, default 30; 0 keeps everything). The
API runs ``purge_expired`` when it starts and every hour after (``api.main``); deleting is
idempotent, so several workers sweeping the same database is harmless.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.exc import SQLAlchemyError

from assistant.store.conversation_plans import ConversationPlanRow
from assistant.store.conversations import ConversationRow, TurnRow
from assistant.store.db import session_scope
from assistant.store.integrations import prune_events
from assistant.store.jobs import JobEventRow, JobRow
from assistant.store.keys import RateCounterRow
from assistant.store.plans import PlanRow, PlanVersionRow, PlanVersionStateRow
from core.errors import StoreError
from core.settings import Settings


@dataclass(frozen=True)
class Purged:
    """How many plans, conversations and drafting jobs one sweep deleted."""

    plans: int = 0
    conversations: int = 0
    jobs: int = 0


def purge_expired(settings: Settings, *, now: dt.datetime | None = None) -> Purged:
    """Delete what retention no longer keeps (with everything hanging off it); what was deleted.

    Expired rate-limit windows and old webhook claims go too. StoreError when the database fails."""
    now = now or dt.datetime.now(dt.UTC)
    try:
        with session_scope(settings) as session:
            # Windows before the previous minute can never be counted again.
            window = int(time.time() // 60)
            session.execute(delete(RateCounterRow).where(RateCounterRow.window < window - 1))
            if settings.retention_days <= 0:
                return Purged()
            cutoff = now - dt.timedelta(days=settings.retention_days)
            plans = list(session.scalars(select(PlanRow.id).where(PlanRow.updated_at < cutoff)))
            jobs = list(session.scalars(select(JobRow.id).where(
                (JobRow.updated_at < cutoff) | JobRow.plan_id.in_(plans))))
            for chunk in _chunks(jobs):
                session.execute(delete(JobEventRow).where(JobEventRow.job_id.in_(chunk)))
                session.execute(delete(JobRow).where(JobRow.id.in_(chunk)))
            for chunk in _chunks(plans):
                session.execute(delete(PlanVersionStateRow).where(PlanVersionStateRow.plan_id.in_(chunk)))
                session.execute(delete(PlanVersionRow).where(PlanVersionRow.plan_id.in_(chunk)))
                session.execute(delete(PlanRow).where(PlanRow.id.in_(chunk)))
            conversations = list(session.scalars(
                select(ConversationRow.id).where(ConversationRow.updated_at < cutoff)))
            for chunk in _chunks(conversations):
                session.execute(delete(TurnRow).where(TurnRow.conversation_id.in_(chunk)))
                session.execute(delete(ConversationPlanRow).where(ConversationPlanRow.conversation_id.in_(chunk)))
                session.execute(delete(ConversationRow).where(ConversationRow.id.in_(chunk)))
    except SQLAlchemyError as exc:
        raise StoreError(f"the state database failed while deleting expired plans and conversations "
                         f"({exc.__class__.__name__}); check CEHUA_DATABASE_URL") from exc
    prune_events(settings, now=now)
    return Purged(plans=len(plans), conversations=len(conversations), jobs=len(jobs))


def _chunks(ids: list[str], size: int = 500) -> list[list[str]]:
    return [ids[i:i + size] for i in range(0, len(ids), size)]
