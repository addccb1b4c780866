"""Background jobs and their progress events, kept in the state database.

A job (drafting a plan, regenerating a section) runs in whichever API worker accepted it, and
writes every progress event to the database; any worker can then stream the events to a client
by reading them back in id order. Nothing about a job lives only in a process's memory.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid
from typing import Any, Literal

from pydantic import BaseModel
from sqlalchemy import DateTime, Integer, String, Text, select, update
from sqlalchemy.orm import Mapped, Session, mapped_column

from assistant.store.db import Base
from core.errors import NotFoundError

JobStatus = Literal["queued", "running", "succeeded", "failed"]
FINISHED: tuple[str, ...] = ("succeeded", "failed")
# The worker running a job touches it this often (``touch``), between progress events too.
HEARTBEAT_SECONDS = 5.0
# A job not touched for this long lost its worker (process killed, machine gone). A worker on this
# host that no longer exists is known lost at once.
STALE_AFTER = dt.timedelta(seconds=30)
_HOST = socket.gethostname()


class JobRow(Base):
    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    plan_id: Mapped[str | None] = mapped_column(String(32), index=True, nullable=True)
    status: Mapped[str] = mapped_column(String(16))
    worker: Mapped[str] = mapped_column(String(200), default="")
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class JobEventRow(Base):
    __tablename__ = "job_events"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    job_id: Mapped[str] = mapped_column(String(32), index=True)
    event: Mapped[str] = mapped_column(String(64))
    data: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class Job(BaseModel):
    """A job's state as clients see it."""

    id: str
    kind: str
    plan_id: str | None
    status: JobStatus
    error: dict[str, str] | None = None
    created_at: dt.datetime
    updated_at: dt.datetime

    @property
    def finished(self) -> bool:
        return self.status in FINISHED


class JobEvent(BaseModel):
    """One progress event; ``id`` increases, so a client resumes with the last id it saw."""

    id: int
    event: str
    data: dict[str, Any]


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def _to_model(row: JobRow) -> Job:
    return Job(
        id=row.id, kind=row.kind, plan_id=row.plan_id, status=row.status,  # type: ignore[arg-type]
        error={"code": row.error_code, "message": row.error_message or ""} if row.error_code else None,
        created_at=_aware(row.created_at), updated_at=_aware(row.updated_at),
    )


def create_job(session: Session, kind: str, *, plan_id: str | None = None) -> Job:
    """A new queued job owned by this process."""
    now = _now()
    row = JobRow(
        id=uuid.uuid4().hex, kind=kind, plan_id=plan_id, status="queued",
        worker=f"{socket.gethostname()}:{os.getpid()}", created_at=now, updated_at=now,
    )
    session.add(row)
    session.flush()
    return _to_model(row)


def _row(session: Session, job_id: str) -> JobRow:
    row = session.get(JobRow, job_id)
    if row is None:
        raise NotFoundError(f"no job '{job_id}'")
    return row


def set_status(session: Session, job_id: str, status: JobStatus, *, error_code: str | None = None,
               error_message: str | None = None) -> None:
    """Move the job to ``status`` (with the error when it failed)."""
    row = _row(session, job_id)
    row.status = status
    row.error_code, row.error_message = error_code, error_message
    row.updated_at = _now()
    session.flush()


def add_event(session: Session, job_id: str, event: str, data: dict[str, Any]) -> int:
    """Append a progress event to the job (and mark the job alive); returns the event id."""
    row = JobEventRow(job_id=job_id, event=event, data=json.dumps(data, ensure_ascii=False, default=str),
                      created_at=_now())
    session.add(row)
    job = session.get(JobRow, job_id)
    if job is not None:
        job.updated_at = _now()
    session.flush()
    return row.id


def touch(session: Session, job_ids: list[str]) -> None:
    """Mark these unfinished jobs alive (the worker's heartbeat)."""
    if job_ids:
        session.execute(update(JobRow).where(JobRow.id.in_(job_ids), JobRow.status.not_in(FINISHED))
                        .values(updated_at=_now()))


def _worker_gone(worker: str) -> bool:
    """True when ``worker`` ("host:pid") ran on this host and that process no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != _HOST or not pid.isdigit() or int(pid) == os.getpid():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except OSError:  # exists, owned by someone else
        return False
    return False


def _lost(row: JobRow) -> bool:
    return row.status not in FINISHED and (
        _now() - _aware(row.updated_at) > STALE_AFTER or _worker_gone(row.worker))


def fail(session: Session, job_id: str, code: str, message: str) -> None:
    """End the job as failed: its status, its plan marked failed with the reason, and an ``error``
    event, so every client following it is told."""
    from assistant.store import plans as plan_store

    row = _row(session, job_id)
    row.status, row.error_code, row.error_message = "failed", code, message
    row.updated_at = _now()
    if row.plan_id is not None:
        try:
            plan_store.mark_failed(session, row.plan_id, code, message)
        except NotFoundError:  # the plan was deleted: the job still ends
            pass
    add_event(session, job_id, "error", {"error": {"code": code, "message": message}})


def get_job(session: Session, job_id: str) -> Job:
    """The job; one whose worker died (killed, or silent for ``STALE_AFTER``) is failed on the spot."""
    row = _row(session, job_id)
    if _lost(row):
        fail(session, job_id, "job_lost",
             f"the worker drafting this plan ({row.worker}) stopped before finishing (it was restarted or "
             "lost its database); start it again with POST /v1/plans/{id}/retry".replace("{id}", row.plan_id or "ID"))
    return _to_model(row)


def latest_job_for_plan(session: Session, plan_id: str) -> Job | None:
    """The plan's most recent job, or None when it never had one."""
    row = session.execute(
        select(JobRow).where(JobRow.plan_id == plan_id).order_by(JobRow.created_at.desc()).limit(1)
    ).scalar_one_or_none()
    return get_job(session, row.id) if row is not None else None


def events_after(session: Session, job_id: str, after_id: int = 0, limit: int = 500) -> list[JobEvent]:
    """The job's events with an id above ``after_id``, in order."""
    rows = session.scalars(
        select(JobEventRow)
        .where(JobEventRow.job_id == job_id, JobEventRow.id > after_id)
        .order_by(JobEventRow.id)
        .limit(limit)
    ).all()
    return [JobEvent(id=r.id, event=r.event, data=json.loads(r.data)) for r in rows]
