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

from assistant.planning.jobs import JobProgress, finding_summary, record_failure, run_draft_job
from assistant.store import jobs as job_store
from assistant.store.db import session_scope
from core.errors import CehuaError
from core.settings import Settings

log = logging.getLogger("cehua.api.jobs")


class JobRunner:
    """A bounded thread pool for this process's jobs, with a heartbeat: every
    ``job_store.HEARTBEAT_SECONDS`` it marks its jobs alive, so a job whose worker died is found lost
    within ``job_store.STALE_AFTER`` by any other worker."""

    def __init__(self, max_workers: int) -> None:
        self._pool = ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="cehua-job")
        self._pending: dict[str, tuple[Settings, Future[None]]] = {}
        self._lock = threading.Lock()
        self._stopped = threading.Event()
        threading.Thread(target=self._heartbeat, name="cehua-job-heartbeat", daemon=True).start()

    def _heartbeat(self) -> None:
        while not self._stopped.wait(job_store.HEARTBEAT_SECONDS):
            with self._lock:
                by_settings: dict[int, tuple[Settings, list[str]]] = {}
                for job_id, (settings, _future) in self._pending.items():
                    by_settings.setdefault(id(settings), (settings, []))[1].append(job_id)
            for settings, job_ids in by_settings.values():
                try:
                    with session_scope(settings) as session:
                        job_store.touch(session, job_ids)
                except CehuaError:  # database down: the jobs record their own failure when it is back
                    continue

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
        self._stopped.set()
        with self._lock:  # before cancelling: a cancelled future's callback forgets its job
            pending = list(self._pending.items())
        self._pool.shutdown(wait=False, cancel_futures=True)
        for job_id, (settings, future) in pending:
            if future.cancelled():
                record_failure(settings, job_id, "job_cancelled",
                               "the server shut down before this job started; start it again", within=0)


__all__ = ["JobProgress", "JobRunner", "finding_summary", "run_draft_job"]
