"""Fakes for tests: an OpenAI-compatible server on loopback and an in-process chat model."""

from tests.fakes.chat_model import FakeChatModel
from tests.fakes.openai_server import FakeOpenAIServer, ReceivedRequest, default_reply, fake_embedding
from tests.fakes.retriever import FakeRetriever

__all__ = ["FakeChatModel", "FakeOpenAIServer", "FakeRetriever", "ReceivedRequest", "default_reply", "fake_embedding"]
