"""The Cehua HTTP API: ``create_app(settings)`` assembles routers, middleware and error handlers.

Run it with ``cehua serve`` (uvicorn), or ``uvicorn --factory api.main:create_app``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.metadata import PackageNotFoundError, version

from fastapi import FastAPI
from fastapi_offline import FastAPIOffline

from api import integrations
from api.errors import install_error_handlers
from api.jobs import JobRunner
from api.middleware import (
    BodyLimitMiddleware,
    CorsMiddleware,
    OpenModeHostMiddleware,
    SecurityHeadersMiddleware,
    UnexpectedErrorMiddleware,
)
from api.model_pool import ModelPool
from api.routes import chat, health, kb, openai_compat, plans, search, widget
from core.errors import CehuaError
from core.settings import Settings, get_settings

log = logging.getLogger("cehua.api")


class Warmup:
    """Loads the knowledge index in the background so /healthz answers at once and /readyz says when
    the index is usable."""

    def __init__(self) -> None:
        self.status = "loading"
        self.thread: threading.Thread | None = None

    def start(self, app: FastAPI, settings: Settings) -> None:
        def run() -> None:
            from api.deps import Services

            try:
                # The same services a request builds: drafting jobs under the app's JobRunner, not inline.
                services: Services = app.state.services.setdefault(
                    id(settings), Services(settings, jobs=app.state.jobs))
                kb = services.knowledge_base()
                kb.ensure_ready()
                services.chat_service().warm_up()
                self.status = "ok"
            except CehuaError as exc:
                self.status = exc.message
                log.error("index not ready: %s", exc.message)
            except Exception as exc:  # reported by /readyz rather than killing the worker
                self.status = f"{exc.__class__.__name__}: {exc}"
                log.exception("index warm-up failed")

        self.thread = threading.Thread(target=run, name="cehua-warmup", daemon=True)
        self.thread.start()


class RetentionSweeper:
    """Deletes expired plans and conversations (``assistant.store.retention``) when the app starts
    and every ``interval`` seconds after, in a daemon thread that stops with the app."""

    def __init__(self, settings: Settings, interval: float = 3600.0) -> None:
        self.settings = settings
        self.interval = interval
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        def run() -> None:
            from assistant.store.retention import purge_expired

            while not self.stopped.is_set():
                try:
                    purged = purge_expired(self.settings)
                    if purged.plans or purged.conversations or purged.jobs:
                        log.info("retention: deleted %d plans, %d conversations, %d jobs older than %g days",
                                 purged.plans, purged.conversations, purged.jobs, self.settings.retention_days)
                except CehuaError as exc:  # the next sweep tries again
                    log.warning("retention sweep failed: %s", exc.message)
                except Exception:  # never kill the worker over housekeeping; the next sweep tries again
                    log.exception("retention sweep failed")
                self.stopped.wait(self.interval)

        self.thread = threading.Thread(target=run, name="cehua-retention", daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()


def _version() -> str:
    try:
        return version("cehua")
    except PackageNotFoundError:  # running from a source tree without installing
        return "0"


def create_app(settings: Settings | None = None, *, warm: bool = True) -> FastAPI:
    """The API app for ``settings`` (default: from the environment)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            app.state.warmup.start(app, settings)
        else:
            app.state.warmup.status = "ok"
        app.state.retention.start()
        yield
        app.state.retention.stop()
        app.state.jobs.shutdown()
        app.state.model_pool.shutdown()
        integrations.stop_replies(app)

    # FastAPIOffline serves Swagger UI's and ReDoc's assets from the package, so /docs works offline.
    app = FastAPIOffline(
        title="Cehua API",
        version=_version(),
        description="Answers from marketing guidebooks with citations; campaign plans drafted and checked.",
        lifespan=lifespan,
        docs_url="/docs",
        redoc_url="/redoc",
    )
    app.state.settings = settings
    app.state.services = {}
    app.state.jobs = JobRunner(settings.max_concurrency)
    app.state.model_pool = ModelPool(settings.model_concurrency)
    app.state.warmup = Warmup()
    app.state.retention = RetentionSweeper(settings)
    install_error_handlers(app)
    # Added last runs first: the size limit applies before the host check, CORS and routing, and every
    # answer (the limits', the host check's and CORS's refusals too) carries the security headers.
    app.add_middleware(UnexpectedErrorMiddleware)
    app.add_middleware(CorsMiddleware, settings=settings)
    app.add_middleware(OpenModeHostMiddleware, settings=settings)
    app.add_middleware(BodyLimitMiddleware, settings=settings)
    app.add_middleware(SecurityHeadersMiddleware)

    app.include_router(health.router)
    app.include_router(search.router)
    app.include_router(chat.router)
    app.include_router(plans.router)
    app.include_router(kb.router)
    app.include_router(openai_compat.router)

    # Web widget and chat-platform integrations: one include_router line each, below.
    app.include_router(widget.router)
    app.include_router(integrations.router)

    return app
