"""OpenAI-compatible endpoints, so the official ``openai`` client works unchanged.

Model ``cehua-chat`` answers the last user message from the guidebooks, with numbered
citations listed under the answer; ``cehua-draft`` drafts a plan from the last user message (or
asks for the budget and dates it lacks). Both stream as ``chat.completion.chunk`` events.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter
from fastapi.responses import StreamingResponse

from api.deps import ChatServiceDep, ClientKeyDep, DrafterDep, SettingsDep
from api.routes.plans import missing_fields_error
from api.schemas import ERRORS, ChatCompletionRequest, ModelCard, ModelList, utc_timestamp
from api.sse import SSE_HEADERS
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
        return "".join(p.get("text", "") for p in content if isinstance(p, dict) and p.get("type") == "text")
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


def _findings_block(result: Any) -> str:
    script = result.plan.script
    errors = [f for f in result.findings if f.severity == "error"]
    head = f"\n\n---\n{_FINDINGS.get(script, _FINDINGS['zh-Hans'])}:"
    if not result.findings:
        return f"{head} {_ALL_OK.get(script, _ALL_OK['zh-Hans'])}"
    lines = [f"- [{f.severity}] {f.code}: {f.message}" for f in errors + [f for f in result.findings if f not in errors]]
    return head + "\n" + "\n".join(lines)


def _completion(model: str, content: str, extra: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex}", "object": "chat.completion", "created": utc_timestamp(),
        "model": model,
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
        **extra,
    }


def _chunks(model: str, pieces: Iterator[str], extra_last: dict[str, Any] | None = None) -> Iterator[str]:
    """``data:`` frames of chat.completion.chunk objects, then ``[DONE]``; errors end the stream cleanly."""
    cid, created = f"chatcmpl-{uuid.uuid4().hex}", utc_timestamp()

    def frame(delta: dict[str, Any], finish: str | None, **extra: Any) -> str:
        chunk = {"id": cid, "object": "chat.completion.chunk", "created": created, "model": model,
                 "choices": [{"index": 0, "delta": delta, "finish_reason": finish}], **extra}
        return f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n"

    yield frame({"role": "assistant", "content": ""}, None)
    try:
        for piece in pieces:
            if piece:
                yield frame({"content": piece}, None)
    except CehuaError as exc:
        yield f"data: {json.dumps({'error': {'code': exc.code, 'message': exc.message}}, ensure_ascii=False)}\n\n"
        return
    yield frame({}, "stop", **(extra_last or {}))
    yield "data: [DONE]\n\n"


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


def history_conversation(settings: Settings, body: ChatCompletionRequest) -> str | None:
    """A conversation seeded with the request's earlier user/assistant turns (OpenAI clients send the
    whole history each time), so follow-ups such as 「那风险呢?」 are understood; None without history."""
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
    conversation: str | None = None
    for q, a in turns[-_HISTORY_TURNS:]:
        conversation, _ = store.add_turn(conversation, question=q, standalone_question=q, answer=a, citations=[],
                                         grounded=False, script=detect_script(q))
    return conversation


@router.post("/chat/completions", responses=ERRORS)
def chat_completions(_key: ClientKeyDep, body: ChatCompletionRequest, chat: ChatServiceDep,
                     drafter: DrafterDep, settings: SettingsDep) -> Any:
    """OpenAI chat completions: ``cehua-chat`` answers from the guidebooks, ``cehua-draft`` drafts a plan."""
    if body.model not in _MODELS:
        raise NotFoundError(f"no model '{body.model}': use {CHAT_MODEL} or {DRAFT_MODEL}", code="model_not_found")
    text = last_user_message(body)
    if body.model == CHAT_MODEL:
        conversation_id = body.conversation_id or history_conversation(settings, body)
        if body.stream:
            tail: dict[str, Any] = {}
            # stream() checks the question before the first event, so bad input is a 4xx, not a cut stream.
            events = chat.stream(text, conversation_id=conversation_id)
            return StreamingResponse(_chunks(body.model, _chat_pieces(events, tail), tail),
                                     media_type="text/event-stream", headers=SSE_HEADERS)
        answer = chat.ask(text, conversation_id=conversation_id)
        content = answer.answer + sources_block(list(answer.citations), answer.script)
        return _completion(body.model, content, {
            "conversation": answer.conversation, "grounded": answer.grounded,
            "standalone_question": answer.standalone_question,
            "citations": [c.model_dump(mode="json") for c in answer.citations],
        })
    from assistant.briefs import parse_request

    brief = parse_request(text)
    missing = missing_fields_error(brief)
    if missing is not None:
        content, extra = missing.message, {"missing": missing.missing}
    else:
        result = drafter.draft(brief)
        content = result.plan_markdown + _findings_block(result)
        extra = {"findings": [f.model_dump(mode="json") for f in result.findings]}
    if body.stream:
        return StreamingResponse(_chunks(body.model, _split(content), extra), media_type="text/event-stream",
                                 headers=SSE_HEADERS)
    return _completion(body.model, content, extra)
