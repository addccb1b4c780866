"""Fakes for tests: an OpenAI-compatible server on loopback and an in-process chat model."""

from tests.fakes.chat_model import FakeChatModel
from tests.fakes.openai_server import FakeOpenAIServer, ReceivedRequest, default_reply, fake_embedding
from tests.fakes.prompt_blocks import DataBlock, block_text, data_blocks, passages_of
from tests.fakes.retriever import FakeRetriever

__all__ = ["DataBlock", "FakeChatModel", "FakeOpenAIServer", "FakeRetriever", "ReceivedRequest", "block_text",
           "data_blocks", "default_reply", "fake_embedding", "passages_of"]
