"""Drafting jobs: run in a thread of the worker that accepted them (at most ``max_concurrency`` at once),
progress written to the database by ``assistant.planning.jobs``.

``JobProgress`` turns the drafting pipeline's ``DraftProgress`` callbacks into job events; any
worker streams them to clients from the database (``assistant.store.jobs``). A job ends with a
``done`` event (the saved plan version and its findings) or an ``error`` event.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from assistant.planning.jobs import JobProgress, finding_summary, run_draft_job
from assistant.store import jobs as job_store
from assistant.store.db import session_scope
from core.errors import CehuaError
from core.settings import Settings

log = logging.getLogger("cehua.api.jobs")


class JobRunner:
    """A bounded thread pool for this process's jobs."""

    def __init__(self, max_workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="cehua-job")
        self._pending: dict[str, tuple[Settings, Future[None]]] = {}
        self._lock = threading.Lock()

    def submit(self, settings: Settings, job_id: str, fn: Any, /, *args: Any, **kwargs: Any) -> Future[None]:
        """Run ``fn`` for ``job_id`` in the pool; the future tells when it ended."""
        future = self._pool.submit(fn, *args, **kwargs)
        with self._lock:
            self._pending[job_id] = (settings, future)
        future.add_done_callback(lambda _f: self._forget(job_id))
        return future

    def _forget(self, job_id: str) -> None:
        with self._lock:
            self._pending.pop(job_id, None)

    def shutdown(self) -> None:
        """Stop taking jobs; jobs that never started are recorded as failed so clients are told."""
        with self._lock:  # before cancelling: a cancelled future's callback forgets its job
            pending = list(self._pending.items())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for job_id, (settings, future) in pending:
            if future.cancelled():
                try:
                    with session_scope(settings) as session:
                        message = "the server shut down before this job started; start it again"
                        job_store.set_status(session, job_id, "failed", error_code="job_cancelled",
                                             error_message=message)
                        job_store.add_event(session, job_id, "error",
                                            {"error": {"code": "job_cancelled", "message": message}})
                except CehuaError:
                    log.warning("could not record cancelled job %s", job_id)


__all__ = ["JobProgress", "JobRunner", "finding_summary", "run_draft_job"]
