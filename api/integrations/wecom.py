"""WeCom (企业微信) callback adapter: ``GET|POST /integrations/wecom/events``.

WeCom's message crypto: ``msg_signature = sha1("".join(sorted([token, timestamp, nonce, encrypt])))``;
``encrypt = base64(AES-256-CBC(key, iv=key[:16], PKCS#7 to 32-byte blocks, random16 + len4 + msg +
receive_id))`` with ``key = base64decode(EncodingAESKey + "=")`` and receive id = the corp id.
The GET URL check returns the decrypted ``echostr``; a POSTed message (XML with ``Encrypt``) is
acknowledged at once and answered with the message-send API using the app's access token.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import struct
import time
import xml.etree.ElementTree as ET
from typing import Any

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, PlainTextResponse

from api.errors import cehua_error_response, error_response
from api.integrations.common import (
    MAX_MESSAGE_CHARS,
    AccessTokens,
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

router = APIRouter(prefix="/integrations/wecom", tags=["integrations"])

REPLAY_WINDOW_SECONDS = 5 * 60
MAX_BODY_BYTES = 256 * 1024
_BLOCK = 32
_tokens = AccessTokens()
_SETTINGS = ("wecom_token", "wecom_encoding_aes_key", "wecom_corp_id", "wecom_corp_secret", "wecom_agent_id")


def wecom_signature(token: str, timestamp: str, nonce: str, encrypt: str) -> str:
    """The ``msg_signature`` WeCom sends for ``encrypt`` (or ``echostr``)."""
    return hashlib.sha1("".join(sorted([token, timestamp, nonce, encrypt])).encode()).hexdigest()


def wecom_key(encoding_aes_key: str) -> bytes:
    """The 32-byte AES key encoded by the 43-character EncodingAESKey."""
    try:
        key = base64.b64decode(encoding_aes_key + "=")
    except (binascii.Error, ValueError) as exc:
        raise AuthError("CEHUA_WECOM_ENCODING_AES_KEY is not base64; copy the 43-character key from WeCom",
                        code="bad_signature") from exc
    if len(key) != 32:
        raise AuthError("CEHUA_WECOM_ENCODING_AES_KEY must be the 43-character key from WeCom",
                        code="bad_signature")
    return key


def decrypt_wecom(encoding_aes_key: str, encrypt: str, receive_id: str) -> str:
    """The message inside ``encrypt``; ``AuthError`` when it does not decrypt or names another corp."""
    key = wecom_key(encoding_aes_key)
    try:
        data = base64.b64decode(encrypt, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise AuthError("WeCom Encrypt field is not base64", code="bad_signature") from exc
    if not data or len(data) % 16:
        raise AuthError("WeCom Encrypt field has the wrong length for AES-CBC", code="bad_signature")
    decryptor = Cipher(algorithms.AES(key), modes.CBC(key[:16])).decryptor()
    plain = decryptor.update(data) + decryptor.finalize()
    pad = plain[-1]
    if not 1 <= pad <= _BLOCK or len(plain) < 20 + pad or plain[-pad:] != bytes([pad]) * pad:
        raise AuthError("WeCom message does not decrypt with CEHUA_WECOM_ENCODING_AES_KEY", code="bad_signature")
    content = plain[16:-pad]
    (length,) = struct.unpack(">I", content[:4])
    if length > len(content) - 4:
        raise AuthError("WeCom message does not decrypt with CEHUA_WECOM_ENCODING_AES_KEY", code="bad_signature")
    message, sender = content[4 : 4 + length], content[4 + length :]
    if not hmac.compare_digest(sender, receive_id.encode()):
        raise AuthError("WeCom message is for another corp id than CEHUA_WECOM_CORP_ID", code="bad_signature")
    try:
        return message.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise AuthError("WeCom message is not UTF-8 after decryption", code="bad_signature") from exc


def _verify(settings: Settings, query: Any, encrypt: str, now: float | None = None) -> None:
    signature, timestamp, nonce = query.get("msg_signature"), query.get("timestamp"), query.get("nonce")
    if not signature or not timestamp or nonce is None:
        raise AuthError("missing msg_signature, timestamp or nonce query parameter", code="bad_signature")
    try:
        sent = int(timestamp)
    except ValueError as exc:
        raise AuthError("WeCom timestamp is not a Unix time", code="bad_signature") from exc
    if abs((now if now is not None else time.time()) - sent) > REPLAY_WINDOW_SECONDS:
        raise AuthError("WeCom request timestamp is more than 5 minutes old or ahead", code="stale_request")
    expected = wecom_signature(str(settings.wecom_token), timestamp, nonce, encrypt)
    if not hmac.compare_digest(expected, signature):
        raise AuthError("WeCom msg_signature does not match CEHUA_WECOM_TOKEN", code="bad_signature")


def _parse_xml(text: str | bytes, what: str) -> ET.Element:
    probe = text if isinstance(text, str) else text.decode("utf-8", "replace")
    if "<!DOCTYPE" in probe.upper() or "<!ENTITY" in probe.upper():
        raise AuthError(f"{what} must not contain a DOCTYPE or entities", code="bad_signature")
    try:
        return ET.fromstring(text)
    except ET.ParseError as exc:
        raise AuthError(f"{what} is not well-formed XML", code="bad_signature") from exc


def access_token(settings: Settings) -> str:
    """An access token for the corp app (cached until shortly before it expires)."""
    base = settings.wecom_api_base.rstrip("/")

    def fetch() -> tuple[str, int]:
        body = platform_call(
            "WeCom gettoken", "GET", base + "/cgi-bin/gettoken",
            params={"corpid": settings.wecom_corp_id, "corpsecret": settings.wecom_corp_secret},
            ok=lambda body: errcode_ok(body) and bool(body.get("access_token")), error_field="errmsg",
        )
        return str(body["access_token"]), int(body.get("expires_in", 7200))

    return _tokens.get((base, f"{settings.wecom_corp_id}:{settings.wecom_agent_id}"), fetch)


def post_wecom_reply(settings: Settings, user: str, text: str) -> None:
    """Send ``text`` to ``user`` from the app with the message-send API; raise on an error."""
    token = access_token(settings)
    platform_call(
        "WeCom message/send", "POST", settings.wecom_api_base.rstrip("/") + "/cgi-bin/message/send",
        params={"access_token": token},
        content=json.dumps(
            {"touser": user, "msgtype": "text", "agentid": int(str(settings.wecom_agent_id)),
             "text": {"content": clip(text, 2000)}},
            ensure_ascii=False,
        ).encode(),
        headers={"Content-Type": "application/json; charset=utf-8"},
        ok=errcode_ok, error_field="errmsg",
    )


def _answer(settings: Settings, responder: Responder, user: str, text: str) -> None:
    post_wecom_reply(settings, user, responder.reply(text, thread=f"wecom:{user}"))


def _unconfigured(settings: Settings) -> JSONResponse | None:
    return not_configured("WeCom", missing_settings(settings, _SETTINGS))


@router.get("/events", response_model=None)
async def wecom_verify_url(
    request: Request, settings: SettingsDep
) -> JSONResponse | PlainTextResponse:
    """WeCom's URL check: verify ``msg_signature`` over ``echostr`` and return it decrypted."""
    unconfigured = _unconfigured(settings)
    if unconfigured is not None:
        return unconfigured
    # base64 has no spaces: a "+" that reached us unencoded was read as a space, so put it back.
    echostr = (request.query_params.get("echostr") or "").replace(" ", "+")
    try:
        if not echostr:
            raise AuthError("missing echostr query parameter", code="bad_signature")
        _verify(settings, request.query_params, echostr)
        plain = decrypt_wecom(str(settings.wecom_encoding_aes_key), echostr, str(settings.wecom_corp_id))
    except AuthError as exc:
        return cehua_error_response(exc)
    return PlainTextResponse(plain)


@router.post("/events", response_model=None)
async def wecom_events(
    request: Request,
    settings: SettingsDep,
    responder: ResponderDep,
) -> JSONResponse | PlainTextResponse:
    """Acknowledge an encrypted message at once and answer it with the message-send API."""
    unconfigured = _unconfigured(settings)
    if unconfigured is not None:
        return unconfigured
    body = await request.body()
    if len(body) > MAX_BODY_BYTES:
        return error_response(413, "too_large", f"WeCom callback body is over {MAX_BODY_BYTES} bytes")
    try:
        encrypt = (_parse_xml(body, "WeCom callback body").findtext("Encrypt") or "").strip()
        if not encrypt:
            raise AuthError("WeCom callback body has no Encrypt element", code="bad_signature")
        _verify(settings, request.query_params, encrypt)
        inner = _parse_xml(
            decrypt_wecom(str(settings.wecom_encoding_aes_key), encrypt, str(settings.wecom_corp_id)),
            "decrypted WeCom message",
        )
    except AuthError as exc:
        return cehua_error_response(exc)
    if inner.findtext("MsgType") != "text":
        return PlainTextResponse("")
    user = (inner.findtext("FromUserName") or "").strip()
    text = strip_mentions(inner.findtext("Content") or "")[:MAX_MESSAGE_CHARS]
    if not user or not text:
        return PlainTextResponse("")
    try:
        if not await first_delivery(settings, "wecom", inner.findtext("MsgId") or ""):
            return PlainTextResponse("")
    except StoreError as exc:
        return cehua_error_response(exc)
    submit_reply(request, settings, "wecom", lambda: _answer(settings, responder, user, text))
    # An empty body tells WeCom the message was received and no passive reply follows.
    return PlainTextResponse("")
