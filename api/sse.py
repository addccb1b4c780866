"""Server-sent events, framed by sse-starlette: named JSON events, keep-alive comments, headers at once.

``event_stream`` sends the response headers as soon as a route returns it and a comment frame
every ``sse_keepalive_seconds`` while the stream waits, so a proxy with a read timeout never cuts
a stream whose model is slow to answer.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterable
from typing import Any

from sse_starlette import EventSourceResponse, ServerSentEvent

from core.settings import Settings

SSE_HEADERS = {"Cache-Control": "no-cache", "X-Accel-Buffering": "no"}


def sse_event(event: str, data: Any, *, id: int | str | None = None) -> ServerSentEvent:
    """One event: its name, optional ``id``, and the data as one line of JSON."""
    body = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False, default=str)
    return ServerSentEvent(data=body, event=event, id=None if id is None else str(id), sep="\n")


def event_stream(frames: AsyncIterable[ServerSentEvent | str], settings: Settings) -> EventSourceResponse:
    """The streaming response for ``frames``, with keep-alive comments while it waits."""
    return EventSourceResponse(frames, headers=SSE_HEADERS, ping=settings.sse_keepalive_seconds, sep="\n")


def wants_event_stream(accept: str | None) -> bool:
    """True when the Accept header asks for text/event-stream."""
    return accept is not None and "text/event-stream" in accept.lower()
