"""Feishu / Lark event-subscription adapter: ``POST /integrations/feishu/events``.

With an Encrypt Key configured, Feishu sends ``{"encrypt": base64(iv + AES-256-CBC(event))}`` with
key ``sha256(encrypt_key)`` and PKCS#7 padding, and signs every event (not the URL check) with
``X-Lark-Signature = hex(sha256(timestamp + nonce + encrypt_key + raw body))``. A signed event is
verified before anything is decrypted; only the unsigned URL check is decrypted unverified, and every
failure gets the same 401 answer. The Verification
Token inside the event (``header.token``, or ``token`` for the URL check) is checked too when set.
Text messages (``im.message.receive_v1``) are answered with the im/v1 reply API using a tenant
access token fetched with the app id and secret.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import logging
import time
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from api.errors import cehua_error_response, error_response
from api.integrations.common import (
    MAX_MESSAGE_CHARS,
    AccessTokens,
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

router = APIRouter(prefix="/integrations/feishu", tags=["integrations"])
log = logging.getLogger("cehua.integrations.feishu")

REPLAY_WINDOW_SECONDS = 5 * 60
REFUSED = ("not a verified Feishu event: check CEHUA_FEISHU_ENCRYPT_KEY and CEHUA_FEISHU_VERIFICATION_TOKEN "
           "against the Feishu app's Event Subscriptions page (the server log names the failed check)")
_tokens = AccessTokens()


def feishu_signature(timestamp: str, nonce: str, encrypt_key: str, body: bytes) -> str:
    """The ``X-Lark-Signature`` Feishu sends for ``body``."""
    return hashlib.sha256((timestamp + nonce + encrypt_key).encode() + body).hexdigest()


def decrypt_feishu(encrypt_key: str, encrypted: str) -> str:
    """The plaintext JSON inside an ``encrypt`` field; ``AuthError`` when it does not decrypt."""
    try:
        data = base64.b64decode(encrypted, validate=True)
    except ValueError as exc:
        raise AuthError("Feishu 'encrypt' field is not base64", code="bad_signature") from exc
    if len(data) < 32 or len(data) % 16:
        raise AuthError("Feishu 'encrypt' field has the wrong length for AES-CBC", code="bad_signature")
    key = hashlib.sha256(encrypt_key.encode()).digest()
    decryptor = Cipher(algorithms.AES(key), modes.CBC(data[:16])).decryptor()
    padded = decryptor.update(data[16:]) + decryptor.finalize()
    pad = padded[-1]
    if not 1 <= pad <= 16 or padded[-pad:] != bytes([pad]) * pad:
        raise AuthError("Feishu event does not decrypt with CEHUA_FEISHU_ENCRYPT_KEY", code="bad_signature")
    try:
        return padded[:-pad].decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AuthError(
            "Feishu event does not decrypt with CEHUA_FEISHU_ENCRYPT_KEY", code="bad_signature"
        ) from exc


def _verify_signature(settings: Settings, request: Request, body: bytes, now: float | None = None) -> None:
    timestamp = request.headers.get("X-Lark-Request-Timestamp")
    nonce = request.headers.get("X-Lark-Request-Nonce")
    signature = request.headers.get("X-Lark-Signature")
    if not timestamp or nonce is None or not signature:
        raise AuthError("missing X-Lark-Signature, X-Lark-Request-Timestamp or -Nonce header",
                        code="bad_signature")
    try:
        sent = int(timestamp)
    except ValueError as exc:
        raise AuthError("X-Lark-Request-Timestamp is not a Unix time", code="bad_signature") from exc
    if abs((now if now is not None else time.time()) - sent) > REPLAY_WINDOW_SECONDS:
        raise AuthError("Feishu request timestamp is more than 5 minutes old or ahead", code="stale_request")
    expected = feishu_signature(timestamp, nonce, str(settings.feishu_encrypt_key), body)
    if not hmac.compare_digest(expected, signature):
        raise AuthError("X-Lark-Signature does not match CEHUA_FEISHU_ENCRYPT_KEY", code="bad_signature")


def _check_token(settings: Settings, token: Any) -> None:
    if settings.feishu_verification_token and not hmac.compare_digest(
        str(token or ""), settings.feishu_verification_token
    ):
        raise AuthError("Feishu verification token does not match CEHUA_FEISHU_VERIFICATION_TOKEN",
                        code="bad_signature")


def open_event(settings: Settings, request: Request, body: bytes) -> dict[str, Any]:
    """The verified, decrypted event payload; ``AuthError`` for anything not from Feishu."""
    try:
        outer = json.loads(body)
    except ValueError as exc:
        raise AuthError("Feishu event body is not JSON", code="bad_signature") from exc
    if not isinstance(outer, dict):
        raise AuthError("Feishu event body is not a JSON object", code="bad_signature")
    if settings.feishu_encrypt_key:
        if "encrypt" not in outer:
            raise AuthError("Feishu event is not encrypted but CEHUA_FEISHU_ENCRYPT_KEY is set",
                            code="bad_signature")
        signed = request.headers.get("X-Lark-Signature") is not None
        if signed:
            _verify_signature(settings, request, body)
        try:
            payload = json.loads(decrypt_feishu(settings.feishu_encrypt_key, str(outer["encrypt"])))
        except ValueError as exc:
            raise AuthError("decrypted Feishu event is not JSON", code="bad_signature") from exc
        if not isinstance(payload, dict):
            raise AuthError("Feishu event is not a JSON object", code="bad_signature")
        if not signed and payload.get("type") != "url_verification":
            # Feishu signs every event; only the URL check comes unsigned (and must carry the token).
            raise AuthError("Feishu event is missing X-Lark-Signature", code="bad_signature")
        if not signed and not settings.feishu_verification_token:
            raise AuthError("unsigned Feishu URL check needs CEHUA_FEISHU_VERIFICATION_TOKEN to be set",
                            code="bad_signature")
    else:
        payload = outer
    if not isinstance(payload, dict):
        raise AuthError("Feishu event is not a JSON object", code="bad_signature")
    header = payload.get("header")
    if not isinstance(header, dict):
        header = {}
    _check_token(settings, payload.get("token") if "token" in payload else header.get("token"))
    return payload


def _message(payload: dict[str, Any]) -> tuple[str, str, str] | None:
    """(event_id, message_id, text) for a user's text message, None for anything else."""
    header = payload.get("header") or {}
    event = payload.get("event") or {}
    if header.get("event_type") != "im.message.receive_v1" or not isinstance(event, dict):
        return None
    if (event.get("sender") or {}).get("sender_type") not in (None, "user"):
        return None  # apps' own messages: answering them could loop
    message = event.get("message") or {}
    if message.get("message_type") != "text" or not message.get("message_id"):
        return None
    try:
        text = str(json.loads(message.get("content") or "{}").get("text") or "")
    except (ValueError, AttributeError):
        return None
    for mention in message.get("mentions") or []:
        if isinstance(mention, dict) and mention.get("key"):
            text = text.replace(str(mention["key"]), " ")
    text = strip_mentions(text)
    if not text:
        return None
    return str(header.get("event_id") or message["message_id"]), str(message["message_id"]), text[:MAX_MESSAGE_CHARS]


def tenant_access_token(settings: Settings) -> str:
    """A tenant access token for the app (cached until shortly before it expires)."""
    base = settings.feishu_api_base.rstrip("/")

    def fetch() -> tuple[str, int]:
        body = platform_call(
            "Feishu tenant_access_token", "POST", base + "/open-apis/auth/v3/tenant_access_token/internal",
            json={"app_id": settings.feishu_app_id, "app_secret": settings.feishu_app_secret},
            ok=lambda body: body.get("code") == 0 and bool(body.get("tenant_access_token")), error_field="msg",
        )
        return str(body["tenant_access_token"]), int(body.get("expire", 7200))

    return _tokens.get((base, str(settings.feishu_app_id)), fetch)


def post_feishu_reply(settings: Settings, message_id: str, text: str) -> None:
    """Reply to ``message_id`` in its chat with a text message; raise on an HTTP or API error."""
    token = tenant_access_token(settings)
    platform_call(
        "Feishu message reply", "POST",
        settings.feishu_api_base.rstrip("/") + f"/open-apis/im/v1/messages/{message_id}/reply",
        json={"msg_type": "text", "content": json.dumps({"text": clip(text)}, ensure_ascii=False)},
        headers={"Authorization": f"Bearer {token}"},
        ok=lambda body: body.get("code") == 0, error_field="msg",
    )


def _answer(settings: Settings, responder: Responder, message_id: str, text: str, chat: str) -> None:
    post_feishu_reply(settings, message_id, responder.reply(text, thread=f"feishu:{chat}"))


@router.post("/events", response_model=None)
async def feishu_events(
    request: Request,
    settings: SettingsDep,
    responder: ResponderDep,
) -> JSONResponse | dict[str, Any]:
    """Answer Feishu's URL check, or acknowledge a message event and reply in the background."""
    missing = missing_settings(settings, ("feishu_app_id", "feishu_app_secret"))
    if not settings.feishu_verification_token and not settings.feishu_encrypt_key:
        missing.append("feishu_verification_token")
    unconfigured = not_configured("Feishu", missing)
    if unconfigured is not None:
        return unconfigured
    body = await request.body()
    try:
        payload = open_event(settings, request, body)
    except AuthError as exc:
        # One answer for every failure: which check failed (signature, base64, length, padding, JSON,
        # token) would tell a forger about the ciphertext (a padding oracle). The log says which.
        log.warning("refused a Feishu event: %s", exc.message)
        return cehua_error_response(AuthError(REFUSED, code="bad_signature"))
    if payload.get("type") == "url_verification":
        return {"challenge": payload.get("challenge", "")}
    if payload.get("schema") != "2.0":
        return error_response(400, "invalid_input", "only Feishu event schema 2.0 is supported; "
                              "subscribe with the v2.0 event format")
    message = _message(payload)
    if message is None:
        return {"ok": True, "ignored": "not a user text message"}
    event_id, message_id, text = message
    try:
        if not await first_delivery(settings, "feishu", event_id):
            return {"ok": True, "ignored": "duplicate event"}
    except StoreError as exc:
        return cehua_error_response(exc)
    chat = str(((payload.get("event") or {}).get("message") or {}).get("chat_id") or message_id)
    submit_reply(request, settings, "feishu", lambda: _answer(settings, responder, message_id, text, chat))
    return {"ok": True}
