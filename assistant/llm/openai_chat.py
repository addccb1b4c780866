"""The OpenAI-compatible chat model: the only module that imports ``langchain_openai``.

The client's own retries are switched off and done here instead, so that a stream which fails
before its first chunk is retried too, ``Retry-After`` is honoured, the number of attempts is
bounded by ``settings.model_max_retries`` and every failure leaves as one ``ModelError``.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, SecretStr

from assistant.llm.base import Message
from core.errors import ModelError
from core.settings import Settings

SchemaT = TypeVar("SchemaT", bound=BaseModel)

# Longest server-requested wait we honour before giving up instead of sleeping.
_MAX_RETRY_AFTER = 30.0


class OpenAIChatModel:
    """A ``ChatModel`` over ``ChatOpenAI``: streamed replies, bounded retries, errors as ``ModelError``."""

    def __init__(
        self,
        settings: Settings,
        *,
        backoff: float = 0.5,
        max_backoff: float = 8.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not settings.openai_api_key:
            raise ModelError("no model is configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server)")
        self.name = settings.model
        self._settings = settings
        self._backoff = backoff
        self._max_backoff = max_backoff
        self._sleep = sleep
        self._client = ChatOpenAI(
            model=settings.model,
            api_key=SecretStr(settings.openai_api_key),
            base_url=settings.openai_base_url,
            timeout=settings.model_timeout,
            max_retries=0,
            temperature=0,
            streaming=True,
        )

    @property
    def _where(self) -> str:
        return self._settings.openai_base_url or "api.openai.com"

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """Yield the reply in chunks; after bounded retries raise ``ModelError`` saying what failed."""
        converted = [_to_langchain(m) for m in messages]
        attempts = max(0, self._settings.model_max_retries) + 1
        for attempt in range(1, attempts + 1):
            started = False
            try:
                finished = False
                for chunk in self._client.stream(converted):
                    if chunk.response_metadata.get("finish_reason"):
                        finished = True
                    text = chunk.content if isinstance(chunk.content, str) else _text_of(chunk.content)
                    if text:
                        started = True
                        yield text
                if not finished:
                    raise ModelError(
                        f"the model at {self._where} stopped its reply half-way (the stream ended without "
                        "finishing); ask again, or check the server's logs"
                    )
                return
            except ModelError:
                raise
            except Exception as exc:  # every vendor error leaves as ModelError
                wait = self._retry_wait(exc, attempt)
                if started or wait is None or attempt == attempts:
                    raise ModelError(self._describe(exc, attempt, started)) from exc
                self._sleep(wait)

    def structured(self, messages: list[Message], schema: type[SchemaT]) -> SchemaT:
        """The model's answer as an instance of ``schema`` (langchain ``with_structured_output`` in JSON
        mode, which OpenAI-compatible servers widely support); ``ModelError`` when it cannot be had."""
        runnable = self._client.with_structured_output(schema, method="json_mode")
        converted = [_to_langchain(m) for m in messages]
        attempts = max(0, self._settings.model_max_retries) + 1
        for attempt in range(1, attempts + 1):
            try:
                result = runnable.invoke(converted)
            except Exception as exc:  # vendor and parsing errors leave as ModelError
                wait = self._retry_wait(exc, attempt)
                if wait is None or attempt == attempts:
                    raise ModelError(self._describe(exc, attempt, False)) from exc
                self._sleep(wait)
                continue
            if isinstance(result, schema):
                return result
            try:
                return schema.model_validate(result)
            except Exception as exc:
                raise ModelError(f"the model at {self._where} answered in a shape Cehua cannot use "
                                 f"({exc.__class__.__name__}); try again or use another model") from exc
        raise AssertionError("unreachable")

    def _retry_wait(self, exc: Exception, attempt: int) -> float | None:
        """Seconds to wait before retrying ``exc``, or None when retrying cannot help."""
        status = getattr(exc, "status_code", None)
        retryable = isinstance(exc, openai.APIConnectionError) or status in (408, 409, 429) or (
            isinstance(status, int) and status >= 500
        )
        if not retryable:
            return None
        retry_after = _retry_after(exc)
        if retry_after is not None:
            return retry_after if retry_after <= _MAX_RETRY_AFTER else None
        return min(self._backoff * 2 ** (attempt - 1), self._max_backoff)

    def _describe(self, exc: Exception, attempt: int, started: bool) -> str:
        tries = f"after {attempt} attempt{'s' if attempt > 1 else ''}"
        status = getattr(exc, "status_code", None)
        if started:
            return (f"the model at {self._where} broke off its reply half-way "
                    f"({exc.__class__.__name__}); ask again")
        if isinstance(exc, openai.APITimeoutError):
            return (f"the model at {self._where} did not answer within {self._settings.model_timeout:g}s "
                    f"({tries}); raise CEHUA_MODEL_TIMEOUT or try again later")
        if isinstance(exc, openai.APIConnectionError):
            return f"cannot reach the model at {self._where} ({tries}); check OPENAI_BASE_URL and the network"
        if status == 429:
            return f"the model at {self._where} is rate limiting requests ({tries}); wait a minute and try again"
        if status in (401, 403):
            return f"the model at {self._where} rejected the key (HTTP {status}); check OPENAI_API_KEY"
        if status == 404:
            return (f"the model '{self.name}' is not served at {self._where} (HTTP 404); "
                    "check CEHUA_MODEL and OPENAI_BASE_URL")
        if isinstance(status, int):
            return f"the model at {self._where} failed with HTTP {status} ({tries}); try again later"
        return (f"the model at {self._where} sent a reply Cehua cannot read ({exc.__class__.__name__}, {tries}); "
                "check that OPENAI_BASE_URL points at an OpenAI-compatible server")


def _retry_after(exc: Exception) -> float | None:
    response = getattr(exc, "response", None)
    headers = getattr(response, "headers", None)
    if headers is None:
        return None
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            continue
    return None


def _to_langchain(message: Message) -> BaseMessage:
    role, content = message["role"], message["content"]
    if role == "system":
        return SystemMessage(content)
    if role == "assistant":
        return AIMessage(content)
    return HumanMessage(content)


def _text_of(content: list[Any]) -> str:
    return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in content)
