"""Ask the guidebooks: one answer as JSON, or streamed as server-sent events; conversations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette import ServerSentEvent
from starlette.concurrency import run_in_threadpool

from api.deps import ChatServiceDep, ClientKeyDep, SettingsDep
from api.errors import error_body, status_for
from api.schemas import ERRORS, ChatRequest, ChatResponse
from api.sse import event_stream, sse_event, wants_event_stream
from assistant.chat import Answer, ChatEvent
from assistant.store.conversations import Conversation
from core.errors import CehuaError

router = APIRouter(prefix="/v1", tags=["chat"])


def answer_response(answer: Answer) -> ChatResponse:
    """The API's view of a chat ``Answer``."""
    return ChatResponse(
        answer=answer.answer, citations=list(answer.citations), grounded=answer.grounded,
        conversation=answer.conversation, script=answer.script, offline=answer.offline,
        standalone_question=answer.standalone_question,
    )


def event_frame(event: ChatEvent) -> ServerSentEvent:
    """The SSE frame for one chat event: ``token`` {text}, ``citations`` {citations}, ``done`` {conversation,
    grounded, answer}."""
    if event.type == "token":
        return sse_event("token", {"text": event.text})
    if event.type == "citations":
        return sse_event("citations", {"citations": [c.model_dump(mode="json") for c in event.citations]})
    data: dict[str, Any] = {"conversation": event.conversation, "grounded": event.grounded}
    if event.answer is not None:
        data["answer"] = answer_response(event.answer).model_dump(mode="json")
    return sse_event(event.type, data)


async def chat_event_stream(events: AsyncIterator[ChatEvent]) -> AsyncIterator[ServerSentEvent]:
    """SSE frames for a chat stream; a failure mid-stream becomes an ``error`` event, never a cut."""
    try:
        async for event in events:
            yield event_frame(event)
    except CehuaError as exc:
        body = error_body(exc.code, exc.message)
        body["status"] = status_for(exc)
        yield sse_event("error", body)


@router.post(
    "/chat", response_model=ChatResponse, responses={
        **ERRORS, 200: {"content": {"text/event-stream": {}},
                        "description": "JSON answer, or SSE events: started, token…, citations, done."}},
)
async def chat(_key: ClientKeyDep, body: ChatRequest, request: Request, chat: ChatServiceDep,
               settings: SettingsDep) -> Any:
    """Answer a question from the guidebooks with numbered citations (JSON or SSE)."""
    pool = request.app.state.model_pool
    if body.stream or wants_event_stream(request.headers.get("accept")):
        # stream() checks the question and the conversation before the first event, so bad input is
        # a proper 4xx response; the answer itself (which waits on the model) runs in the model pool.
        events = await run_in_threadpool(chat.stream, body.question, body.conversation_id)

        async def frames() -> AsyncIterator[ServerSentEvent]:
            # Headers and a first event go out at once; keep-alive comments follow while the model thinks.
            yield sse_event("started", {"conversation": body.conversation_id})
            async for frame in chat_event_stream(pool.iterate(events)):
                yield frame

        return event_stream(frames(), settings)
    return answer_response(await pool.run(chat.ask, body.question, conversation_id=body.conversation_id))


@router.get("/conversations/{conversation_id}", response_model=Conversation, responses=ERRORS)
def get_conversation(_key: ClientKeyDep, conversation_id: str, chat: ChatServiceDep) -> Conversation:
    """The conversation and its turns, oldest first (404 for unknown ids)."""
    return chat.get_conversation(conversation_id)
