"""What the chat-platform adapters remember, kept in the state database so any worker can take any webhook.

Two tables, plain portable SQL (SQLite and PostgreSQL):

* ``integration_events(platform, event_id, seen_at)``, unique on (platform, event_id): a webhook
  *claims* its event with an INSERT; the unique constraint makes a second claim of the same event
  fail with an IntegrityError on whichever worker or machine it lands, so a platform's retry is
  answered once. Claims older than ``KEEP_EVENTS`` are pruned now and then by the claim itself.
* ``integration_threads(platform, thread_key, conversation_id, updated_at)``: the chat conversation
  a platform thread (Slack thread, Feishu chat, DingTalk conversation, WeCom user) continues, so a
  follow-up carries its context whichever worker gets it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import DateTime, Integer, String, UniqueConstraint, delete, select, update
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from assistant.store.db import Base, session_scope
from core.errors import StoreError
from core.settings import Settings

#: How long a claimed event is remembered: platforms retry for minutes to hours (Feishu's last
#: retry comes 6 hours after the first delivery), never a day later.
KEEP_EVENTS = dt.timedelta(days=1)
#: Every this-many-th claim (by row id, so no process keeps count) also deletes expired claims.
PRUNE_EVERY = 100
_MAX_EVENT_ID = 128
_MAX_THREAD_KEY = 255
_MAX_PLATFORM = 32


class IntegrationEventRow(Base):
    __tablename__ = "integration_events"
    __table_args__ = (UniqueConstraint("platform", "event_id", name="uq_integration_event"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    platform: Mapped[str] = mapped_column(String(_MAX_PLATFORM))
    event_id: Mapped[str] = mapped_column(String(_MAX_EVENT_ID))
    seen_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)


class IntegrationThreadRow(Base):
    __tablename__ = "integration_threads"

    platform: Mapped[str] = mapped_column(String(_MAX_PLATFORM), primary_key=True)
    thread_key: Mapped[str] = mapped_column(String(_MAX_THREAD_KEY), primary_key=True)
    conversation_id: Mapped[str] = mapped_column(String(32))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _fit(value: str, limit: int) -> str:
    """``value`` itself when it fits the column, else a digest of it (ids are compared, never shown)."""
    if len(value) <= limit:
        return value
    return "sha256:" + hashlib.sha256(value.encode("utf-8")).hexdigest()


def _platform(platform: str) -> str:
    if not platform or len(platform) > _MAX_PLATFORM:
        raise ValueError(f"platform name must be 1-{_MAX_PLATFORM} characters, got {platform!r}")
    return platform


@contextmanager
def _session(settings: Settings, doing: str) -> Iterator[Session]:
    try:
        with session_scope(settings) as session:
            yield session
    except IntegrityError:
        raise
    except SQLAlchemyError as exc:
        raise StoreError(
            f"the state database failed while {doing} ({exc.__class__.__name__}); "
            "check CEHUA_DATABASE_URL and that the database is running"
        ) from exc


def claim_event(settings: Settings, platform: str, event_id: str, *, now: dt.datetime | None = None) -> bool:
    """True for the first delivery of ``event_id`` from ``platform`` (on any worker), False for a repeat.

    An empty id cannot be deduplicated and is always True. StoreError when the database fails, so
    the webhook can answer 503 and let the platform retry later instead of losing the message.
    """
    platform = _platform(platform)
    if not event_id:
        return True
    now = now or _now()
    try:
        with _session(settings, f"recording {platform} event {event_id[:40]!r}") as session:
            row = IntegrationEventRow(platform=platform, event_id=_fit(event_id, _MAX_EVENT_ID), seen_at=now)
            session.add(row)
            session.flush()
            if row.id % PRUNE_EVERY == 0:
                _prune(session, now)
    except IntegrityError:
        return False
    return True


def prune_events(settings: Settings, *, now: dt.datetime | None = None) -> int:
    """Delete claims older than ``KEEP_EVENTS``; how many were deleted."""
    with _session(settings, "pruning old integration events") as session:
        return _prune(session, now or _now())


def _prune(session: Session, now: dt.datetime) -> int:
    result = session.execute(delete(IntegrationEventRow).where(IntegrationEventRow.seen_at < now - KEEP_EVENTS))
    return int(getattr(result, "rowcount", 0) or 0)


def thread_conversation(settings: Settings, platform: str, thread_key: str) -> str | None:
    """The conversation id the thread continues, or None for a thread not seen before."""
    platform = _platform(platform)
    with _session(settings, f"reading the conversation of a {platform} thread") as session:
        return session.scalar(
            select(IntegrationThreadRow.conversation_id).where(
                IntegrationThreadRow.platform == platform,
                IntegrationThreadRow.thread_key == _fit(thread_key, _MAX_THREAD_KEY),
            )
        )


def remember_thread(settings: Settings, platform: str, thread_key: str, conversation_id: str,
                    *, previous: str | None) -> str:
    """Bind the thread to ``conversation_id`` if it is still bound to ``previous`` (None: unbound);
    the conversation the thread continues from now on.

    A compare-and-set, so two first messages of one thread answered at once on two workers agree
    on one conversation (the first to bind wins; the other answer stays in its own conversation).
    """
    platform = _platform(platform)
    key = _fit(thread_key, _MAX_THREAD_KEY)
    now = _now()
    doing = f"saving the conversation of a {platform} thread"
    where = (IntegrationThreadRow.platform == platform, IntegrationThreadRow.thread_key == key)
    if previous is not None:
        with _session(settings, doing) as session:
            result = session.execute(
                update(IntegrationThreadRow)
                .where(*where, IntegrationThreadRow.conversation_id == previous)
                .values(conversation_id=conversation_id, updated_at=now)
            )
            if getattr(result, "rowcount", 0):
                return conversation_id
    else:
        try:
            with _session(settings, doing) as session:
                session.add(IntegrationThreadRow(platform=platform, thread_key=key,
                                                 conversation_id=conversation_id, updated_at=now))
            return conversation_id
        except IntegrityError:
            pass
    # Another worker bound the thread first (or rebound it): keep its conversation.
    current = thread_conversation(settings, platform, thread_key)
    if current is None:  # it was bound to ``previous`` and then removed: bind it afresh
        return remember_thread(settings, platform, thread_key, conversation_id, previous=None)
    return current
