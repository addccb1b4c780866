"""Slack Events API adapter: ``POST /integrations/slack/events``.

Slack signs each request with ``X-Slack-Signature: v0=hex(HMAC-SHA256(signing_secret,
"v0:{X-Slack-Request-Timestamp}:{raw body}"))``; requests older than five minutes are replays.
The handler answers at once (Slack waits 3 s) and posts the reply with ``chat.postMessage`` in the
message's thread from a background task. Each ``event_id`` is claimed in the state database, so
a retry of an event already accepted (``X-Slack-Retry-Num``, on any worker) is acknowledged and
ignored, while a retry of one we failed to accept (a 503 from a database outage) is answered. Bot
messages are ignored, so the bot never answers itself.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.errors import cehua_error_response, error_response
from api.integrations.common import (
    MAX_MESSAGE_CHARS,
    Responder,
    ResponderDep,
    SettingsDep,
    clip,
    first_delivery,
    missing_settings,
    not_configured,
    platform_call,
    strip_mentions,
    submit_reply,
)
from core.errors import AuthError, StoreError
from core.settings import Settings

router = APIRouter(prefix="/integrations/slack", tags=["integrations"])

REPLAY_WINDOW_SECONDS = 5 * 60


def slack_signature(secret: str, timestamp: str, body: bytes) -> str:
    """The ``X-Slack-Signature`` value Slack sends for ``body`` at ``timestamp``."""
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def verify_slack_request(
    secret: str, timestamp: str | None, signature: str | None, body: bytes, *, now: float | None = None
) -> None:
    """Return if the request is Slack's and fresh; raise ``AuthError`` saying what is wrong otherwise."""
    if not timestamp or not signature:
        raise AuthError("missing X-Slack-Signature or X-Slack-Request-Timestamp header", code="bad_signature")
    try:
        sent = int(timestamp)
    except ValueError as exc:
        raise AuthError("X-Slack-Request-Timestamp is not a Unix time", code="bad_signature") from exc
    if abs((now if now is not None else time.time()) - sent) > REPLAY_WINDOW_SECONDS:
        raise AuthError("Slack request timestamp is more than 5 minutes old or ahead", code="stale_request")
    if not hmac.compare_digest(slack_signature(secret, timestamp, body), signature):
        raise AuthError("X-Slack-Signature does not match the signing secret", code="bad_signature")


def _message(event: dict[str, Any]) -> tuple[str, str, str] | None:
    """(channel, thread_ts, text) for a user message addressed to the bot, None for anything else."""
    kind = event.get("type")
    if event.get("bot_id") or event.get("subtype"):
        return None  # our own replies, edits, joins: answering them would loop or duplicate
    if kind == "message" and event.get("channel_type") != "im":
        return None  # in channels the bot answers app_mention; the same text also arrives as message
    if kind not in ("app_mention", "message"):
        return None
    text = strip_mentions(str(event.get("text") or ""))
    channel = event.get("channel")
    ts = event.get("thread_ts") or event.get("ts")
    if not text or not channel or not ts:
        return None
    return str(channel), str(ts), text[:MAX_MESSAGE_CHARS]


def post_slack_reply(settings: Settings, channel: str, thread_ts: str, text: str) -> None:
    """Post ``text`` in the thread with ``chat.postMessage``; raise on an HTTP or Slack API error."""
    url = settings.slack_api_base.rstrip("/") + "/chat.postMessage"
    platform_call(
        "Slack chat.postMessage", "POST", url,
        json={"channel": channel, "thread_ts": thread_ts, "text": clip(text)},
        headers={"Authorization": f"Bearer {settings.slack_bot_token}"},
        ok=lambda body: bool(body.get("ok", False)), error_field="error",
    )


def _answer(settings: Settings, responder: Responder, channel: str, thread_ts: str, text: str) -> None:
    reply = responder.reply(text, thread=f"slack:{channel}:{thread_ts}")
    post_slack_reply(settings, channel, thread_ts, reply)


@router.post("/events", response_model=None)
async def slack_events(
    request: Request,
    settings: SettingsDep,
    responder: ResponderDep,
) -> JSONResponse | dict[str, Any]:
    """Answer Slack's URL check, or acknowledge an event and reply to it in the background."""
    unconfigured = not_configured("Slack", missing_settings(settings, ("slack_signing_secret", "slack_bot_token")))
    if unconfigured is not None:
        return unconfigured
    body = await request.body()
    try:
        verify_slack_request(
            str(settings.slack_signing_secret),
            request.headers.get("X-Slack-Request-Timestamp"),
            request.headers.get("X-Slack-Signature"),
            body,
        )
    except AuthError as exc:
        return cehua_error_response(exc)
    try:
        payload = json.loads(body)
    except ValueError:
        return error_response(400, "invalid_input", "Slack event body is not JSON")
    if not isinstance(payload, dict):
        return error_response(400, "invalid_input", "Slack event body is not a JSON object")
    if payload.get("type") == "url_verification":
        return {"challenge": payload.get("challenge", "")}
    event = payload.get("event")
    if payload.get("type") != "event_callback" or not isinstance(event, dict):
        return {"ok": True, "ignored": "not a message event"}
    message = _message(event)
    if message is None:
        return {"ok": True, "ignored": "not a user message to the bot"}
    try:
        if not await first_delivery(settings, "slack", str(payload.get("event_id") or "")):
            return {"ok": True, "ignored": "duplicate event"}
    except StoreError as exc:
        return cehua_error_response(exc)
    channel, thread_ts, text = message
    submit_reply(request, settings, "slack", lambda: _answer(settings, responder, channel, thread_ts, text))
    return {"ok": True}
