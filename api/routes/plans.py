"""Plans: draft from a brief or a sentence (as a job with streamed progress), read, edit,
regenerate sections, validate uploaded plans, export, and list versions."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Header, Path, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel, ValidationError
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from api.deps import ClientKeyDep, PlanServiceDep, SessionDep, SettingsDep
from api.errors import MissingFieldsError
from api.schemas import (
    ERRORS,
    PlanCreate,
    PlanCreated,
    SectionEdit,
    ValidateRequest,
    ValidateResponse,
    VersionCreated,
)
from api.sse import event_stream, sse_event
from assistant.planning import finding_summary
from assistant.store import jobs as job_store
from assistant.store import plans as plan_store
from assistant.store.db import session_scope
from assistant.store.jobs import Job
from assistant.store.keys import ApiKey
from assistant.store.plans import PlanVersion, StoredPlan, VersionInfo
from core.errors import BriefError, CehuaError, InputError, NotFoundError
from core.plan import Brief
from core.settings import Settings

router = APIRouter(prefix="/v1/plans", tags=["plans"])

# Poll the database every 50 ms while events flow, backing off to 0.5 s while a job is quiet.
_POLL_SECONDS = 0.05
_POLL_MAX_SECONDS = 0.5
# Versions and event ids are 32-bit integer columns (PostgreSQL's INTEGER): larger numbers are a 422.
MAX_ID = 2**31 - 1


def missing_fields_error(brief: Brief) -> MissingFieldsError | None:
    """The 422 error asking for a brief's missing essentials, in the brief's script; None when complete."""
    from assistant.planning import missing_message

    missing = brief.missing()
    return MissingFieldsError(missing_message(brief), missing) if missing else None


def brief_from_body(body: PlanCreate, max_chars: int | None = None) -> Brief:
    """The brief a create request describes (structured or a sentence of at most ``max_chars``)."""
    from assistant.briefs import brief_from_mapping, parse_request

    if (body.brief is None) == (body.request is None):
        raise InputError("send either 'request' (the plan request as text) or 'brief' (its fields), "
                         "not both and not neither", code="invalid_request")
    if body.brief is not None:
        return brief_from_mapping(body.brief, source="brief")
    text = (body.request or "").strip()
    if not text:
        raise InputError("'request' is empty: describe the campaign, its budget and dates",
                         code="invalid_request")
    if max_chars is not None and len(text) > max_chars:
        # The same limit as a question: the rest of an overlong request became the plan's product.
        raise BriefError(f"'request' is {len(text)} characters, over the limit of {max_chars}: describe the campaign "
                         "in fewer words (CEHUA_MAX_QUESTION_CHARS sets the limit)", field="request",
                         code="invalid_request")
    return parse_request(text)


class PlanView(StoredPlan):
    """A plan with its current version and the state of its latest job."""

    job: Job | None = None


class VersionList(BaseModel):
    plan_id: str
    versions: list[VersionInfo]


def owned_plan(session: Any, plan_id: str, key: ApiKey | None) -> StoredPlan:
    """The plan, if this caller may see it: a widget key sees only the plans it created (404 otherwise,
    so other sites' plan ids are not confirmed)."""
    stored = plan_store.get_plan(session, plan_id)
    if key is not None and key.kind == "widget" and stored.key_id != key.id:
        raise NotFoundError(f"no plan '{plan_id}': create one with POST /v1/plans")
    return stored


@router.post("", status_code=202, response_model=PlanCreated, responses=ERRORS)
def create_plan(key: ClientKeyDep, body: PlanCreate, response: Response, plans: PlanServiceDep,
                settings: SettingsDep) -> PlanCreated:
    """Start drafting a plan; follow its progress at ``events_url`` and read it at ``url``."""
    brief = brief_from_body(body, settings.max_question_chars)
    missing = missing_fields_error(brief)
    if missing is not None:
        raise missing
    plan_id, job_id, _ = plans.start_draft(brief, template_name=body.template, request_text=body.request,
                                           key_id=key.id if key else None)
    response.headers["Location"] = f"/v1/plans/{plan_id}"
    return PlanCreated(id=plan_id, job_id=job_id, status="drafting", brief=brief,
                       url=f"/v1/plans/{plan_id}", events_url=f"/v1/plans/{plan_id}/events")


@router.post("/{plan_id}/retry", status_code=202, response_model=PlanCreated, responses=ERRORS)
def retry_plan(key: ClientKeyDep, plan_id: str, session: SessionDep, plans: PlanServiceDep) -> PlanCreated:
    """Draft a plan whose drafting failed (a model or database outage, a restarted server) again."""
    stored = owned_plan(session, plan_id, key)
    job_id, _ = plans.retry_draft(plan_id)
    return PlanCreated(id=plan_id, job_id=job_id, status="drafting", brief=stored.brief,
                       url=f"/v1/plans/{plan_id}", events_url=f"/v1/plans/{plan_id}/events")


@router.post("/validate", response_model=ValidateResponse, responses=ERRORS, openapi_extra={
    "requestBody": {"content": {
        "application/json": {"schema": ValidateRequest.model_json_schema()},
        "multipart/form-data": {"schema": {"type": "object", "properties": {
            "file": {"type": "string", "format": "binary"}, "template": {"type": "string"}}}},
        "text/markdown": {"schema": {"type": "string"}},
    }}})
async def validate(_key: ClientKeyDep, request: Request, plans: PlanServiceDep) -> ValidateResponse:
    """Check a plan: JSON ``{"markdown"}``, a multipart ``file`` (Markdown, text or Word .docx), or a
    text/markdown body. The plan kind is recognised from its title and headings unless ``template`` is given."""
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    brief_data: dict[str, Any] | None = None
    template: str | None = None
    if content_type == "multipart/form-data":
        async with request.form() as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str):
                raise InputError("multipart upload has no 'file' part: send the plan as file=@plan.md",
                                 code="invalid_request")
            raw = await upload.read()
            template = str(form.get("template") or "") or None
            name = upload.filename or "plan.md"
    elif content_type in ("text/markdown", "text/plain"):
        raw, name = await request.body(), "body"
    else:
        try:
            data = json.loads(await request.body())
        except (json.JSONDecodeError, UnicodeDecodeError) as exc:
            raise InputError(f"the request body is not valid JSON ({exc}): send {{\"markdown\": \"...\"}}",
                             code="invalid_json") from exc
        except RecursionError as exc:
            raise InputError("the request body nests JSON too deeply: send {\"markdown\": \"...\"}",
                             code="invalid_json") from exc
        try:
            body = ValidateRequest.model_validate(data)
        except ValidationError as exc:
            # The same answer as a body FastAPI validates itself: the field named, not pydantic's class.
            raise RequestValidationError([{**e, "loc": ("body", *e["loc"])} for e in exc.errors()]) from exc
        raw, name, brief_data, template = body.markdown.encode("utf-8"), "markdown", body.brief, body.template
    result = await run_in_threadpool(plans.validate, raw, name, brief_data, template)
    plan = result.plan
    return ValidateResponse(ok=result.ok, findings=result.findings, title=plan.title,
                            chapters=[c.title for c in plan.chapters], template=result.template.name,
                            template_title=result.template.title.get(plan.script, result.template.name),
                            template_chosen=result.chosen, template_known=result.kind_known)


@router.get("/{plan_id}", response_model=PlanView, responses=ERRORS)
def get_plan(key: ClientKeyDep, plan_id: str, session: SessionDep) -> PlanView:
    """The plan: its brief, status, current version (Markdown, findings, citations) and job state."""
    stored = owned_plan(session, plan_id, key)
    return PlanView(**stored.model_dump(), job=job_store.latest_job_for_plan(session, plan_id))


@router.get("/{plan_id}/versions", response_model=VersionList, responses=ERRORS)
def list_versions(key: ClientKeyDep, plan_id: str, session: SessionDep) -> VersionList:
    """Every saved version of the plan, oldest first."""
    owned_plan(session, plan_id, key)
    return VersionList(plan_id=plan_id, versions=plan_store.list_versions(session, plan_id))


@router.get("/{plan_id}/versions/{version}", response_model=PlanVersion, responses=ERRORS)
def get_version(key: ClientKeyDep, plan_id: str, version: Annotated[int, Path(ge=1, le=MAX_ID)],
                session: SessionDep) -> PlanVersion:
    """One saved version of the plan."""
    owned_plan(session, plan_id, key)
    return plan_store.get_version(session, plan_id, version)


@router.put("/{plan_id}/sections/{key}", response_model=VersionCreated, responses=ERRORS)
def edit_section(caller: ClientKeyDep, plan_id: str, key: str, body: SectionEdit, session: SessionDep,
                 plans: PlanServiceDep) -> VersionCreated:
    """Replace one section's body (and heading); saves and re-validates a new version."""
    owned_plan(session, plan_id, caller)
    change = plans.edit_section(plan_id, key, body.body, body.title, body.note)
    return VersionCreated(id=plan_id, version=change.state.version, markdown=change.markdown,
                          findings=change.state.findings)


@router.post("/{plan_id}/sections/{key}/regenerate", response_model=VersionCreated, responses=ERRORS)
async def regenerate_section(caller: ClientKeyDep, plan_id: str, key: str, request: Request, settings: SettingsDep,
                             plans: PlanServiceDep) -> VersionCreated:
    """Draft one section again from the guidebooks; saves and re-validates a new version."""

    def check_owner() -> None:
        with session_scope(settings) as session:
            owned_plan(session, plan_id, caller)

    await run_in_threadpool(check_owner)
    # The redraft waits on the model: the model pool's threads, not the ones other routes need.
    change = await request.app.state.model_pool.run(plans.regenerate, plan_id, key)
    return VersionCreated(id=plan_id, version=change.state.version, markdown=change.markdown,
                          findings=change.state.findings)


_EXPORT_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


@router.get("/{plan_id}/export", responses={**ERRORS, 200: {"content": {t: {} for t in _EXPORT_TYPES.values()}}})
def export(key: ClientKeyDep, plan_id: str, session: SessionDep, plans: PlanServiceDep,
           format: Annotated[Literal["md", "docx", "json"], Query(description="md, docx or json")] = "md",
           version: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Version (default: current)")] = None,
           ) -> Response:
    """The plan as a Markdown, Word or JSON file."""
    owned_plan(session, plan_id, key)
    exported = plans.export(plan_id, format, version)
    return Response(exported.data, media_type=_EXPORT_TYPES[format],
                    headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'})


@router.get("/{plan_id}/charts/{name}.png", responses={**ERRORS, 200: {"content": {"image/png": {}}}})
def chart(key: ClientKeyDep, plan_id: str, name: Literal["timeline", "budget"], session: SessionDep,
          plans: PlanServiceDep,
          version: Annotated[int | None, Query(ge=1, le=MAX_ID, description="Version (default: current)")] = None,
          ) -> Response:
    """The plan's timeline as a Gantt chart or its budget split, as a PNG in the plan's script (the
    widget's plan preview shows both)."""
    owned_plan(session, plan_id, key)
    return Response(plans.chart(plan_id, name, version), media_type="image/png",
                    headers={"Cache-Control": "private, max-age=60"})


def _job_and_events(settings: Settings, plan_id: str, after: int,
                    key: ApiKey | None) -> tuple[Job | None, list[Any]]:
    with session_scope(settings) as session:
        owned_plan(session, plan_id, key)  # 404 for unknown plans and other widgets' plans
        job = job_store.latest_job_for_plan(session, plan_id)
        events = job_store.events_after(session, job.id, after) if job else []
        return job, events


@router.get("/{plan_id}/events", responses={**ERRORS, 200: {"content": {"text/event-stream": {}}}})
async def events(
    key: ClientKeyDep, plan_id: str, settings: SettingsDep,
    last_event_id: Annotated[str | None, Header()] = None,
    after: Annotated[int, Query(ge=0, le=MAX_ID, description="Resume after this event id")] = 0,
) -> EventSourceResponse:
    """The drafting job's progress as server-sent events: started, outline, section_started,
    section_drafted, validated, section_repaired, then done (or error). Resumable with Last-Event-ID."""
    if last_event_id and re.fullmatch(r"[0-9]+", last_event_id.strip()):
        if len(last_event_id.strip()) > len(str(MAX_ID)) or int(last_event_id.strip()) > MAX_ID:
            raise InputError(f"Last-Event-ID {last_event_id.strip()[:20]} is not an event id of this stream: "
                             "send the id of the last event received", code="invalid_request")
        after = max(after, int(last_event_id.strip()))
    job, first = await run_in_threadpool(_job_and_events, settings, plan_id, after, key)
    if job is None:
        raise NotFoundError(f"plan '{plan_id}' has no drafting job")

    async def stream() -> AsyncIterator[ServerSentEvent]:
        nonlocal job
        pending, last, wait = first, after, _POLL_SECONDS
        while True:
            for event in pending:
                last = event.id
                yield sse_event(event.event, event.data, id=event.id)
            if job is not None and job.finished and not pending:
                return
            wait = _POLL_SECONDS if pending else min(wait * 1.5, _POLL_MAX_SECONDS)
            await asyncio.sleep(wait)  # keep-alive comments come from event_stream meanwhile
            try:
                job, pending = await run_in_threadpool(_job_and_events, settings, plan_id, last, key)
            except CehuaError as exc:
                yield sse_event("error", {"error": {"code": exc.code, "message": exc.message}})
                return

    return event_stream(stream(), settings)


__all__ = ["router", "finding_summary", "missing_fields_error", "brief_from_body"]
