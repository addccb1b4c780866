"""OpenAI-compatible endpoints, so the official ``openai`` client works unchanged.

Model ``cehua-chat`` is the planning conversation (``assistant.planning.PlanningChat``) over the history
the client sends: questions answered from the guidebooks with numbered citations listed under the answer,
a plan asked back for what it lacks, drafted (the plan follows the summary) and changed by talking; the
plan is found again from the earlier reply that drafted it. ``cehua-draft`` drafts a plan from the last
user message (or asks for the budget and dates it lacks). Both stream as ``chat.completion.chunk`` events.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette import ServerSentEvent
from starlette.concurrency import run_in_threadpool

from api.deps import ClientKeyDep, PlanningChatDep, PlanServiceDep, PublicUrlDep, SettingsDep
from api.errors import RequestFieldError
from api.routes.chat import owned_conversation
from api.routes.plans import missing_fields_error, owned_plan
from api.schemas import ERRORS, ChatCompletionRequest, ModelCard, ModelList, utc_timestamp
from api.sse import event_stream
from assistant.planning import TurnEvent, TurnReply
from assistant.store.conversation_plans import ConversationPlan, save_state
from assistant.store.conversations import ConversationStore
from assistant.store.db import session_scope
from assistant.store.keys import ApiKey
from core.errors import CehuaError, InputError, NotFoundError
from core.settings import Settings
from core.text.scripts import detect_script

router = APIRouter(prefix="/v1", tags=["openai-compatible"])

CHAT_MODEL = "cehua-chat"
DRAFT_MODEL = "cehua-draft"
_MODELS = {
    CHAT_MODEL: "Answers from the guidebooks with numbered citations, and plans by conversation.",
    DRAFT_MODEL: "Drafts a campaign plan from a request with budget and dates.",
}
_SOURCES = {"zh-Hans": "来源", "zh-Hant": "來源", "en": "Sources"}
_FINDINGS = {"zh-Hans": "检查结果", "zh-Hant": "檢查結果", "en": "Checks"}
_ALL_OK = {"zh-Hans": "检查通过,没有错误。", "zh-Hant": "檢查通過,沒有錯誤。", "en": "All checks passed."}
_CHUNK_CHARS = 200
_HISTORY_TURNS = 3
# An earlier reply that drafted a plan names it (its export link): the plan the conversation works on.
_PLAN_LINK = re.compile(r"/v1/plans/([0-9a-f]{32})\b")


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
    for at in range(len(body.messages) - 1, -1, -1):
        message = body.messages[at]
        if message.role == "user":
            text = _text(message.content).strip()
            if text:
                return text
            # The latest message is the one asked: passing over it answered the question before it again.
            parts = sorted({str(p.get("type")) for p in message.content or [] if isinstance(p, dict)} - {"text"}
                           if isinstance(message.content, list) else set())
            if parts:
                raise RequestFieldError(f"messages.{at}.content", "Cehua reads text only, and the last user message "
                                        f"has no text part (it has {', '.join(parts)}); add "
                                        '{"type": "text", "text": "..."}')
            raise RequestFieldError(f"messages.{at}.content",
                                    "the last user message is empty; write the question or request in it")
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


def _turn_pieces(events: Iterator[TurnEvent], plans: Any, tail: dict[str, Any]) -> Iterator[str]:
    """A planning turn's text as it streams (an answer's tokens; a planning reply once done), then what
    follows it (``_closing``); the reply's extra fields go into ``tail``."""
    streamed = False
    for event in events:
        if event.type == "token":
            streamed = True
            yield event.text
        elif event.type == "done" and event.reply is not None:
            if not streamed:
                yield from _split(event.reply.answer)
            tail.update(_extra(event.reply))
            yield _closing(event.reply, plans)


def _closing(reply: TurnReply, plans: Any) -> str:
    """What follows a reply's text: the sources under an answer, the plan itself under a draft's summary."""
    if reply.intent == "request" and reply.plan is not None:
        return "\n\n" + plans.version(reply.plan.id).markdown
    return sources_block(list(reply.citations), reply.script)


def _extra(reply: TurnReply) -> dict[str, Any]:
    """The completion's fields beside the OpenAI ones: as ``POST /v1/chat`` names them."""
    extra: dict[str, Any] = {"conversation": reply.conversation, "grounded": reply.grounded,
                             "standalone_question": reply.standalone_question,
                             "citations": [c.model_dump(mode="json") for c in reply.citations]}
    if reply.missing is not None:
        extra["missing"] = reply.missing
    if reply.asked is not None:
        extra["asked"] = reply.asked
    if reply.plan is not None:
        extra["plan"] = reply.plan.model_dump(mode="json")
    if reply.export is not None:
        extra["export"] = reply.export
    return extra


def history_conversation(settings: Settings, body: ChatCompletionRequest, key: ApiKey | None = None) -> str | None:
    """A conversation of the caller's seeded with the request's earlier user/assistant turns (OpenAI
    clients send the whole history each time), so follow-ups such as 「那风险呢?」 are understood, and
    working on the plan the last drafting reply names when the caller may see it; None without history."""
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
    kept = turns[-_HISTORY_TURNS:]
    conversation: str | None = store.create(kept[0][0][:200], owner=key.id if key is not None else None)
    for q, a in kept:
        conversation, _ = store.add_turn(conversation, question=q, standalone_question=q, answer=a, citations=[],
                                         grounded=False, script=detect_script(q))
    assert conversation is not None
    _resume_plan(settings, conversation, turns, len(turns) - len(kept), key)
    return conversation


def _resume_plan(settings: Settings, conversation: str, turns: list[tuple[str, str]], dropped: int,
                 key: ApiKey | None) -> None:
    """Point the conversation at the plan the latest reply links to (a widget key only at its own)."""
    for index in range(len(turns) - 1, -1, -1):
        found = _PLAN_LINK.search(turns[index][1])
        if found is None:
            continue
        try:
            with session_scope(settings) as session:
                stored = owned_plan(session, found.group(1), key)
        except NotFoundError:
            return
        save_state(settings, ConversationPlan(conversation_id=conversation, plan_id=stored.id,
                                              template=stored.template, drafted_at=max(0, index + 1 - dropped)))
        return


@router.post("/chat/completions", responses=ERRORS)
async def chat_completions(key: ClientKeyDep, body: ChatCompletionRequest, request: Request,
                           planning: PlanningChatDep, plans: PlanServiceDep, settings: SettingsDep,
                           public_url: PublicUrlDep) -> Any:
    """OpenAI chat completions: ``cehua-chat`` answers and plans by conversation, ``cehua-draft`` drafts a plan."""
    if body.model not in _MODELS:
        raise NotFoundError(f"no model '{body.model}': use {CHAT_MODEL} or {DRAFT_MODEL}", code="model_not_found")
    text = last_user_message(body)
    # Work that waits on the model runs in the model pool, never on the threads other routes need.
    pool = request.app.state.model_pool
    if body.model == CHAT_MODEL:
        key_id = key.id if key is not None else None

        def conversation() -> str | None:
            if body.conversation_id is not None:
                return owned_conversation(settings, key, body.conversation_id, text)
            return history_conversation(settings, body, key) or owned_conversation(settings, key, None, text)

        conversation_id = await run_in_threadpool(conversation)
        if body.stream:
            tail: dict[str, Any] = {}
            # stream() checks the message before the first event, so bad input is a 4xx, not a cut stream.
            events = await run_in_threadpool(
                lambda: planning.stream(text, conversation_id=conversation_id, key_id=key_id, progress=False,
                                        base_url=public_url))
            return event_stream(_chunks(body.model, lambda: pool.iterate(_turn_pieces(events, plans, tail)), tail),
                                settings)
        reply = await pool.run(planning.reply, text, conversation_id=conversation_id, key_id=key_id,
                               base_url=public_url)
        closing = await run_in_threadpool(_closing, reply, plans)
        return _completion(body.model, reply.answer + closing, _extra(reply))
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
