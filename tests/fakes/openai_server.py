"""A real OpenAI-compatible HTTP server on loopback, scripted by tests.

It speaks the parts of the API Cehua uses — ``/v1/chat/completions`` (plain and streamed SSE),
``/v1/embeddings`` and ``/v1/models`` — so the real client stack (langchain_openai → openai →
HTTP) runs in tests. Replies and faults are queued; with an empty queue the server answers with a
deterministic reply that quotes passage [1] of the prompt, or whatever ``responder`` returns.

    server.reply("预算包括…[1]")                 # next chat completion answers this
    server.fail(status=429, retry_after=1)     # next one is rate limited
    server.malformed()                         # next one is not JSON
    server.cut(after_chunks=2)                 # next stream stops half-way
    server.hang(30)                            # next one sends nothing for 30 s
    server.trickle("…", every=2)               # next stream drips one piece every 2 s
    server.stall(30)                           # next stream sends its role chunk, then nothing for 30 s
    server.delay = 0.5                         # every request waits first (a hung model: delay = 600)
    server.requests                            # what the server received
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import struct
import threading
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal

from tests.fakes.prompt_blocks import passages_of

Endpoint = Literal["chat", "embeddings"]
Responder = Callable[[dict[str, Any]], "str | None"]



@dataclass
class Scripted:
    """One queued behaviour for the next request to an endpoint."""

    kind: Literal["reply", "fail", "malformed", "cut", "hang", "trickle", "stall", "tools"]
    text: str = ""
    status: int = 200
    retry_after: float | None = None
    body: str | None = None
    after_chunks: int = 1
    delay: float = 0.0
    every: float = 0.0
    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)


@dataclass
class ReceivedRequest:
    """A request as the server saw it."""

    method: str
    path: str
    headers: dict[str, str]
    body: dict[str, Any] = field(default_factory=dict)

    @property
    def messages(self) -> list[dict[str, Any]]:
        return list(self.body.get("messages", []))

    @property
    def stream(self) -> bool:
        return bool(self.body.get("stream"))


def fake_embedding(text: str, dim: int) -> list[float]:
    """A deterministic unit vector from hashed character 1- and 2-grams of ``text``."""
    vec = [0.0] * dim
    chars = [c for c in text if not c.isspace()]
    grams = chars + [a + b for a, b in zip(chars, chars[1:], strict=False)]
    for gram in grams:
        digest = hashlib.md5(gram.encode("utf-8")).digest()
        index = int.from_bytes(digest[:4], "little") % dim
        vec[index] += 1.0 if digest[4] % 2 == 0 else -1.0
    norm = math.sqrt(sum(v * v for v in vec))
    if norm == 0:
        vec[0] = 1.0
        return vec
    return [v / norm for v in vec]


def default_reply(body: dict[str, Any]) -> str:
    """The reply when nothing is queued: quote passage [1] of the last user message (its fenced block, read
    as a model reads it), citing it."""
    messages = body.get("messages") or []
    last_user = next((m for m in reversed(messages) if m.get("role") == "user"), None)
    content = last_user.get("content", "") if last_user else ""
    if isinstance(content, list):  # content parts
        content = "".join(part.get("text", "") for part in content if isinstance(part, dict))
    first = passages_of(content).get(1)
    lines = [line.strip() for line in first.text.splitlines() if line.strip()] if first else []
    if lines:
        quote = max(lines, key=len)[:120]
        return f"根据资料，{quote} [1]"
    return "这是模拟模型的回复。[1]"


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        # Clients dropping keep-alive connections (or tests cutting streams) are normal here.
        return


class FakeOpenAIServer:
    """An OpenAI-compatible server on 127.0.0.1 at a random free port."""

    api_key = "test-key"

    def __init__(self, *, embedding_dim: int = 64, models: tuple[str, ...] = ("gpt-4o-mini",)) -> None:
        self.embedding_dim = embedding_dim
        self.models = models
        self.delay: float = 0.0
        self.responder: Responder | None = None
        self.requests: list[ReceivedRequest] = []
        self._queues: dict[Endpoint, deque[Scripted]] = {"chat": deque(), "embeddings": deque()}
        self._lock = threading.Lock()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- scripting ---------------------------------------------------------------------------

    def reply(self, text: str, *, delay: float = 0.0) -> FakeOpenAIServer:
        """Queue a reply for the next chat completion (streamed or not, as the client asks)."""
        return self._push("chat", Scripted("reply", text=text, delay=delay))

    def fail(self, status: int = 500, *, retry_after: float | None = None, body: str | None = None,
             endpoint: Endpoint = "chat") -> FakeOpenAIServer:
        """Queue an HTTP error (e.g. 429 with ``Retry-After``, 500) for the next request."""
        return self._push(endpoint, Scripted("fail", status=status, retry_after=retry_after, body=body))

    def malformed(self, *, endpoint: Endpoint = "chat") -> FakeOpenAIServer:
        """Queue a 200 response whose body is not valid JSON."""
        return self._push(endpoint, Scripted("malformed"))

    def cut(self, text: str = "这是一段被截断的回复，后面还有很多内容", *, after_chunks: int = 2) -> FakeOpenAIServer:
        """Queue a stream that sends ``after_chunks`` chunks of ``text`` and then drops the connection."""
        return self._push("chat", Scripted("cut", text=text, after_chunks=after_chunks))

    def hang(self, seconds: float, text: str = "迟到的回复 [1]", *, endpoint: Endpoint = "chat") -> FakeOpenAIServer:
        """Queue a reply that only starts after ``seconds`` (for client timeouts)."""
        return self._push(endpoint, Scripted("reply", text=text, delay=seconds))

    def trickle(self, text: str, *, every: float) -> FakeOpenAIServer:
        """Queue a stream that starts at once and then sends one small piece every ``every`` seconds
        (a model that never stops long enough for a read timeout)."""
        return self._push("chat", Scripted("trickle", text=text, every=every))

    def stall(self, seconds: float, text: str = "迟到的回复 [1]") -> FakeOpenAIServer:
        """Queue a stream that sends its empty role-only chunk at once and then nothing for ``seconds``
        (headers and a chunk arrive, but no token: a first-token deadline must still cut it)."""
        return self._push("chat", Scripted("stall", text=text, delay=seconds))

    def tool_calls(self, *calls: tuple[str, dict[str, Any]]) -> FakeOpenAIServer:
        """Queue a reply that calls tools: ``tool_calls(("change_budget", {"request": "预算改成8千"}))``."""
        return self._push("chat", Scripted("tools", calls=list(calls)))

    def _push(self, endpoint: Endpoint, item: Scripted) -> FakeOpenAIServer:
        with self._lock:
            self._queues[endpoint].append(item)
        return self

    def _pop(self, endpoint: Endpoint) -> Scripted | None:
        with self._lock:
            queue = self._queues[endpoint]
            return queue.popleft() if queue else None

    @property
    def pending(self) -> int:
        """How many scripted behaviours have not been used yet."""
        with self._lock:
            return sum(len(q) for q in self._queues.values())

    @property
    def chat_requests(self) -> list[ReceivedRequest]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # -- lifecycle ---------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """The OpenAI base URL to configure (ends with ``/v1``)."""
        if self._httpd is None:
            raise RuntimeError("the fake OpenAI server is not started")
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    @property
    def env(self) -> dict[str, str]:
        """Environment variables that point Cehua at this server."""
        return {"OPENAI_API_KEY": self.api_key, "OPENAI_BASE_URL": self.base_url}

    def start(self) -> FakeOpenAIServer:
        handler = _make_handler(self)
        self._httpd = _QuietServer(("127.0.0.1", 0), handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.05,), name="fake-openai",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeOpenAIServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _make_handler(server: FakeOpenAIServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - quiet in tests
            return

        def _record(self, body: dict[str, Any]) -> None:
            with server._lock:
                server.requests.append(
                    ReceivedRequest(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body)
                )

        def _read_body(self) -> dict[str, Any]:
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            try:
                data = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                return {"_raw": raw.decode("utf-8", "replace")}
            return data if isinstance(data, dict) else {"_raw": data}

        def _send_json(self, status: int, payload: Any, headers: dict[str, str] | None = None) -> None:
            data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self._send_bytes(status, data, "application/json", headers)

        def _send_bytes(self, status: int, data: bytes, ctype: str, headers: dict[str, str] | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(data)))
            for key, value in (headers or {}).items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(data)
            self.wfile.flush()

        def do_GET(self) -> None:  # noqa: N802 - http.server naming
            self._record({})
            if self.path.rstrip("/").endswith("/v1/models"):
                data = [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in server.models]
                self._send_json(200, {"object": "list", "data": data})
            else:
                self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        def do_POST(self) -> None:  # noqa: N802 - http.server naming
            body = self._read_body()
            self._record(body)
            if server.delay:
                time.sleep(server.delay)
            path = self.path.rstrip("/")
            if path.endswith("/chat/completions"):
                self._chat(body)
            elif path.endswith("/embeddings"):
                self._embeddings(body)
            else:
                self._send_json(404, {"error": {"message": f"no route {self.path}", "type": "not_found"}})

        # -- faults shared by both endpoints ------------------------------------------------

        def _fault(self, item: Scripted) -> bool:
            if item.kind == "fail":
                headers = {} if item.retry_after is None else {"Retry-After": _fmt_seconds(item.retry_after)}
                if item.body is not None:
                    self._send_bytes(item.status, item.body.encode("utf-8"), "application/json", headers)
                else:
                    error = {"error": {"message": f"scripted failure {item.status}", "type": "server_error",
                                       "code": str(item.status)}}
                    self._send_json(item.status, error, headers)
                return True
            if item.kind == "malformed":
                self._send_bytes(200, b'{"id": "chatcmpl-bad", "choices": [ {"mess', "application/json")
                return True
            return False

        # -- chat --------------------------------------------------------------------------

        def _chat(self, body: dict[str, Any]) -> None:
            item = server._pop("chat")
            if item is not None and self._fault(item):
                return
            if item is not None and item.delay and item.kind != "stall":
                time.sleep(item.delay)
            if item is not None and item.kind in ("reply", "cut", "trickle", "stall"):
                text = item.text
            else:
                text = (server.responder(body) if server.responder else None) or default_reply(body)
            model = str(body.get("model") or server.models[0])
            if item is not None and item.kind == "tools":
                self._tool_calls(item.calls, model, bool(body.get("stream")))
                return
            if body.get("stream"):
                cut_after = item.after_chunks if item is not None and item.kind == "cut" else None
                include_usage = bool((body.get("stream_options") or {}).get("include_usage"))
                every = item.every if item is not None and item.kind == "trickle" else 0.0
                stall = item.delay if item is not None and item.kind == "stall" else 0.0
                self._stream(text, model, cut_after, include_usage, every, stall)
                return
            self._send_json(200, {
                "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text},
                             "finish_reason": "stop", "logprobs": None}],
                "usage": _usage(body, text),
            })

        def _tool_calls(self, calls: list[tuple[str, dict[str, Any]]], model: str, stream: bool) -> None:
            """A reply that calls tools (whole, or as one streamed chunk carrying the calls)."""
            tool_calls = [{"id": f"call_{i}", "type": "function",
                           "function": {"name": name, "arguments": json.dumps(args, ensure_ascii=False)}}
                          for i, (name, args) in enumerate(calls)]
            message = {"role": "assistant", "content": None, "tool_calls": tool_calls}
            if not stream:
                self._send_json(200, {
                    "id": "chatcmpl-fake", "object": "chat.completion", "created": int(time.time()), "model": model,
                    "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls", "logprobs": None}],
                    "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
                })
                return
            base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                    "model": model}
            deltas = [{**c, "index": i} for i, c in enumerate(tool_calls)]
            events = [{**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": None,
                                                                 "tool_calls": deltas}, "finish_reason": None}]},
                      {**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "tool_calls"}]}]
            data = "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events) + "data: [DONE]\n\n"
            self._send_bytes(200, data.encode("utf-8"), "text/event-stream")

        def _stream(self, text: str, model: str, cut_after: int | None, include_usage: bool,
                    every: float = 0.0, stall: float = 0.0) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            pieces = _split(text)
            base = {"id": "chatcmpl-fake", "object": "chat.completion.chunk", "created": int(time.time()),
                    "model": model}
            events: list[dict[str, Any]] = [
                {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": ""},
                                      "finish_reason": None}]}
            ]
            events += [{**base, "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]}
                       for p in pieces]
            events.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
            if include_usage:
                events.append({**base, "choices": [], "usage": _usage({}, text)})
            try:
                for sent, event in enumerate(events):
                    if cut_after is not None and sent > cut_after:
                        # Drop the connection mid-body: no terminating chunk, no [DONE].
                        self.wfile.flush()
                        self.close_connection = True
                        self.connection.shutdown(2)
                        return
                    if every and sent > 0:
                        time.sleep(every)
                    if stall and sent == 1:  # the role-only chunk went out; now nothing
                        time.sleep(stall)
                    self._chunk(f"data: {json.dumps(event, ensure_ascii=False)}\n\n".encode())
                self._chunk(b"data: [DONE]\n\n")
                self.wfile.write(b"0\r\n\r\n")
                self.wfile.flush()
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _chunk(self, data: bytes) -> None:
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()

        # -- embeddings --------------------------------------------------------------------

        def _embeddings(self, body: dict[str, Any]) -> None:
            item = server._pop("embeddings")
            if item is not None and self._fault(item):
                return
            if item is not None and item.delay:
                time.sleep(item.delay)
            raw = body.get("input", [])
            inputs = [raw] if isinstance(raw, str) or (raw and isinstance(raw[0], int)) else list(raw)
            as_base64 = body.get("encoding_format") == "base64"
            data = []
            for i, value in enumerate(inputs):
                text = value if isinstance(value, str) else " ".join(str(t) for t in value)
                vec = fake_embedding(text, server.embedding_dim)
                embedding: Any = (base64.b64encode(struct.pack(f"<{len(vec)}f", *vec)).decode()
                                  if as_base64 else vec)
                data.append({"object": "embedding", "index": i, "embedding": embedding})
            tokens = sum(len(str(v)) for v in inputs)
            self._send_json(200, {"object": "list", "data": data, "model": body.get("model", "fake-embedding"),
                                  "usage": {"prompt_tokens": tokens, "total_tokens": tokens}})

    return Handler


def _split(text: str, size: int = 4) -> list[str]:
    return [text[i:i + size] for i in range(0, len(text), size)] or [""]


def _usage(body: dict[str, Any], text: str) -> dict[str, int]:
    prompt = sum(len(str(m.get("content", ""))) for m in body.get("messages", []))
    return {"prompt_tokens": prompt, "completion_tokens": len(text), "total_tokens": prompt + len(text)}


def _fmt_seconds(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
