"""An in-process ``ChatModel`` with queued replies and a history of what it was asked."""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterator

from assistant.llm.base import Message
from core.errors import ModelError


class FakeChatModel:
    """Replies from a queue (or ``responder``, or a fixed default), in small chunks.

    ``history`` holds every message list it was asked; queue an exception instance to make the
    next call raise it (e.g. ``ModelError``).
    """

    name = "fake-model"

    def __init__(self, default: str = "模拟回复 [1]", chunk_size: int = 4) -> None:
        self.default = default
        self.chunk_size = chunk_size
        self.responder: Callable[[list[Message]], str | None] | None = None
        self.history: list[list[Message]] = []
        self._queue: deque[str | Exception | _Cut] = deque()

    def reply(self, *texts: str) -> FakeChatModel:
        """Queue replies, used one per call."""
        self._queue.extend(texts)
        return self

    def fail(self, error: Exception | None = None) -> FakeChatModel:
        """Queue a failure for the next call."""
        self._queue.append(error or ModelError("the fake model is failing on purpose"))
        return self

    def cut(self, text: str, error: Exception | None = None) -> FakeChatModel:
        """Queue a reply that streams ``text`` and then fails (a connection lost half-way)."""
        self._queue.append(_Cut(text, error or ModelError("the fake model broke off on purpose")))
        return self

    @property
    def last_messages(self) -> list[Message]:
        if not self.history:
            raise AssertionError("the fake model was never asked anything")
        return self.history[-1]

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """Record ``messages`` and return the next reply in chunks (or raise the queued error)."""
        self.history.append([dict(m) for m in messages])  # type: ignore[misc]
        item: str | Exception | _Cut | None = self._queue.popleft() if self._queue else None
        if isinstance(item, Exception):
            raise item
        if isinstance(item, _Cut):
            return item.stream(self.chunk_size)
        text = item if item is not None else (self.responder(messages) if self.responder else None) or self.default
        return iter([text[i:i + self.chunk_size] for i in range(0, len(text), self.chunk_size)])


class _Cut:
    def __init__(self, text: str, error: Exception) -> None:
        self.text = text
        self.error = error

    def stream(self, size: int) -> Iterator[str]:
        for i in range(0, len(self.text), size):
            yield self.text[i:i + size]
        raise self.error
