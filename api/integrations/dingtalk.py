"""DingTalk outgoing-robot adapter: ``POST /integrations/dingtalk/events``.

DingTalk sends headers ``timestamp`` (milliseconds) and ``sign = base64(HMAC-SHA256(app_secret,
timestamp + "\\n" + app_secret))``; a timestamp more than an hour from now is rejected (the limit
DingTalk documents for outgoing robots). The signature does not cover the body, so each (timestamp,
sign) pair is accepted once: the claim is a row in the state database (any worker sees it), kept a
day, longer than the window in which the pair could verify again. The reply is
posted to the message's ``sessionWebhook``, which must lie under ``CEHUA_DINGTALK_WEBHOOK_BASE`` so a
signed message can never make the server post somewhere else.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.errors import cehua_error_response, error_response
from api.integrations.common import (
    MAX_MESSAGE_CHARS,
    Responder,
    ResponderDep,
    SettingsDep,
    clip,
    errcode_ok,
    first_delivery,
    missing_settings,
    not_configured,
    platform_call,
    strip_mentions,
    submit_reply,
)
from core.errors import AuthError, StoreError
from core.settings import Settings

router = APIRouter(prefix="/integrations/dingtalk", tags=["integrations"])

REPLAY_WINDOW_MS = 60 * 60 * 1000


def dingtalk_sign(app_secret: str, timestamp: str) -> str:
    """The ``sign`` header DingTalk sends with ``timestamp``."""
    digest = hmac.new(app_secret.encode(), f"{timestamp}\n{app_secret}".encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def verify_dingtalk_request(
    app_secret: str, timestamp: str | None, sign: str | None, *, now_ms: int | None = None
) -> None:
    """Return if the headers are DingTalk's and fresh; raise ``AuthError`` saying what is wrong otherwise."""
    if not timestamp or not sign:
        raise AuthError("missing DingTalk 'timestamp' or 'sign' header", code="bad_signature")
    try:
        sent = int(timestamp)
    except ValueError as exc:
        raise AuthError("DingTalk 'timestamp' header is not milliseconds since 1970", code="bad_signature") from exc
    now = now_ms if now_ms is not None else int(time.time() * 1000)
    if abs(now - sent) > REPLAY_WINDOW_MS:
        raise AuthError("DingTalk request timestamp is more than an hour old or ahead", code="stale_request")
    if not hmac.compare_digest(dingtalk_sign(app_secret, timestamp), sign):
        raise AuthError("DingTalk 'sign' does not match CEHUA_DINGTALK_APP_SECRET", code="bad_signature")


def webhook_allowed(webhook: str, base: str) -> bool:
    """True when ``webhook`` has the scheme and host of ``base`` and lies under its path."""
    try:
        hook, allowed = urlsplit(webhook), urlsplit(base)
    except ValueError:
        return False
    if "@" in hook.netloc or not hook.hostname or hook.scheme.lower() != allowed.scheme.lower():
        return False
    if hook.netloc.lower() != allowed.netloc.lower():
        return False
    prefix = allowed.path if allowed.path.endswith("/") else allowed.path + "/"
    return (hook.path + "/").startswith(prefix) if allowed.path not in ("", "/") else True


def post_dingtalk_reply(settings: Settings, webhook: str, text: str, sender: str | None) -> None:
    """Post ``text`` to the conversation's session webhook; raise on an HTTP or API error."""
    message: dict[str, Any] = {"msgtype": "text", "text": {"content": clip(text)}}
    if sender:
        message["at"] = {"atUserIds": [sender], "isAtAll": False}
    platform_call("DingTalk session webhook", "POST", webhook, json=message, ok=errcode_ok, error_field="errmsg")


def _answer(settings: Settings, responder: Responder, message: dict[str, str]) -> None:
    reply = responder.reply(message["text"], thread=f"dingtalk:{message['conversation']}")
    post_dingtalk_reply(settings, message["webhook"], reply, message["sender"] or None)


@router.post("/events", response_model=None)
async def dingtalk_events(
    request: Request,
    settings: SettingsDep,
    responder: ResponderDep,
) -> JSONResponse | dict[str, Any]:
    """Acknowledge a signed robot message and reply through its session webhook in the background."""
    unconfigured = not_configured("DingTalk", missing_settings(settings, ("dingtalk_app_secret",)))
    if unconfigured is not None:
        return unconfigured
    try:
        verify_dingtalk_request(
            str(settings.dingtalk_app_secret), request.headers.get("timestamp"), request.headers.get("sign")
        )
    except AuthError as exc:
        return cehua_error_response(exc)
    pair = f"{request.headers.get('timestamp')}:{request.headers.get('sign')}"
    try:
        if not await first_delivery(settings, "dingtalk-sign", pair):
            return cehua_error_response(AuthError(
                "this DingTalk timestamp and sign were already used: each signed request is accepted once",
                code="replayed_request"))
    except StoreError as exc:
        return cehua_error_response(exc)
    try:
        payload = json.loads(await request.body())
    except ValueError:
        return error_response(400, "invalid_input", "DingTalk message body is not JSON")
    if not isinstance(payload, dict):
        return error_response(400, "invalid_input", "DingTalk message body is not a JSON object")
    if payload.get("msgtype") != "text":
        return {"ok": True, "ignored": "not a text message"}
    text = strip_mentions(str((payload.get("text") or {}).get("content") or ""))[:MAX_MESSAGE_CHARS]
    webhook = str(payload.get("sessionWebhook") or "")
    if not webhook_allowed(webhook, settings.dingtalk_webhook_base):
        return error_response(
            400, "invalid_input",
            f"DingTalk sessionWebhook must start with {settings.dingtalk_webhook_base} "
            "(CEHUA_DINGTALK_WEBHOOK_BASE)",
        )
    expires = payload.get("sessionWebhookExpiredTime")
    if isinstance(expires, int) and expires < int(time.time() * 1000):
        return error_response(400, "invalid_input", "DingTalk sessionWebhook has expired; send the message again")
    if not text:
        return {"ok": True, "ignored": "empty message"}
    try:
        if not await first_delivery(settings, "dingtalk", str(payload.get("msgId") or "")):
            return {"ok": True, "ignored": "duplicate message"}
    except StoreError as exc:
        return cehua_error_response(exc)
    message = {
        "text": text,
        "webhook": webhook,
        "conversation": str(payload.get("conversationId") or payload.get("senderId") or ""),
        "sender": str(payload.get("senderStaffId") or "") if payload.get("conversationType") == "2" else "",
    }
    submit_reply(request, settings, "dingtalk", lambda: _answer(settings, responder, message))
    return {"ok": True}
