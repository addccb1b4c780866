"""The one small interface every chat model implements: the OpenAI-compatible client,
the offline composer and the fakes used in tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Protocol, TypedDict


class Message(TypedDict):
    role: str  # "system" | "user" | "assistant"
    content: str


class ChatModel(Protocol):
    """Turns a list of messages into a reply, streamed as text chunks."""

    name: str

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """Yield the reply in chunks; raise ``ModelError`` when the model cannot answer."""
        ...


def complete(model: ChatModel, messages: list[Message]) -> str:
    """The whole reply of ``model`` as one string."""
    return "".join(model.stream(messages))
