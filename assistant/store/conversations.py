"""Chat conversations in the state database: one row per conversation, one per answered turn.

Plain portable SQL types only (strings, text, integers, booleans, timestamps), so the same tables
work on SQLite and PostgreSQL. A turn is written in one transaction after its answer is complete,
so a failed or abandoned answer never leaves half a turn behind.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import BaseModel, Field
from sqlalchemy import (
    Boolean,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
    select,
    update,
)
from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlalchemy.orm import Mapped, Session, mapped_column

from assistant.store.db import Base, session_scope
from core.errors import NotFoundError, StoreError
from core.plan import Citation
from core.settings import Settings

_ID = re.compile(r"^[0-9a-f]{32}$")
_POSITION_RETRIES = 3


class ConversationRow(Base):
    __tablename__ = "conversations"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(200), default="")
    # The API key that started the conversation; NULL for the anonymous caller of an API without keys.
    owner: Mapped[str | None] = mapped_column(String(32), nullable=True, default=None)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class TurnRow(Base):
    __tablename__ = "conversation_turns"
    __table_args__ = (UniqueConstraint("conversation_id", "position", name="uq_turn_position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    conversation_id: Mapped[str] = mapped_column(
        String(32), ForeignKey("conversations.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(Integer)
    question: Mapped[str] = mapped_column(Text)
    standalone_question: Mapped[str] = mapped_column(Text)
    answer: Mapped[str] = mapped_column(Text)
    citations_json: Mapped[str] = mapped_column(Text, default="[]")
    grounded: Mapped[bool] = mapped_column(Boolean, default=False)
    script: Mapped[str] = mapped_column(String(8), default="zh-Hans")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Turn(BaseModel):
    """One question and its answer."""

    position: int
    question: str
    standalone_question: str
    answer: str
    citations: list[Citation] = Field(default_factory=list)
    grounded: bool
    script: str
    created_at: dt.datetime


class Conversation(BaseModel):
    """A conversation and its turns, oldest first."""

    id: str
    title: str
    created_at: dt.datetime
    updated_at: dt.datetime
    turns: list[Turn] = Field(default_factory=list)


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _turn(row: TurnRow) -> Turn:
    return Turn(
        position=row.position, question=row.question, standalone_question=row.standalone_question,
        answer=row.answer, citations=[Citation.model_validate(c) for c in json.loads(row.citations_json)],
        grounded=row.grounded, script=row.script, created_at=row.created_at,
    )


def _not_found(conversation_id: str) -> NotFoundError:
    shown = conversation_id if len(conversation_id) <= 40 else conversation_id[:40] + "…"
    return NotFoundError(
        f"conversation '{shown}' does not exist; start a new one by asking without a conversation id"
    )


class ConversationStore:
    """Reads and writes conversations in the state database of ``settings``."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def create(self, title: str = "", *, owner: str | None = None) -> str:
        """A new, empty conversation's id, owned by ``owner`` (a key id; None: the anonymous caller)."""
        now = _now()
        conversation_id = uuid.uuid4().hex
        with self._session() as session:
            session.add(ConversationRow(id=conversation_id, title=title[:200], owner=owner, created_at=now,
                                        updated_at=now))
        return conversation_id

    def require_owner(self, conversation_id: str, owner: str | None) -> None:
        """Nothing when ``owner`` started the conversation; NotFoundError otherwise, the same as for an
        unknown id, so nobody learns which ids exist."""
        if isinstance(conversation_id, str) and _ID.match(conversation_id):
            with self._session() as session:
                row = session.get(ConversationRow, conversation_id)
                if row is not None and row.owner == owner:
                    return
        raise _not_found(str(conversation_id))

    def exists(self, conversation_id: str) -> bool:
        if not isinstance(conversation_id, str) or not _ID.match(conversation_id):
            return False
        with self._session() as session:
            return session.get(ConversationRow, conversation_id) is not None

    def require(self, conversation_id: str) -> None:
        """Nothing, or NotFoundError when there is no such conversation."""
        if not self.exists(conversation_id):
            raise _not_found(str(conversation_id))

    def get(self, conversation_id: str) -> Conversation:
        """The conversation with all its turns; NotFoundError for an unknown id."""
        if not isinstance(conversation_id, str) or not _ID.match(conversation_id):
            raise _not_found(str(conversation_id))
        with self._session() as session:
            row = session.get(ConversationRow, conversation_id)
            if row is None:
                raise _not_found(conversation_id)
            turns = session.scalars(
                select(TurnRow).where(TurnRow.conversation_id == conversation_id).order_by(TurnRow.position)
            ).all()
            return Conversation(id=row.id, title=row.title, created_at=row.created_at,
                                updated_at=row.updated_at, turns=[_turn(t) for t in turns])

    def recent_turns(self, conversation_id: str, limit: int = 4) -> list[Turn]:
        """The last ``limit`` turns, oldest first; NotFoundError for an unknown id."""
        self.require(conversation_id)
        with self._session() as session:
            rows = session.scalars(
                select(TurnRow).where(TurnRow.conversation_id == conversation_id)
                .order_by(TurnRow.position.desc()).limit(limit)
            ).all()
            return [_turn(t) for t in reversed(rows)]

    def add_turn(self, conversation_id: str | None, *, question: str, standalone_question: str, answer: str,
                 citations: list[Citation], grounded: bool, script: str) -> tuple[str, Turn]:
        """Append a turn in one transaction, starting a new conversation when ``conversation_id`` is
        None; the conversation's id and the turn. NotFoundError when the conversation does not exist."""
        for attempt in range(_POSITION_RETRIES):
            try:
                return self._add_turn(conversation_id, question=question, standalone_question=standalone_question,
                                      answer=answer, citations=citations, grounded=grounded, script=script)
            except StoreError as exc:
                # Two answers in the same conversation took the same position: number this one again.
                if not isinstance(exc.__cause__, IntegrityError) or attempt == _POSITION_RETRIES - 1:
                    raise
        raise AssertionError("unreachable")

    def _add_turn(self, conversation_id: str | None, *, question: str, standalone_question: str, answer: str,
                  citations: list[Citation], grounded: bool, script: str) -> tuple[str, Turn]:
        now = _now()
        with self._session() as session:
            if conversation_id is None:
                conversation_id = uuid.uuid4().hex
                session.add(ConversationRow(id=conversation_id, title=question[:200], created_at=now,
                                            updated_at=now))
                last: int | None = 0
            else:
                # Writing the conversation row first takes the write lock (SQLite) or the row lock
                # (PostgreSQL), so answers arriving together in one conversation are numbered in turn.
                result = session.execute(
                    update(ConversationRow).where(ConversationRow.id == conversation_id).values(updated_at=now)
                )
                touched = getattr(result, "rowcount", 0)
                if not touched:
                    raise _not_found(conversation_id)
                last = session.scalar(
                    select(func.max(TurnRow.position)).where(TurnRow.conversation_id == conversation_id)
                )
            row = TurnRow(
                conversation_id=conversation_id, position=(last or 0) + 1, question=question,
                standalone_question=standalone_question, answer=answer,
                citations_json=json.dumps([c.model_dump() for c in citations], ensure_ascii=False),
                grounded=grounded, script=script, created_at=now,
            )
            session.add(row)
            session.flush()
            return conversation_id, _turn(row)

    @contextmanager
    def _session(self) -> Iterator[Session]:
        try:
            with session_scope(self.settings) as session:
                yield session
        except SQLAlchemyError as exc:
            raise StoreError(
                f"the state database failed while saving or reading a conversation ({exc.__class__.__name__}); "
                "check CEHUA_DATABASE_URL and that the database is running"
            ) from exc
