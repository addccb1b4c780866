"""ASGI middleware: request-size limits, CORS for allowed origins, and security headers.

Both run before routing, so an oversized body is refused (413) before anything reads it, and a
browser's preflight is answered from the keys table (any worker, no memory of its own).
"""

from __future__ import annotations

import ipaddress
import json
import logging
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.deps import keys_exist
from assistant.store.db import session_factory
from assistant.store.keys import any_keys, normalize_origin, origin_allowed
from core.errors import InputError
from core.settings import Settings

log = logging.getLogger("cehua.api")

# Paths that take file uploads: their multipart bodies may reach settings.max_upload_bytes; every other
# body (JSON, Markdown text) on every route is held to settings.max_request_bytes.
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


def _normalized(origin: str) -> str | None:
    try:
        return normalize_origin(origin)
    except InputError:
        return None


def _same_origin(scope: Scope, headers: dict[bytes, bytes], origin: str) -> bool:
    """True when the page calling is served by this API (its own scheme, host and port)."""
    if headers.get(b"sec-fetch-site", b"").strip().lower() == b"same-origin":
        return True
    host = headers.get(b"host", b"").decode("latin-1")
    own = _normalized(f"{scope.get('scheme', 'http')}://{host}") if host else None
    return own is not None and _normalized(origin) == own


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
        content_type = dict(scope["headers"]).get(b"content-type", b"").split(b";")[0].strip().lower()
        upload = path.startswith(UPLOAD_PATHS) and content_type == b"multipart/form-data"
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
    """CORS for /v1: a page may call the API from its own origin, from an origin in
    ``CEHUA_CORS_ORIGINS``, or from an active widget key's origin; any other page is refused (403).

    This holds in open mode (no key created) too: there every caller may write, so a page on another
    origin must not be able to (a preflight would say no, but a form post or a DELETE sent anyway
    still runs). Non-browser clients send no ``Origin`` and pass untouched.
    """

    ALLOW_HEADERS = b"authorization, content-type, accept, last-event-id"
    ALLOW_METHODS = b"GET, POST, PUT, DELETE, OPTIONS"

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings
        self.configured = {_normalized(o) for o in settings.cors_origins} - {None}

    def _verdict(self, origin: str) -> str:
        """'allowed'; 'keyed' (not allowed, but every route needs a key, which decides);
        'refused' (not allowed while the API is open to all)."""
        if _normalized(origin) in self.configured:
            return "allowed"
        engine = session_factory(self.settings).kw["bind"]
        with engine.connect() as conn:
            if origin_allowed(conn, origin):
                return "allowed"
            return "keyed" if any_keys(conn) else "refused"

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
        verdict = "allowed" if _same_origin(scope, headers, origin) else await run_in_threadpool(self._verdict, origin)
        preflight = scope["method"] == "OPTIONS" and b"access-control-request-method" in headers
        if verdict == "keyed" and not preflight:
            # The key decides (a widget key's origins, 401 without a key); the browser gets no CORS
            # headers, so a page on this origin cannot read the answer either.
            await self.app(scope, receive, send)
            return
        if verdict != "allowed":
            for message in _json(403, {"error": {
                "code": "forbidden_origin",
                "message": f"origin {origin} may not call this API from a browser: add it to a widget key "
                           "(`cehua keys create --kind widget --origin URL`) or to CEHUA_CORS_ORIGINS",
            }}, [(b"vary", b"Origin")]):
                await send(message)
            return
        cors = [(b"access-control-allow-origin", origin_raw), (b"vary", b"Origin")]
        if preflight:
            await send({"type": "http.response.start", "status": 204, "headers": [
                *cors,
                (b"access-control-allow-methods", self.ALLOW_METHODS),
                (b"access-control-allow-headers", self.ALLOW_HEADERS),
                (b"access-control-max-age", b"600"),
            ]})
            await send({"type": "http.response.body", "body": b""})
            return

        async def cors_send(message: Message) -> None:
            if message["type"] == "http.response.start":
                message = {**message, "headers": [
                    *message.get("headers", []), *cors,
                    (b"access-control-expose-headers", b"Retry-After, Content-Disposition"),
                ]}
            await send(message)

        await self.app(scope, receive, cors_send)


def _host_name(host: str) -> str:
    """The name or address of a Host header, without port or IPv6 brackets, lower-cased."""
    host = host.strip().lower()
    if host.startswith("["):
        return host[1:].partition("]")[0]
    return host.rpartition(":")[0] if host.count(":") == 1 else host


def host_cannot_be_rebound(name: str, allowed: list[str]) -> bool:
    """True for a Host no outside web page can point at this server: an address, ``localhost`` and
    its subdomains, a name without a dot (resolved inside the local network), or a name the operator
    listed in ``CEHUA_ALLOWED_HOSTS`` (``*.example.com`` for its subdomains)."""
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        pass
    name = name.rstrip(".")
    if name and "." not in name or name == "localhost" or name.endswith(".localhost"):
        return True
    for pattern in allowed:
        pattern = pattern.strip().lower().rstrip(".")
        if name == pattern or pattern.startswith("*.") and name.endswith(pattern[1:]):
            return True
    return False


class OpenModeHostMiddleware:
    """While no key exists, answer only Hosts that cannot be rebound (see ``host_cannot_be_rebound``).

    An open install trusts whoever reaches its port. A page on evil.example that re-points its name at
    127.0.0.1 after loading is same-origin with the API for the browser, so CORS lets it read and write;
    its requests still carry ``Host: evil.example``, which is what this refuses (403 ``untrusted_host``).
    Once a key exists the key decides, whatever the Host (servers behind proxies keep working).
    Chat-platform webhooks (signed by the platform) and health probes answer any Host: a public
    domain in front of a Slack or Feishu bot, or a load balancer's probe, is not a browser.
    """

    ANY_HOST_PATHS = ("/integrations/", "/healthz", "/readyz")

    def __init__(self, app: ASGIApp, settings: Settings) -> None:
        self.app = app
        self.settings = settings

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or scope["path"].startswith(self.ANY_HOST_PATHS):
            await self.app(scope, receive, send)
            return
        raw = dict(scope["headers"]).get(b"host", b"").decode("latin-1")
        name = _host_name(raw)
        if host_cannot_be_rebound(name, self.settings.allowed_hosts) or await run_in_threadpool(keys_exist, self.settings):
            await self.app(scope, receive, send)
            return
        for message in _json(403, {"error": {
            "code": "untrusted_host",
            "message": f"this API has no keys yet, so it answers only local names: open it as "
                       f"http://localhost:PORT or by its address, add '{name}' to CEHUA_ALLOWED_HOSTS "
                       "(comma-separated), or create a key (`cehua keys create --name NAME`)",
        }}):
            await send(message)


# The demo page loads only its own files: scripts, styles (no inline ones), and API calls to itself.
PAGE_CSP = ("default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
            "connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; "
            "frame-ancestors 'none'")
# FastAPI's /docs page starts Swagger UI with an inline script (it shows no user content).
DOCS_CSP = ("default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
            "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; img-src 'self' data: https:; "
            "connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
# Everything else (JSON, event streams, scripts, exports) is never a document that runs anything.
API_CSP = "default-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
DOCS_PATHS = ("/docs", "/redoc")


class SecurityHeadersMiddleware:
    """Security headers on every response: a Content-Security-Policy fit for what the path serves,
    ``X-Content-Type-Options: nosniff``, ``X-Frame-Options: DENY`` and ``Referrer-Policy: no-referrer``."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        csp = PAGE_CSP if path == "/" else DOCS_CSP if path.startswith(DOCS_PATHS) else API_CSP
        added = [
            (b"content-security-policy", csp.encode()),
            (b"x-content-type-options", b"nosniff"),
            (b"x-frame-options", b"DENY"),
            (b"referrer-policy", b"no-referrer"),
        ]

        async def secured(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                message = {**message, "headers": [
                    *message.get("headers", []), *(h for h in added if h[0] not in present)]}
            await send(message)

        await self.app(scope, receive, secured)


class UnexpectedErrorMiddleware:
    """An unexpected exception becomes the logged 500 ``internal_error`` here, inside the app, so the
    server never sees it: the client's keep-alive connection stays usable (Starlette's outermost error
    middleware answers too, but then re-raises, and the server drops the connection). An exception
    after the response has started (a stream cut half-way) still ends the connection: nothing else can."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = False

        async def tracked(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, tracked)
        except Exception:
            if started:
                raise
            log.exception("unexpected error on %s %s", scope.get("method"), scope.get("path"))
            for message in _json(500, {"error": {
                "code": "internal_error",
                "message": "unexpected server error; it was logged — please report it with the time of the request",
            }}):
                await send(message)
