"""Plans and their versions, kept in the state database.

A plan row holds what was asked for (the brief, the template) and its status; every draft, edit
or regenerated section adds a version, so nothing a planner saw is ever overwritten.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from typing import Any, Literal

from pydantic import BaseModel, Field
from sqlalchemy import DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column

from assistant.store.db import Base
from core.errors import NotFoundError
from core.plan import Brief, Citation, Finding, Plan

PlanStatus = Literal["drafting", "ready", "failed"]
VersionSource = Literal["draft", "edit", "regenerate", "undo"]


class PlanRow(Base):
    __tablename__ = "plans"

    id: Mapped[str] = mapped_column(String(32), primary_key=True)
    title: Mapped[str] = mapped_column(String(300), default="")
    status: Mapped[str] = mapped_column(String(16))
    template: Mapped[str] = mapped_column(String(64))
    brief_json: Mapped[str] = mapped_column(Text)
    request_text: Mapped[str | None] = mapped_column(Text, nullable=True)
    key_id: Mapped[str | None] = mapped_column(String(32), nullable=True)
    current_version: Mapped[int | None] = mapped_column(Integer, nullable=True)
    error_code: Mapped[str | None] = mapped_column(String(64), nullable=True)
    error_message: Mapped[str | None] = mapped_column(Text, nullable=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PlanVersionRow(Base):
    __tablename__ = "plan_versions"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(String(32), ForeignKey("plans.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    markdown: Mapped[str] = mapped_column(Text)
    plan_json: Mapped[str] = mapped_column(Text)
    findings_json: Mapped[str] = mapped_column(Text)
    citations_json: Mapped[str] = mapped_column(Text)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


class PlanVersionStateRow(Base):
    """What a version was made from: the brief it answers, the version it changed (so undo knows where
    to go back to) and the planner-facing list of changes. A table of its own, so databases created
    before it existed gain it with ``create_all``."""

    __tablename__ = "plan_version_states"
    __table_args__ = (UniqueConstraint("plan_id", "version"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    plan_id: Mapped[str] = mapped_column(String(32), ForeignKey("plans.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    brief_json: Mapped[str] = mapped_column(Text)
    base: Mapped[int | None] = mapped_column(Integer, nullable=True)
    changes_json: Mapped[str] = mapped_column(Text, default="[]")


class PlanVersion(BaseModel):
    """One saved state of a plan."""

    version: int
    source: VersionSource
    note: str = ""
    created_at: dt.datetime
    markdown: str
    plan: Plan
    findings: list[Finding]
    citations: list[Citation]
    brief: Brief | None = Field(default=None, description="The brief this version answers.")
    base: int | None = Field(default=None, description="The version this one changed; undo returns to it.")
    changes: list[str] = Field(default_factory=list, description="What changed, as told to the planner.")


class VersionInfo(BaseModel):
    """A version in a listing (without its content)."""

    version: int
    source: VersionSource
    note: str = ""
    created_at: dt.datetime
    errors: int = Field(description="Error findings in this version.")
    warnings: int


class StoredPlan(BaseModel):
    """A plan as the API returns it: what was asked, its status, and its current version."""

    id: str
    title: str
    status: PlanStatus
    template: str
    brief: Brief
    request_text: str | None = None
    key_id: str | None = None
    error: dict[str, str] | None = None
    created_at: dt.datetime
    updated_at: dt.datetime
    current: PlanVersion | None = None


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _aware(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value


def create_plan(
    session: Session, brief: Brief, *, template: str, request_text: str | None = None,
    key_id: str | None = None,
) -> str:
    """A new plan in 'drafting' status; returns its id."""
    now = _now()
    row = PlanRow(
        id=uuid.uuid4().hex, title=brief.title, status="drafting", template=template,
        brief_json=brief.model_dump_json(), request_text=request_text, key_id=key_id,
        created_at=now, updated_at=now,
    )
    session.add(row)
    session.flush()
    return row.id


def _row(session: Session, plan_id: str) -> PlanRow:
    row = session.get(PlanRow, plan_id)
    if row is None:
        raise NotFoundError(f"no plan '{plan_id}': create one with POST /v1/plans")
    return row


def add_version(
    session: Session, plan_id: str, *, plan: Plan, markdown: str, findings: list[Finding],
    citations: list[Citation], source: VersionSource, note: str = "", brief: Brief | None = None,
    base: int | None = None, changes: list[str] | None = None,
) -> int:
    """Save a new version of the plan, make it current and the plan 'ready'; returns its number.

    ``brief`` (when the version answers a changed brief) becomes the plan's brief; ``base`` is the
    version this one changed and ``changes`` what changed, in the planner's words."""
    row = _row(session, plan_id)
    last = session.scalar(select(func.max(PlanVersionRow.version)).where(PlanVersionRow.plan_id == plan_id))
    number = (last or 0) + 1
    session.add(PlanVersionRow(
        plan_id=plan_id, version=number, source=source, note=note, markdown=markdown,
        plan_json=plan.model_dump_json(), findings_json=_dump_list(findings),
        citations_json=_dump_list(citations), created_at=_now(),
    ))
    if brief is not None:
        row.brief_json = brief.model_dump_json()
    session.add(PlanVersionStateRow(plan_id=plan_id, version=number, brief_json=row.brief_json, base=base,
                                    changes_json=json.dumps(changes or [], ensure_ascii=False)))
    row.current_version = number
    row.status = "ready"
    row.title = plan.title or row.title
    row.error_code = row.error_message = None
    row.updated_at = _now()
    session.flush()
    return number


def mark_failed(session: Session, plan_id: str, code: str, message: str) -> None:
    """Record that drafting failed; a plan with earlier versions keeps them and stays 'ready'."""
    row = _row(session, plan_id)
    row.status = "ready" if row.current_version else "failed"
    row.error_code, row.error_message = code, message
    row.updated_at = _now()
    session.flush()


def mark_drafting(session: Session, plan_id: str) -> None:
    """The plan is being drafted (again): a retry after a failed draft."""
    row = _row(session, plan_id)
    row.status = "drafting"
    row.error_code = row.error_message = None
    row.updated_at = _now()
    session.flush()


def get_plan(session: Session, plan_id: str) -> StoredPlan:
    """The plan with its current version; NotFoundError for unknown ids."""
    row = _row(session, plan_id)
    current = get_version(session, plan_id, row.current_version) if row.current_version else None
    return StoredPlan(
        id=row.id, title=row.title, status=row.status, template=row.template,  # type: ignore[arg-type]
        brief=Brief.model_validate_json(row.brief_json), request_text=row.request_text,
        key_id=row.key_id,
        error={"code": row.error_code, "message": row.error_message or ""} if row.error_code else None,
        created_at=_aware(row.created_at), updated_at=_aware(row.updated_at), current=current,
    )


def get_version(session: Session, plan_id: str, version: int) -> PlanVersion:
    """One version of a plan; NotFoundError when the plan or version does not exist."""
    _row(session, plan_id)
    v = session.execute(
        select(PlanVersionRow).where(PlanVersionRow.plan_id == plan_id, PlanVersionRow.version == version)
    ).scalar_one_or_none()
    if v is None:
        raise NotFoundError(f"plan '{plan_id}' has no version {version}: see GET /v1/plans/{plan_id}/versions")
    state = session.execute(select(PlanVersionStateRow).where(
        PlanVersionStateRow.plan_id == plan_id, PlanVersionStateRow.version == version)).scalar_one_or_none()
    return PlanVersion(
        version=v.version, source=v.source, note=v.note,  # type: ignore[arg-type]
        created_at=_aware(v.created_at), markdown=v.markdown,
        plan=Plan.model_validate_json(v.plan_json),
        findings=[Finding.model_validate(f) for f in json.loads(v.findings_json)],
        citations=[Citation.model_validate(c) for c in json.loads(v.citations_json)],
        brief=Brief.model_validate_json(state.brief_json) if state else None,
        base=state.base if state else None,
        changes=json.loads(state.changes_json) if state else [],
    )


def list_versions(session: Session, plan_id: str) -> list[VersionInfo]:
    """Every version of the plan, oldest first."""
    _row(session, plan_id)
    rows = session.scalars(
        select(PlanVersionRow).where(PlanVersionRow.plan_id == plan_id).order_by(PlanVersionRow.version)
    ).all()
    out = []
    for v in rows:
        findings = json.loads(v.findings_json)
        out.append(VersionInfo(
            version=v.version, source=v.source, note=v.note,  # type: ignore[arg-type]
            created_at=_aware(v.created_at),
            errors=sum(1 for f in findings if f.get("severity") == "error"),
            warnings=sum(1 for f in findings if f.get("severity") == "warning"),
        ))
    return out


def _dump_list(items: list[Any]) -> str:
    return json.dumps([i.model_dump(mode="json") for i in items], ensure_ascii=False)
