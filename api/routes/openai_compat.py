"""OpenAI-compatible endpoints, so the official ``openai`` client works unchanged.

Model ``cehua-chat`` answers the last user message from the guidebooks, with numbered
citations listed under the answer; ``cehua-draft`` drafts a plan from the last user message (or
asks for the budget and dates it lacks). Both stream as ``chat.completion.chunk`` events.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette import ServerSentEvent
from starlette.concurrency import run_in_threadpool

from api.deps import ChatServiceDep, ClientKeyDep, PlanServiceDep, SettingsDep
from api.routes.chat import owned_conversation
from api.routes.plans import missing_fields_error
from api.schemas import ERRORS, ChatCompletionRequest, ModelCard, ModelList, utc_timestamp
from api.sse import event_stream
from assistant.chat import ChatEvent
from assistant.store.conversations import ConversationStore
from core.errors import CehuaError, InputError, NotFoundError
from core.settings import Settings
from core.text.scripts import detect_script

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

CHAT_MODEL = "cehua-chat"
DRAFT_MODEL = "cehua-draft"
_MODELS = {
    CHAT_MODEL: "Answers from the guidebooks with numbered citations.",
    DRAFT_MODEL: "Drafts a campaign plan from a request with budget and dates.",
}
_SOURCES = {"zh-Hans": "来源", "zh-Hant": "來源", "en": "Sources"}
_FINDINGS = {"zh-Hans": "检查结果", "zh-Hant": "檢查結果", "en": "Checks"}
_ALL_OK = {"zh-Hans": "检查通过,没有错误。", "zh-Hant": "檢查通過,沒有錯誤。", "en": "All checks passed."}
_CHUNK_CHARS = 200
_HISTORY_TURNS = 3


@router.get("/models", response_model=ModelList)
def list_models(_key: ClientKeyDep) -> ModelList:
    """The models this server offers."""
    return ModelList(data=[ModelCard(id=m, created=0, description=d) for m, d in _MODELS.items()])


@router.get("/models/{model_id}", response_model=ModelCard, responses=ERRORS)
def get_model(_key: ClientKeyDep, model_id: str) -> ModelCard:
    """One model's card."""
    if model_id not in _MODELS:
        raise NotFoundError(f"no model '{model_id}': use {CHAT_MODEL} or {DRAFT_MODEL}", code="model_not_found")
    return ModelCard(id=model_id, created=0, description=_MODELS[model_id])


def _text(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):
        return "".join(p["text"] for p in content
                       if isinstance(p, dict) and p.get("type") == "text" and isinstance(p.get("text"), str))
    return ""


def last_user_message(body: ChatCompletionRequest) -> str:
    """The text of the last user message (what Cehua answers or drafts from)."""
    for message in reversed(body.messages):
        if message.role == "user":
            text = _text(message.content).strip()
            if text:
                return text
    raise InputError("messages has no non-empty user message: add {\"role\": \"user\", \"content\": \"...\"}",
                     code="invalid_request")


def sources_block(citations: list[Any], script: str) -> str:
    """The numbered sources listed under an answer."""
    if not citations:
        return ""
    lines = [f"[{c.n}] {c.title} › {c.section}".replace(" ›  ", "").strip() for c in citations]
    return f"\n\n{_SOURCES.get(script, _SOURCES['zh-Hans'])}:\n" + "\n".join(lines)


def _findings_block(script: str, findings: list[Any]) -> str:
    errors = [f for f in findings if f.severity == "error"]
    head = f"\n\n---\n{_FINDINGS.get(script, _FINDINGS['zh-Hans'])}:"
    if not findings:
        return f"{head} {_ALL_OK.get(script, _ALL_OK['zh-Hans'])}"
    lines = [f"- [{f.severity}] {f.code}: {f.message}" for f in errors + [f for f in findings if f not in errors]]
    return head + "\n" + "\n".join(lines)


def _completion(model: str, content: str, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": utc_timestamp(),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **extra,
    }


def _data(payload: Any) -> ServerSentEvent:
    return ServerSentEvent(data=payload if isinstance(payload, str) else json.dumps(payload, ensure_ascii=False),
                           sep="\n")


async def _chunks(model: str, pieces: Callable[[], AsyncIterator[str]],
                  extra_last: dict[str, Any] | None = None) -> AsyncIterator[ServerSentEvent]:
    """``data:`` frames of chat.completion.chunk objects, then ``[DONE]``; errors end the stream cleanly.
    The first frame (the assistant role) goes out before ``pieces`` starts, so headers never wait."""
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", utc_timestamp()

    def frame(delta: dict[str, Any], finish: str | None, **extra: Any) -> ServerSentEvent:
        return _data({"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                      "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra})

    yield frame({"role": "assistant", "content": ""}, None)
    try:
        async for piece in pieces():
            if piece:
                yield frame({"content": piece}, None)
    except CehuaError as exc:
        yield _data({"error": {"code": exc.code, "message": exc.message}})
        return
    yield frame({}, "stop", **(extra_last or {}))
    yield _data("[DONE]")


async def _after(make: Callable[[], Awaitable[tuple[str, dict[str, Any]]]], extra: dict[str, Any]
                 ) -> AsyncIterator[str]:
    """The pieces of the text ``make`` produces once it has produced it (its extras go into ``extra``)."""
    content, more = await make()
    extra.update(more)
    for piece in _split(content):
        yield piece


def _split(text: str) -> Iterator[str]:
    for i in range(0, len(text), _CHUNK_CHARS):
        yield text[i:i + _CHUNK_CHARS]


def _chat_pieces(events: Iterator[ChatEvent], tail: dict[str, Any]) -> Iterator[str]:
    """The answer's text chunks as the chat service streams them, then its sources block."""
    citations: list[Any] = []
    script = "zh-Hans"
    for event in events:
        if event.type == "token":
            yield event.text
        elif event.type == "citations":
            citations = list(event.citations)
        elif event.type == "done" and event.answer is not None:
            script = event.answer.script
            tail["conversation"] = event.conversation
            tail["grounded"] = event.grounded
    yield sources_block(citations, script)


def history_conversation(settings: Settings, body: ChatCompletionRequest, owner: str | None = None) -> str | None:
    """A conversation of ``owner``'s seeded with the request's earlier user/assistant turns (OpenAI
    clients send the whole history each time), so follow-ups such as 「那风险呢?」 are understood;
    None without history."""
    turns: list[tuple[str, str]] = []
    question: str | None = None
    for message in body.messages[:-1]:
        content = _text(message.content).strip()
        if message.role == "user" and content:
            question = content
        elif message.role == "assistant" and question is not None:
            turns.append((question, content))
            question = None
    if not turns:
        return None
    store = ConversationStore(settings)
    conversation: str | None = store.create(turns[-_HISTORY_TURNS:][0][0][:200], owner=owner)
    for q, a in turns[-_HISTORY_TURNS:]:
        conversation, _ = store.add_turn(conversation, question=q, standalone_question=q, answer=a, citations=[],
                                         grounded=False, script=detect_script(q))
    return conversation


@router.post("/chat/completions", responses=ERRORS)
async def chat_completions(key: ClientKeyDep, body: ChatCompletionRequest, request: Request, chat: ChatServiceDep,
                           plans: PlanServiceDep, settings: SettingsDep) -> Any:
    """OpenAI chat completions: ``cehua-chat`` answers from the guidebooks, ``cehua-draft`` drafts a plan."""
    if body.model not in _MODELS:
        raise NotFoundError(f"no model '{body.model}': use {CHAT_MODEL} or {DRAFT_MODEL}", code="model_not_found")
    text = last_user_message(body)
    # Work that waits on the model runs in the model pool, never on the threads other routes need.
    pool = request.app.state.model_pool
    if body.model == CHAT_MODEL:
        owner = key.id if key is not None else None

        def conversation() -> str | None:
            if body.conversation_id is not None:
                return owned_conversation(settings, key, body.conversation_id, text)
            return history_conversation(settings, body, owner) or owned_conversation(settings, key, None, text)

        conversation_id = await run_in_threadpool(conversation)
        if body.stream:
            tail: dict[str, Any] = {}
            # stream() checks the question before the first event, so bad input is a 4xx, not a cut stream.
            events = await run_in_threadpool(chat.stream, text, conversation_id)
            return event_stream(_chunks(body.model, lambda: pool.iterate(_chat_pieces(events, tail)), tail),
                                settings)
        answer = await pool.run(chat.ask, text, conversation_id=conversation_id)
        content = answer.answer + sources_block(list(answer.citations), answer.script)
        return _completion(body.model, content, {
            "conversation": answer.conversation, "grounded": answer.grounded,
            "standalone_question": answer.standalone_question,
            "citations": [c.model_dump(mode="json") for c in answer.citations],
        })
    key_id = key.id if key else None

    async def draft() -> tuple[str, dict[str, Any]]:
        return await pool.run(draft_from_history, body, text, plans, key_id)

    if body.stream:
        extra: dict[str, Any] = {}
        return event_stream(_chunks(body.model, lambda: _after(draft, extra), extra), settings)
    content, extra = await draft()
    return _completion(body.model, content, extra)


def draft_from_history(body: ChatCompletionRequest, text: str, plans: Any, key_id: str | None) -> tuple[str, dict[str, Any]]:
    """``cehua-draft``: the brief from every user message (the last one first, earlier ones filling its
    gaps), then the plan drafted as a job under the same concurrency limit as ``POST /v1/plans``."""
    from assistant.planning.context import conversation_brief
    from core import clock

    earlier = [_text(m.content).strip() for m in body.messages[:-1] if m.role == "user" and _text(m.content).strip()]
    brief = conversation_brief(text, earlier, clock.today())
    missing = missing_fields_error(brief)
    if missing is not None:
        return missing.message, {"missing": missing.missing}
    plan_id, job_id, future = plans.start_draft(brief, request_text=text, key_id=key_id)
    future.result()
    state = plans.finished_draft(plan_id, job_id)
    current = plans.version(plan_id)
    content = current.markdown + _findings_block(current.plan.script, current.findings)
    return content, {"findings": [f.model_dump(mode="json") for f in current.findings],
                     "plan": state.model_dump(mode="json")}
