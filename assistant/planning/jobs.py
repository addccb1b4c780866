"""Drafting jobs: progress written to the database as events, the result saved as a plan version.

``JobProgress`` turns the drafting pipeline's ``DraftProgress`` callbacks into job events; any
worker streams them to clients from the database (``assistant.store.jobs``). A job ends with a
``done`` event (the saved plan version and its findings) or an ``error`` event.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import Any, Protocol

from assistant.drafting.progress import DraftProgress
from assistant.store import jobs as job_store
from assistant.store import plans as plan_store
from assistant.store.db import session_scope
from core.errors import CehuaError
from core.plan import Brief, Finding
from core.settings import Settings

log = logging.getLogger("cehua.jobs")


class DraftEngine(Protocol):
    """Drafting bound to a retriever and a model (the API's and CLI's ``Drafter``)."""

    settings: Settings

    def draft(self, brief: Any, *, template: str = "promotion", progress: Any = None) -> Any: ...

    def redraft(self, plan: Any, brief: Any, section_key: str, *, template: str = "promotion",
                progress: Any = None) -> Any: ...


def finding_summary(findings: list[Finding]) -> dict[str, Any]:
    """Counts and the findings themselves, as events and responses show them."""
    errors = sum(1 for f in findings if f.severity == "error")
    return {
        "ok": errors == 0,
        "errors": errors,
        "warnings": sum(1 for f in findings if f.severity == "warning"),
        "findings": [f.model_dump(mode="json") for f in findings],
    }


class JobProgress(DraftProgress):
    """Writes each drafting event of one job to the database, in the order they happen."""

    def __init__(self, settings: Settings, job_id: str) -> None:
        self.settings = settings
        self.job_id = job_id
        # Sections are drafted concurrently; one writer at a time keeps event ids in call order.
        self._lock = threading.Lock()

    def emit(self, event: str, data: dict[str, Any]) -> None:
        """Store one event for the job."""
        with self._lock, session_scope(self.settings) as session:
            job_store.add_event(session, self.job_id, event, data)

    def on_outline(self, outline: Any) -> None:
        self.emit("outline", {
            "title": outline.title, "template": outline.template, "script": outline.script,
            "sections": [{"key": s.key, "title": s.title, "heading": s.heading} for s in outline.sections],
        })

    def on_section_started(self, section: Any) -> None:
        self.emit("section_started", {"key": section.key, "title": section.title, "index": section.index})

    def on_section_drafted(self, section: Any, draft: Any) -> None:
        self.emit("section_drafted", {
            "key": section.key, "title": section.title, "index": section.index,
            "supported": draft.supported, "citations": list(draft.citations),
        })

    def on_validated(self, findings: list[Finding]) -> None:
        self.emit("validated", finding_summary(findings))

    def on_section_repaired(self, section: Any, attempt: int, findings: list[Finding]) -> None:
        self.emit("section_repaired", {"key": section.key, "title": section.title, "attempt": attempt,
                                       **finding_summary(findings)})


def run_draft_job(settings: Settings, drafter: DraftEngine, *, job_id: str, plan_id: str, brief: Brief,
                  template: str) -> None:
    """Draft the plan, save it as a new version and finish the job (errors end it as failed)."""
    progress = JobProgress(settings, job_id)
    with session_scope(settings) as session:
        job_store.set_status(session, job_id, "running")
        job_store.add_event(session, job_id, "started", {"plan_id": plan_id, "job_id": job_id})
    try:
        result = drafter.draft(brief, template=template, progress=progress)
        with session_scope(settings) as session:
            version = plan_store.add_version(
                session, plan_id, plan=result.plan, markdown=result.plan_markdown, findings=result.findings,
                citations=result.citations, source="draft",
                note="; ".join(getattr(result, "notices", []) or []), brief=brief,
            )
            job_store.set_status(session, job_id, "succeeded")
            job_store.add_event(session, job_id, "done", {
                "plan_id": plan_id, "version": version, "title": result.plan.title,
                "offline": result.offline, "notices": list(getattr(result, "notices", []) or []),
                **finding_summary(result.findings),
            })
    except Exception as exc:
        if isinstance(exc, CehuaError):
            code, message = exc.code, exc.message
        else:
            log.exception("drafting job %s failed", job_id)
            code, message = "internal_error", "drafting failed unexpectedly; it was logged — please report it"
        record_failure(settings, job_id, code, message)


# How long a failed job keeps trying to record its failure while the database is down.
RECORD_FAILURE_SECONDS = 120.0


def record_failure(settings: Settings, job_id: str, code: str, message: str, *,
                   within: float = RECORD_FAILURE_SECONDS) -> None:
    """End the job as failed (plan marked failed, ``error`` event); while the database is down, try again
    every few seconds, so the job ends as soon as it is back instead of waiting to be found stale."""
    deadline, wait = time.monotonic() + within, 0.5
    while True:
        try:
            with session_scope(settings) as session:
                job_store.fail(session, job_id, code, message)
            return
        except CehuaError as exc:
            if time.monotonic() + wait > deadline:
                log.warning("could not record the failure of job %s (%s); readers will find it stale",
                            job_id, exc.message)
                return
            time.sleep(wait)
            wait = min(wait * 2, 5.0)


__all__ = ["DraftEngine", "JobProgress", "finding_summary", "record_failure", "run_draft_job"]
