"""Liveness and readiness: is the process up, and can it serve (database and index usable)?"""

from __future__ import annotations

import asyncio

import anyio.to_thread
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text
from starlette.concurrency import run_in_threadpool

from api.deps import SettingsDep
from api.errors import error_body
from api.schemas import Health
from assistant.store.db import session_scope
from core.errors import CehuaError
from core.settings import Settings

router = APIRouter(tags=["health"])


@router.get("/healthz", response_model=Health)
async def healthz() -> Health:
    """200 while the process is up (answers before the index is loaded)."""
    return Health(status="ok")


def _check_database(settings: Settings) -> str:
    try:
        with session_scope(settings) as session:
            session.execute(text("SELECT 1"))
    except CehuaError as exc:
        return exc.message
    except Exception as exc:  # the database driver's own errors
        return f"{exc.__class__.__name__}: check CEHUA_DATABASE_URL"
    return "ok"


# How long /readyz waits for a thread to check the database before calling the worker saturated.
_CHECK_SECONDS = 2.0


def _capacity(request: Request) -> str:
    """'ok', or which pool of threads is exhausted (the model pool, or the one every other route uses)."""
    model = request.app.state.model_pool.describe()
    if model != "ok":
        return model
    limiter = anyio.to_thread.current_default_thread_limiter()
    if limiter.borrowed_tokens >= limiter.total_tokens:
        return f"saturated: all {limiter.total_tokens:g} request threads busy"
    return "ok"


@router.get("/readyz", response_model=Health, responses={503: {"description": "Not ready yet."}})
async def readyz(request: Request, settings: SettingsDep) -> Health | JSONResponse:
    """200 when the state database answers, the knowledge index is loaded and the worker has threads
    free for new requests; 503 otherwise (so a load balancer sends traffic elsewhere)."""
    checks = {"capacity": _capacity(request)}
    try:
        checks["database"] = await asyncio.wait_for(run_in_threadpool(_check_database, settings), _CHECK_SECONDS)
    except TimeoutError:
        checks["database"] = f"no answer within {_CHECK_SECONDS:g}s (database slow or worker saturated)"
    warmup = request.app.state.warmup
    checks["index"] = warmup.status
    if all(v == "ok" for v in checks.values()):
        return Health(status="ready", checks=checks)
    body = error_body("not_ready", "not ready: " + "; ".join(f"{k}: {v}" for k, v in checks.items() if v != "ok"))
    body["checks"] = checks
    return JSONResponse(body, status_code=503)
