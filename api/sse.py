"""Server-sent events: how the API frames a stream of named JSON events."""

from __future__ import annotations

import json
from typing import Any

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse_event(event: str, data: Any, *, id: int | str | None = None) -> str:
    """One SSE frame: ``event:`` name, optional ``id:``, and the data as one line of JSON."""
    head = f"id: {id}\n" if id is not None else ""
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, default=str)
    return f"{head}event: {event}\ndata: {body}\n\n"


def sse_comment(text: str = "keep-alive") -> str:
    """A comment frame clients ignore; keeps proxies from closing an idle stream."""
    return f": {text}\n\n"


def wants_event_stream(accept: str | None) -> bool:
    """True when the Accept header asks for text/event-stream."""
    return accept is not None and "text/event-stream" in accept.lower()
