"""Ask the guidebooks: one answer as JSON, or streamed as server-sent events; conversations."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from fastapi import APIRouter, Request
from sse_starlette import ServerSentEvent
from starlette.concurrency import run_in_threadpool

from api.deps import ChatServiceDep, ClientKeyDep, PlanningChatDep, PublicUrlDep, SettingsDep
from api.errors import error_body, status_for
from api.schemas import ERRORS, ChatRequest, ChatResponse
from api.sse import event_stream, sse_event, wants_event_stream
from assistant.planning import TurnEvent, TurnReply
from assistant.store.conversations import Conversation, ConversationStore
from assistant.store.keys import ApiKey
from core.errors import CehuaError
from core.settings import Settings

router = APIRouter(prefix="/v1", tags=["chat"])


def owned_conversation(settings: Settings, key: ApiKey | None, conversation_id: str | None,
                       question: str) -> str | None:
    """The conversation to answer in: the caller's own (404 for anyone else's, as for unknown ids), or,
    for a caller with a key, a new one it owns (None: the chat service starts one for the anonymous
    caller of an API without keys)."""
    store = ConversationStore(settings)
    owner = key.id if key is not None else None
    if conversation_id is not None:
        store.require_owner(conversation_id, owner)
        return conversation_id
    return store.create(question.strip()[:200], owner=owner) if owner is not None else None


def answer_response(reply: TurnReply) -> ChatResponse:
    """The API's view of one turn's reply (``missing`` and ``plan`` only when the turn was about a plan)."""
    return ChatResponse(
        answer=reply.answer, citations=list(reply.citations), grounded=reply.grounded,
        conversation=reply.conversation, script=reply.script, offline=reply.offline,
        standalone_question=reply.standalone_question, missing=reply.missing, asked=reply.asked, plan=reply.plan,
        export=reply.export,
    )


def event_frame(event: TurnEvent) -> ServerSentEvent:
    """The SSE frame for one turn event: ``token`` {text}, ``citations`` {citations}, drafting progress
    (``outline``, ``section_started``, ``section_drafted``, ``validated``, ``section_repaired``), then
    ``done`` {conversation, grounded, answer, missing, asked, plan, export}."""
    if event.type == "token":
        return sse_event("token", {"text": event.text})
    if event.type == "citations":
        return sse_event("citations", {"citations": [c.model_dump(mode="json") for c in event.citations]})
    if event.type == "progress":
        return sse_event(event.event, event.data)
    data: dict[str, Any] = {}
    if event.reply is not None:
        response = answer_response(event.reply).model_dump(mode="json", exclude_none=True)
        data = {"conversation": event.reply.conversation, "grounded": event.reply.grounded, "answer": response}
        for name in ("missing", "asked", "plan", "export"):
            if name in response:
                data[name] = response[name]
    return sse_event("done", data)


async def chat_event_stream(events: AsyncIterator[TurnEvent]) -> AsyncIterator[ServerSentEvent]:
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
                        "description": "JSON answer, or SSE events: started, token…, citations (or drafting "
                                       "progress), done."}},
    response_model_exclude_none=True,
)
async def chat(key: ClientKeyDep, body: ChatRequest, request: Request, planning: PlanningChatDep,
               settings: SettingsDep, public_url: PublicUrlDep) -> Any:
    """One message of a conversation: a question answered from the guidebooks with numbered citations,
    a plan asked for (``missing`` lists the essentials still needed), drafted or changed (``plan``)."""
    key_id = key.id if key else None
    conversation_id = await run_in_threadpool(owned_conversation, settings, key, body.conversation_id,
                                              body.question)
    # Work that waits on the model runs in the model pool, never on the threads other routes need.
    pool = request.app.state.model_pool
    if body.stream or wants_event_stream(request.headers.get("accept")):
        # stream() checks the message and the conversation before the first event, so bad input is a
        # proper 4xx response; the reply itself runs in the model pool.
        events = await run_in_threadpool(
            lambda: planning.stream(body.question, conversation_id=conversation_id, key_id=key_id,
                                    base_url=public_url))

        async def frames() -> AsyncIterator[ServerSentEvent]:
            # Headers and a first event go out at once; keep-alive comments follow while the model thinks.
            yield sse_event("started", {"conversation": conversation_id})
            async for frame in chat_event_stream(pool.iterate(events)):
                yield frame

        return event_stream(frames(), settings)
    return answer_response(await pool.run(planning.reply, body.question, conversation_id=conversation_id,
                                          key_id=key_id, base_url=public_url))


@router.get("/conversations/{conversation_id}", response_model=Conversation, responses=ERRORS)
def get_conversation(key: ClientKeyDep, conversation_id: str, chat: ChatServiceDep,
                     settings: SettingsDep) -> Conversation:
    """The conversation and its turns, oldest first (404 for unknown ids and other callers' ones)."""
    ConversationStore(settings).require_owner(conversation_id, key.id if key is not None else None)
    return chat.get_conversation(conversation_id)
