"""The OpenAI-compatible chat model: the only module that imports ``langchain_openai``.

The client's own retries are switched off and done here instead, so that a stream which fails
before its first chunk is retried too, ``Retry-After`` is honoured, the number of attempts is
bounded by ``settings.model_max_retries`` and every failure leaves as one ``ModelError``.

Every call has a total deadline as well as the client's per-read timeout: the first token must
arrive within ``model_first_token_timeout`` and the whole reply, retries included, within
``model_deadline``. The HTTP stream is read by a helper thread, so the caller stops waiting at the
deadline even while a read is blocked on a hung or trickling server.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any, TypeVar

import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from langchain_openai import ChatOpenAI
from pydantic import BaseModel, SecretStr

from assistant.llm.base import Message, ToolCall
from core.errors import ModelError
from core.settings import Settings

SchemaT = TypeVar("SchemaT", bound=BaseModel)
T = TypeVar("T")

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
            raise ModelError("no model is configured: set OPENAI_API_KEY (and OPENAI_BASE_URL for a compatible server)",
                             reason="not_configured")
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
        self._tool_client: ChatOpenAI | None = None

    def call_tools(self, messages: list[Message], tools: list[dict[str, Any]]) -> list[ToolCall]:
        """The tools the model calls for ``messages`` (langchain tool calling), with bounded retries;
        ``ModelError`` saying what failed."""
        if self._tool_client is None:
            self._tool_client = self._client.model_copy(update={"streaming": False})
        bound = self._tool_client.bind_tools(tools)
        converted = [_to_langchain(m) for m in messages]
        reply = self._invoke(lambda: bound.invoke(converted))
        calls = getattr(reply, "tool_calls", None) or []
        return [ToolCall(name=str(c["name"]), args=dict(c.get("args") or {})) for c in calls]

    def _invoke(self, call: Callable[[], Any]) -> Any:
        """One non-streamed model call within the whole-reply deadline, retried while retrying can help;
        ``ModelError`` saying what failed (vendor and parsing errors alike)."""
        attempts = max(0, self._settings.model_max_retries) + 1
        deadline = time.monotonic() + self._settings.model_deadline
        for attempt in range(1, attempts + 1):
            try:
                return _within(deadline, call)
            except _Overdue as exc:
                raise ModelError(self._overdue(exc, attempt, False), reason="timeout") from exc
            except Exception as exc:  # every vendor error leaves as ModelError
                wait = self._retry_wait(exc, attempt)
                if wait is None or attempt == attempts or time.monotonic() + wait >= deadline - 1:
                    raise self._error(exc, attempt, False) from exc
                self._sleep(wait)
        raise AssertionError("unreachable")

    @property
    def _where(self) -> str:
        return self._settings.openai_base_url or "api.openai.com"

    def stream(self, messages: list[Message]) -> Iterator[str]:
        """Yield the reply in chunks; after bounded retries raise ``ModelError`` saying what failed."""
        converted = [_to_langchain(m) for m in messages]
        attempts = max(0, self._settings.model_max_retries) + 1
        deadline = time.monotonic() + self._settings.model_deadline
        for attempt in range(1, attempts + 1):
            started = False
            try:
                finished = False
                first_by = min(deadline, time.monotonic() + self._settings.model_first_token_timeout)
                for chunk in _Pump(lambda: self._client.stream(converted), first_by=first_by, deadline=deadline,
                                   is_token=_has_text):
                    if chunk.response_metadata.get("finish_reason"):
                        finished = True
                    text = _chunk_text(chunk)
                    if text:
                        started = True
                        yield text
                if not finished:
                    raise ModelError(
                        f"the model at {self._where} stopped its reply half-way (the stream ended without "
                        "finishing); ask again, or check the server's logs", reason="broke_off"
                    )
                return
            except ModelError:
                raise
            except _Overdue as exc:
                if exc.first_token and not started and attempt < attempts and time.monotonic() < deadline - 1:
                    continue  # a connection that never answered: one more try while time is left
                raise ModelError(self._overdue(exc, attempt, started), reason="broke_off" if started else "timeout") from exc
            except Exception as exc:  # every vendor error leaves as ModelError
                wait = self._retry_wait(exc, attempt)
                if wait is not None and time.monotonic() + wait >= deadline - 1:
                    wait = None  # no time left to wait and try again
                if started or wait is None or attempt == attempts:
                    raise self._error(exc, attempt, started) from exc
                self._sleep(wait)

    def structured(self, messages: list[Message], schema: type[SchemaT]) -> SchemaT:
        """The model's answer as an instance of ``schema`` (langchain ``with_structured_output`` in JSON
        mode, which OpenAI-compatible servers widely support); ``ModelError`` when it cannot be had."""
        runnable = self._client.with_structured_output(schema, method="json_mode")
        converted = [_to_langchain(m) for m in messages]
        result = self._invoke(lambda: runnable.invoke(converted))
        if isinstance(result, schema):
            return result
        try:
            return schema.model_validate(result)
        except Exception as exc:
            raise ModelError(f"the model at {self._where} answered in a shape Cehua cannot use "
                             f"({exc.__class__.__name__}); try again or use another model", reason="unreadable") from exc

    def _overdue(self, exc: _Overdue, attempt: int, started: bool) -> str:
        tries = f"after {attempt} attempt{'s' if attempt > 1 else ''}"
        if exc.first_token:
            return (f"the model at {self._where} sent nothing within "
                    f"{self._settings.model_first_token_timeout:g}s ({tries}); try again later, or raise "
                    "CEHUA_MODEL_FIRST_TOKEN_TIMEOUT for a slow model")
        return (f"the model at {self._where} did not finish its reply within {self._settings.model_deadline:g}s"
                f"{' (it broke off half-way)' if started else ''}; try again later, or raise CEHUA_MODEL_DEADLINE")

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

    def _error(self, exc: Exception, attempt: int, started: bool) -> ModelError:
        """``exc`` as the ModelError that says what failed (``_describe``) and why in one word."""
        status = getattr(exc, "status_code", None)
        if started:
            reason = "broke_off"
        elif isinstance(exc, openai.APITimeoutError):
            reason = "timeout"
        elif isinstance(exc, openai.APIConnectionError):
            reason = "unreachable"
        elif status == 429:
            reason = "rate_limited"
        elif status in (401, 403):
            reason = "key_rejected"
        elif status == 404:
            reason = "not_served"
        else:
            reason = "http_error" if isinstance(status, int) else "unreadable"
        return ModelError(self._describe(exc, attempt, started), reason=reason,
                          status=status if isinstance(status, int) else None)

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


class _Overdue(Exception):
    """The model missed a deadline: its first token (``first_token``) or the end of its reply."""

    def __init__(self, first_token: bool) -> None:
        super().__init__("first token overdue" if first_token else "reply overdue")
        self.first_token = first_token


def _chunk_text(chunk: Any) -> str:
    return chunk.content if isinstance(chunk.content, str) else _text_of(chunk.content)


def _has_text(chunk: Any) -> bool:
    """True for a chunk carrying reply text (not the empty role-only chunk servers send first)."""
    return bool(_chunk_text(chunk))


class _Pump:
    """Iterates ``open_stream()`` in a daemon thread and hands its items over a queue, so the reader
    stops waiting at ``first_by`` (until the first token: the first item ``is_token`` accepts) and
    ``deadline`` (until the end) however long a read blocks. On leaving early the thread closes the
    stream at its next item or read timeout."""

    def __init__(self, open_stream: Callable[[], Iterable[Any]], *, first_by: float, deadline: float,
                 is_token: Callable[[Any], bool] = lambda item: True) -> None:
        self._items: queue.Queue[tuple[str, Any]] = queue.Queue()
        self._stop = threading.Event()
        self._first_by, self._deadline = first_by, deadline
        self._is_token = is_token
        threading.Thread(target=self._run, args=(open_stream,), name="cehua-model-read", daemon=True).start()

    def _run(self, open_stream: Callable[[], Iterable[Any]]) -> None:
        stream: Any = None
        try:
            stream = iter(open_stream())
            for item in stream:
                if self._stop.is_set():
                    break
                self._items.put(("item", item))
            else:
                self._items.put(("end", None))
        except BaseException as exc:  # handed to the reader, which decides
            self._items.put(("error", exc))
        finally:
            close = getattr(stream, "close", None)
            if close is not None:
                try:
                    close()  # closes the HTTP response when left early
                except Exception:  # noqa: S110 - the reader has already moved on
                    pass

    def __iter__(self) -> Iterator[Any]:
        first = True
        try:
            while True:
                limit = self._first_by if first else self._deadline
                try:
                    kind, value = self._items.get(timeout=max(0.0, limit - time.monotonic()))
                except queue.Empty:
                    raise _Overdue(first_token=first) from None
                if kind == "end":
                    return
                if kind == "error":
                    raise value
                if first and self._is_token(value):
                    first = False  # a role-only or empty chunk is not a first token
                yield value
        finally:
            self._stop.set()


def _within(deadline: float, call: Callable[[], T]) -> T:
    """``call()``'s result, or ``_Overdue`` at ``deadline`` however long its reads block (a whole,
    unstreamed reply has no first token: only the deadline applies)."""
    try:
        for result in _Pump(lambda: (call(),), first_by=deadline, deadline=deadline):
            return result  # type: ignore[no-any-return]
    except _Overdue:
        raise _Overdue(first_token=False) from None
    raise AssertionError("unreachable")


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
