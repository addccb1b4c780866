"""ASGI middleware: request-size limits and CORS for widget keys' allowed origins.

Both run before routing, so an oversized body is refused (413) before anything reads it, and a
browser's preflight is answered from the keys table (any worker, no memory of its own).
"""

from __future__ import annotations

import json
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from assistant.store.db import session_factory
from assistant.store.keys import any_keys, origin_allowed
from core.settings import Settings

# Paths whose bodies are file uploads (limit: settings.max_upload_bytes).
UPLOAD_PATHS = ("/v1/kb/documents", "/v1/plans/validate")


def _json(status: int, body: dict[str, Any], headers: list[tuple[bytes, bytes]] | None = None) -> list[Message]:
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    return [
        {"type": "http.response.start", "status": status,
         "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(data)).encode()),
                     *(headers or [])]},
        {"type": "http.response.body", "body": data},
    ]


def _too_large(limit: int) -> list[Message]:
    return _json(413, {"error": {
        "code": "payload_too_large",
        "message": f"the request body is larger than {limit} bytes: send a smaller body or file",
    }})


class BodyLimitMiddleware:
    """Refuse bodies over the limit with 413 ``payload_too_large`` (declared or streamed)."""

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        upload = path.startswith(UPLOAD_PATHS)
        # Multipart framing adds a little on top of the file itself.
        limit = self.settings.max_upload_bytes + 64 * 1024 if upload else self.settings.max_request_bytes
        length = dict(scope["headers"]).get(b"content-length")
        if length is not None:
            try:
                declared = int(length)
            except ValueError:
                declared = -1
            if declared > limit:
                for message in _too_large(limit):
                    await send(message)
                return
        if length is not None:
            await self.app(scope, receive, send)
            return
        # No declared length (chunked upload): read the body up to the limit, then replay it.
        messages: list[Message] = []
        received = 0
        while True:
            message = await receive()
            messages.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > limit:
                for reply in _too_large(limit):
                    await send(reply)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            if messages:
                return messages.pop(0)
            return await receive()

        await self.app(scope, replay, send)


class CorsMiddleware:
    """CORS for /v1: allowed origins are those of active widget keys (any origin while no key exists)."""

    ALLOW_HEADERS = b"authorization, content-type, accept, last-event-id"
    ALLOW_METHODS = b"GET, POST, PUT, DELETE, OPTIONS"

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    def _allowed(self, origin: str) -> bool:
        engine = session_factory(self.settings).kw["bind"]
        with engine.connect() as conn:
            return not any_keys(conn) or origin_allowed(conn, origin)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not scope["path"].startswith("/v1/"):
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        origin_raw = headers.get(b"origin")
        if origin_raw is None:
            await self.app(scope, receive, send)
            return
        origin = origin_raw.decode("latin-1")
        allowed = await run_in_threadpool(self._allowed, origin)
        cors = [(b"access-control-allow-origin", origin_raw), (b"vary", b"Origin")] if allowed else []
        if scope["method"] == "OPTIONS" and b"access-control-request-method" in headers:
            if not allowed:
                for message in _json(403, {"error": {
                    "code": "forbidden_origin",
                    "message": f"origin {origin} is not allowed: add it to a widget key with "
                               "`cehua keys create --kind widget --origin URL`",
                }}, [(b"vary", b"Origin")]):
                    await send(message)
                return
            await send({"type": "http.response.start", "status": 204, "headers": [
                *cors,
                (b"access-control-allow-methods", self.ALLOW_METHODS),
                (b"access-control-allow-headers", self.ALLOW_HEADERS),
                (b"access-control-max-age", b"600"),
            ]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def cors_send(message: Message) -> None:
            if message["type"] == "http.response.start" and cors:
                message = {**message, "headers": [
                    *message.get("headers", []), *cors,
                    (b"access-control-expose-headers", b"Retry-After, Content-Disposition"),
                ]}
            await send(message)

        await self.app(scope, receive, cors_send)
