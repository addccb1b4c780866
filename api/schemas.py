"""Request and response bodies of the HTTP API (what /docs shows)."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator
from pydantic_core import PydanticCustomError

from assistant.planning.service import PlanState
from core.plan import Brief, Citation, Finding


class ErrorDetail(BaseModel):
    code: str = Field(description="Stable machine-readable code, e.g. 'invalid_request'.")
    message: str = Field(description="What went wrong and what to do.")


class ErrorBody(BaseModel):
    """Every error response has this shape."""

    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody} for status in (400, 401, 403, 404, 413, 422, 429)
}


class Health(BaseModel):
    status: Literal["ok", "ready"]
    checks: dict[str, str] = Field(default_factory=dict)


# --- search --------------------------------------------------------------------------------------

class SearchRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    query: str = Field(description="The question or keywords, in either Chinese script or English.")
    k: int = Field(default=5, ge=1, le=50, description="How many passages to return.")


class SearchHit(BaseModel):
    text: str
    doc: str
    title: str
    section: str
    score: float
    start: int
    end: int


class SearchResponse(BaseModel):
    query: str
    results: list[SearchHit]
    good_match: bool = Field(description="False when nothing in the guidebooks matches well enough.")
    top_score: float
    relevance: float = Field(default=0.0, description="Calibrated probability that the passages answer the query; "
                                                      "good_match is relevance at or above the model's threshold.")


# --- chat ----------------------------------------------------------------------------------------

class ChatRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    question: str
    conversation_id: str | None = Field(default=None, description="Continue this conversation.")
    stream: bool = Field(default=False, description="Answer as server-sent events (also: Accept: text/event-stream).")


class ChatResponse(BaseModel):
    answer: str
    citations: list[Citation]
    grounded: bool = Field(description="True when the answer rests on cited guidebook passages.")
    conversation: str = Field(description="The conversation id, to send back as conversation_id.")
    script: str
    offline: bool
    standalone_question: str | None = None
    missing: list[str] | None = Field(default=None, description="Essentials Cehua asked for (budget, start, end), "
                                      "when the turn asked for them.")
    asked: list[str] | None = Field(default=None, description="Everything that ask-back asked for: the missing "
                                    "essentials, then 'product' and 'mechanic' when the brief names none (the draft "
                                    "does not wait for those two).")
    plan: PlanState | None = Field(default=None, description="The plan this turn drafted or changed: id, version, "
                                   "brief, findings, changes.")
    export: str | None = Field(default=None, description="The plan's download path when the message asked to export "
                               "it (「导出word」): GET it for the file.")


# --- plans ---------------------------------------------------------------------------------------

class PlanCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    request: str | None = Field(default=None, description="The request in a sentence, e.g. 「中秋节活动,预算30万,9月10日到9月25日」.")
    brief: dict[str, Any] | None = Field(default=None, description="A structured brief (fields of Brief).")
    template: str | None = Field(default=None, description="Plan template (promotion, event, service, channel, annual); "
                                                          "default: the campaign kind's.")


class PlanCreated(BaseModel):
    id: str
    job_id: str
    status: str
    brief: Brief
    url: str
    events_url: str


class SectionEdit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    body: str = Field(description="The new Markdown body of the section (without its heading).")
    title: str | None = Field(default=None, description="A new heading for the section, if it changes.")
    note: str = ""


class ValidateRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    markdown: str
    brief: dict[str, Any] | None = None
    template: str | None = Field(default=None, description="Force the plan kind; default: recognised from the plan.")


class ValidateResponse(BaseModel):
    ok: bool = Field(description="True when no finding is an error.")
    findings: list[Finding]
    title: str
    chapters: list[str]
    template: str = Field(description="The plan kind the plan was judged as (promotion, annual, event, ...).")
    template_title: str = Field(description="That kind's name in the plan's script, e.g. 促销活动方案.")
    template_chosen: bool = Field(description="True when the kind was recognised from the plan, not forced.")
    template_known: bool = Field(default=True, description="False when the plan says too little to tell its kind "
                                 "(a finding plan_kind_unknown says so; no chapter is reported missing).")


class VersionCreated(BaseModel):
    id: str
    version: int
    markdown: str
    findings: list[Finding]


# --- knowledge base ------------------------------------------------------------------------------

class DocumentList(BaseModel):
    documents: list[dict[str, Any]]


class DocumentRemoved(BaseModel):
    removed: str


# --- OpenAI-compatible ---------------------------------------------------------------------------

class OpenAIMessage(BaseModel):
    model_config = ConfigDict(extra="allow")

    # OpenAI's own roles: another ("bot") is a slip the caller hears about, naming this field.
    role: Literal["system", "developer", "user", "assistant", "tool", "function"]
    content: str | list[dict[str, Any]] | None = None


class ChatCompletionRequest(BaseModel):
    """The OpenAI chat-completions request. Sampling options in OpenAI's ranges are accepted and ignored (offline
    answers are quoted, a configured model keeps its own settings); one OpenAI would refuse is refused here too."""

    model_config = ConfigDict(extra="allow")

    model: str
    messages: list[OpenAIMessage] = Field(min_length=1)
    stream: bool = False
    n: int = Field(default=1, description="How many choices: Cehua gives one.")
    temperature: float | None = Field(default=None, ge=0, le=2)
    top_p: float | None = Field(default=None, ge=0, le=1)

    @field_validator("n")
    @classmethod
    def _one_choice(cls, n: int) -> int:
        if n != 1:
            raise PydanticCustomError("one_choice", "Cehua gives one choice per request: leave n out or send 1")
        return n
    conversation_id: str | None = Field(default=None, description="Cehua extension: continue a conversation.")


class ModelCard(BaseModel):
    id: str
    object: Literal["model"] = "model"
    created: int
    owned_by: str = "cehua"
    description: str = ""


class ModelList(BaseModel):
    object: Literal["list"] = "list"
    data: list[ModelCard]


def utc_timestamp() -> int:
    """Seconds since the epoch, as OpenAI responses carry them."""
    return int(dt.datetime.now(dt.UTC).timestamp())
