"""The one small interface every chat model implements: the OpenAI-compatible client,
the offline composer and the fakes used in tests."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Protocol, TypedDict


class Message(TypedDict):
    role: str  # "system" | "user" | "assistant"
    content: str


class ChatModel(Protocol):
    """Turns a list of messages into a reply, streamed as text chunks."""

    name: str

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """Yield the reply in chunks; raise ``ModelError`` when the model cannot answer."""
        ...


class ToolCall(TypedDict):
    """A tool the model chose to call, with its arguments."""

    name: str
    args: dict[str, Any]


class ToolModel(Protocol):
    """A chat model that can also choose tools (OpenAI function calling)."""

    def call_tools(self, messages: list[Message], tools: list[dict[str, Any]]) -> list[ToolCall]:
        """The tools the model calls for ``messages`` (empty when it answers in text); ``ModelError``
        when it cannot answer."""
        ...


def complete(model: ChatModel, messages: list[Message]) -> str:
    """The whole reply of ``model`` as one string."""
    return "".join(model.stream(messages))
