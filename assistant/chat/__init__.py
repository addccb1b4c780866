"""Chat: answers to planners' questions from the guidebooks, with citations, in their script."""

from assistant.chat.service import Answer, ChatEvent, ChatService

__all__ = ["Answer", "ChatEvent", "ChatService"]
