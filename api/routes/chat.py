"""Ask the guidebooks: one answer as JSON, or streamed as server-sent events; conversations."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse

from api.deps import ChatServiceDep, ClientKeyDep
from api.errors import error_body, status_for
from api.schemas import ERRORS, ChatRequest, ChatResponse
from api.sse import SSE_HEADERS, sse_event, wants_event_stream
from assistant.errors import CehuaError

router = APIRouter(prefix="/v1", tags=["chat"])


def answer_response(answer: Any) -> ChatResponse:
    """The API's view of a chat ``Answer``."""
    return ChatResponse(
        answer=answer.answer, citations=list(answer.citations), grounded=answer.grounded,
        conversation=answer.conversation, script=answer.script, offline=answer.offline,
        standalone_question=getattr(answer, "standalone_question", None),
    )


def event_frame(event: Any) -> str:
    """The SSE frame for one ``ChatEvent`` (its type names the event; the rest is its data)."""
    data = event.model_dump(mode="json", exclude_none=True)
    name = data.pop("type", None) or data.pop("event", None) or data.pop("kind", None) or "message"
    return sse_event(str(name), data)


def chat_event_stream(events: Iterator[Any]) -> Iterator[str]:
    """SSE frames for a chat stream; a failure mid-stream becomes an ``error`` event, never a cut."""
    try:
        for event in events:
            yield event_frame(event)
    except CehuaError as exc:
        body = error_body(exc.code, exc.message)
        body["status"] = status_for(exc)
        yield sse_event("error", body)


@router.post(
    "/chat", response_model=ChatResponse, responses={
        **ERRORS, 200: {"content": {"text/event-stream": {}},
                        "description": "JSON answer, or SSE events: token…, citations, done."}},
)
def chat(_key: ClientKeyDep, body: ChatRequest, request: Request, chat: ChatServiceDep) -> Any:
    """Answer a question from the guidebooks with numbered citations (JSON or SSE)."""
    if body.stream or wants_event_stream(request.headers.get("accept")):
        events = chat.stream(body.question, conversation_id=body.conversation_id)
        # Pull the first event here, so bad input (empty question, unknown conversation) is a
        # proper 4xx response rather than an error inside a 200 stream.
        first = next(events, None)

        def frames() -> Iterator[str]:
            if first is not None:
                yield event_frame(first)
            yield from chat_event_stream(events)

        return StreamingResponse(frames(), media_type="text/event-stream", headers=SSE_HEADERS)
    return answer_response(chat.ask(body.question, conversation_id=body.conversation_id))


@router.get("/conversations/{conversation_id}", responses=ERRORS)
def get_conversation(_key: ClientKeyDep, conversation_id: str, chat: ChatServiceDep) -> Any:
    """The conversation's turns, oldest first (404 for unknown ids)."""
    conversation = chat.get_conversation(conversation_id)
    return conversation.model_dump(mode="json") if hasattr(conversation, "model_dump") else conversation
