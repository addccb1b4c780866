"""What every chat-platform adapter shares: intent, mention stripping, reply text, dedupe, errors.

An adapter verifies and parses its platform's webhook, then hands the message text to a
``Responder`` (the chat and drafting services behind one method) in a background task and posts
the reply back in the thread. Nothing here knows about a particular platform.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Annotated, Any, Protocol

import httpx
from fastapi import Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from api.deps import ServicesDep
from api.deps import SettingsDep as AppSettingsDep
from api.errors import error_response
from api.integrations.intent import MAX_REPLY_CHARS as MAX_REPLY_CHARS
from api.integrations.intent import clip as clip
from api.integrations.intent import strip_mentions as strip_mentions
from api.integrations.intent import wants_plan as wants_plan
from api.integrations.respond import AssistantResponder
from assistant.store.integrations import claim_event
from core.settings import Settings

log = logging.getLogger("cehua.integrations")

#: Longest message we pass to the assistant; platforms allow more, the question limit is smaller.
MAX_MESSAGE_CHARS = 4000


class Responder(Protocol):
    """Turns one incoming chat message into the reply text to post in its thread."""

    def reply(self, text: str, *, thread: str) -> str: ...


# --- outbound platform calls ----------------------------------------------------------------------


def errcode_ok(body: dict[str, Any]) -> bool:
    """DingTalk's and WeCom's success mark: ``errcode`` 0 (or absent)."""
    return body.get("errcode", 0) == 0


def platform_call(what: str, method: str, url: str, *, ok: Callable[[dict[str, Any]], bool], error_field: str,
                  **request: Any) -> dict[str, Any]:
    """Call one platform API and return its JSON object; raise naming ``what`` on any failure.

    An HTTP error raises ``httpx.HTTPStatusError``; a body that is not a JSON object (a proxy's login
    page, an HTML error page, a list) or one the platform marks as failed (``ok`` is false) raises
    ``RuntimeError`` with the platform's own message from ``error_field`` and what to check.
    """
    response = httpx.request(method, url, timeout=15, **request)
    response.raise_for_status()
    try:
        body = response.json()
    except ValueError:
        kind = response.headers.get("content-type", "no content type") or "no content type"
        raise RuntimeError(f"{what} answered {kind} instead of JSON from {url}: check the platform's API base "
                           "setting and any proxy in between") from None
    if not isinstance(body, dict):
        raise RuntimeError(f"{what} answered JSON that is not an object from {url}: check the platform's API base "
                           "setting")
    if not ok(body):
        raise RuntimeError(f"{what} failed: {body.get(error_field) or 'unknown error'}")
    return body


# --- app access tokens --------------------------------------------------------------------------


class AccessTokens:
    """App access tokens a platform hands out, each reused until shortly before it expires.

    A per-process cache, not state workers must share: Feishu and WeCom hand every caller a valid
    token, so each worker fetching its own is correct. A token is kept for its lifetime less five
    minutes (at least one), so a reply never goes out with one about to lapse.
    """

    MARGIN_SECONDS = 300

    def __init__(self) -> None:
        self._tokens: dict[tuple[str, str], tuple[str, float]] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[str, str], fetch: Callable[[], tuple[str, int]]) -> str:
        """The cached token for ``key``, or the one ``fetch`` returns as (token, lifetime in seconds)."""
        with self._lock:
            cached = self._tokens.get(key)
            if cached and cached[1] > time.time():
                return cached[0]
        token, lifetime = fetch()
        with self._lock:
            self._tokens[key] = (token, time.time() + max(60, lifetime - self.MARGIN_SECONDS))
        return token


# --- dedupe -------------------------------------------------------------------------------------


async def first_delivery(settings: Settings, platform: str, event_id: str) -> bool:
    """True the first time any worker receives this event, False for a platform's retry of it.

    The claim is a row in the state database (``assistant.store.integrations``), so a retry landing
    on another worker or machine is still recognised. StoreError when the database fails: the
    adapter answers 503, and the platform delivers the event again later.
    """
    return await run_in_threadpool(claim_event, settings, platform, event_id)


# --- responses ----------------------------------------------------------------------------------


def not_configured(platform: str, missing: list[str]) -> JSONResponse | None:
    """A 503 naming the settings to set when ``missing`` is non-empty, else None."""
    if not missing:
        return None
    names = ", ".join(f"CEHUA_{name.upper()}" for name in missing)
    return error_response(
        503,
        "integration_not_configured",
        f"the {platform} integration is not configured: set {names} in the server's environment",
    )


def missing_settings(settings: Settings, names: tuple[str, ...]) -> list[str]:
    """The names among ``names`` whose setting is empty."""
    return [name for name in names if not getattr(settings, name)]


# --- dependencies -------------------------------------------------------------------------------


def integration_settings(settings: AppSettingsDep) -> Settings:
    """The app's settings (``create_app(settings)``), as every route sees them."""
    return settings


async def integration_responder(request: Request, services: ServicesDep) -> Responder:
    """The responder set on the app (``app.state.responder``), else one on the app's chat and drafting
    services (built on first use, in the background task, so the webhook still answers at once)."""
    responder = getattr(request.app.state, "responder", None)
    if responder is None:
        responder = AssistantResponder(services.planning_chat, services.settings)
        request.app.state.responder = responder
    return responder


SettingsDep = Annotated[Settings, Depends(integration_settings)]

__all__ = ["MAX_MESSAGE_CHARS", "MAX_REPLY_CHARS", "Responder", "clip", "first_delivery", "integration_responder",
           "missing_settings", "not_configured", "strip_mentions", "wants_plan"]
ResponderDep = Annotated[Responder, Depends(integration_responder)]


_pool_lock = threading.Lock()


def submit_reply(request: Request, settings: Settings, platform: str, work: Callable[[], None]) -> None:
    """Answer in the background, in a small pool of the app's own: the webhook returns at once, and a
    burst of chat messages (each a retrieval or a whole draft) cannot take the threads the API's routes
    run on. The pool belongs to the app (like its job runner and model pool) and stops with it, so
    replies another app left running can never hold this one's back."""
    state = request.app.state
    with _pool_lock:
        pool: ThreadPoolExecutor | None = getattr(state, "replies", None)
        if pool is None:
            pool = ThreadPoolExecutor(max_workers=max(2, settings.max_concurrency), thread_name_prefix="cehua-reply")
            state.replies = pool
    pool.submit(run_reply, platform, work)


def stop_replies(app: Any) -> None:
    """Stop taking replies for ``app`` (on shutdown): queued ones are dropped, running ones finish."""
    with _pool_lock:
        pool: ThreadPoolExecutor | None = getattr(app.state, "replies", None)
        app.state.replies = None
    if pool is not None:
        pool.shutdown(wait=False, cancel_futures=True)


def run_reply(platform: str, work: Callable[[], None]) -> None:
    """Run a background reply, logging (never raising) failures: the webhook has already answered."""
    try:
        work()
    except Exception:  # noqa: BLE001 - a failed reply must not crash the worker; it is logged
        log.exception("%s reply failed", platform)
