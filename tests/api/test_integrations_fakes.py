"""A fake chat platform (a real HTTP server on loopback) and a recording responder, for the adapters' tests.

The fake answers the outbound APIs the adapters call (Slack chat.postMessage, Feishu tenant token and
message reply, DingTalk session webhook, WeCom gettoken and message/send) the way each platform does,
answers ``/proxy-login`` with an HTML page and ``/a-list`` with a JSON list (what a proxy or a wrong base URL
gives), and records every request so tests can assert exactly what was posted where.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

from fastapi import FastAPI
from fastapi.testclient import TestClient

from core.settings import Settings


@dataclass
class Recorded:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]
    body: Any


@dataclass
class FakePlatform:
    """Serves the platforms' outbound APIs on 127.0.0.1 and records what it receives."""

    requests: list[Recorded] = field(default_factory=list)
    _server: ThreadingHTTPServer | None = None

    @property
    def url(self) -> str:
        assert self._server is not None
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def __enter__(self) -> FakePlatform:
        platform = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _record(self) -> Recorded:
                split = urlsplit(self.path)
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                body: Any = json.loads(raw) if raw else None
                item = Recorded(self.command, split.path, {k: v[0] for k, v in parse_qs(split.query).items()},
                                {k.lower(): v for k, v in self.headers.items()}, body)
                platform.requests.append(item)
                return item

            def _send(self, payload: dict[str, Any]) -> None:
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def _send_raw(self, data: bytes, content_type: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:  # noqa: N802 - http.server's naming
                item = self._record()
                if item.path == "/proxy-login":  # what a corporate proxy answers instead of the platform
                    self._send_raw("<html><body>请先登录代理</body></html>".encode(), "text/html; charset=utf-8")
                elif item.path == "/a-list":
                    self._send_raw(b'["not", "an", "object"]', "application/json")
                elif item.path == "/cgi-bin/gettoken":
                    self._send({"errcode": 0, "errmsg": "ok", "access_token": "wecom-token", "expires_in": 7200})
                else:
                    self._send({"errcode": 404, "errmsg": "no such api"})

            def do_POST(self) -> None:  # noqa: N802
                item = self._record()
                if item.path == "/chat.postMessage":
                    self._send({"ok": True, "ts": "1700000000.000200"})
                elif item.path == "/open-apis/auth/v3/tenant_access_token/internal":
                    self._send({"code": 0, "msg": "ok", "tenant_access_token": "t-feishu", "expire": 7200})
                elif item.path.startswith("/open-apis/im/v1/messages/") and item.path.endswith("/reply"):
                    self._send({"code": 0, "msg": "success", "data": {}})
                elif item.path.startswith("/robot/sendBySession"):
                    self._send({"errcode": 0, "errmsg": "ok"})
                elif item.path == "/cgi-bin/message/send":
                    self._send({"errcode": 0, "errmsg": "ok"})
                else:
                    self._send({"ok": False, "error": "unknown_method"})

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True).start()
        return self

    def __exit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def posted(self, path_prefix: str) -> list[Recorded]:
        """The recorded requests whose path starts with ``path_prefix``."""
        return [r for r in self.requests if r.path.startswith(path_prefix)]

    def wait_for(self, path_prefix: str, count: int = 1, timeout: float = 120.0) -> list[Recorded]:
        """Wait until ``count`` requests to ``path_prefix`` arrived (replies are sent in the background)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.posted(path_prefix)
            if len(found) >= count:
                return found
            time.sleep(0.02)
        return self.posted(path_prefix)


class RecordingResponder:
    """Answers every message with a fixed text and records (text, thread) it was given."""

    def __init__(self, answer: str = "回复：好的") -> None:
        self.answer = answer
        self.calls: list[tuple[str, str]] = []

    def reply(self, text: str, *, thread: str) -> str:
        self.calls.append((text, thread))
        return self.answer


def integrations_client(settings: Settings, responder: object) -> TestClient:
    """A client for an app serving only the integration routers, with ``settings`` and ``responder``."""
    from api.integrations import router

    app = FastAPI()
    app.state.settings = settings
    app.state.services = {}
    app.state.responder = responder
    app.include_router(router)
    return TestClient(app)
