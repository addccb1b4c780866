"""Chat models behind one small interface: the OpenAI-compatible client, or none when offline."""

from __future__ import annotations

from assistant.llm.base import ChatModel, Message, complete
from core.settings import Settings


def get_chat_model(settings: Settings) -> ChatModel | None:
    """The configured chat model, or None when offline (no OPENAI_API_KEY)."""
    if settings.offline:
        return None
    from assistant.llm.openai_chat import OpenAIChatModel  # imported lazily: langchain is slow to load

    return OpenAIChatModel(settings)


__all__ = ["ChatModel", "Message", "complete", "get_chat_model"]
