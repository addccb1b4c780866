"""Briefs read by a model: structured extraction onto the Brief's fields (langchain
``with_structured_output`` through the model adapter), merged with the deterministic parser, whose
numbers and dates win whenever it found them."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, TypeVar

from pydantic import BaseModel, Field

from assistant.briefs.loader import check_budget, check_dates
from assistant.briefs.request import parse_request
from core import clock
from core.errors import BriefError, ModelError
from core.plan import Brief
from core.text.dates import parse_date
from prompts import render

SchemaT = TypeVar("SchemaT", bound=BaseModel)


class BriefExtraction(BaseModel):
    """What the model is asked to read from a request (all optional: unknown stays empty)."""

    title: str = ""
    brand: str = ""
    product: str = ""
    occasion: str = ""
    audience: str = ""
    region: str = ""
    channels: list[str] = Field(default_factory=list)
    mechanics: list[str] = Field(default_factory=list)
    goals: list[str] = Field(default_factory=list)
    stores: int | None = None
    budget: float | None = None
    start: str | None = None
    end: str | None = None


class StructuredModel(Protocol):
    """A chat model that can answer in a given schema (``OpenAIChatModel.structured``)."""

    def structured(self, messages: list[dict[str, str]], schema: type[SchemaT]) -> SchemaT: ...


def _model_date(value: str | None, field: str) -> dt.date | None:
    if not value:
        return None
    try:
        return parse_date(value, field=field, source="the model's reading")
    except BriefError:
        return None


def merge(parsed: Brief, read: BriefExtraction) -> Brief:
    """``parsed`` (the deterministic reading) completed by the model's reading: text fields the parser
    left empty and list items it missed come from the model; budget, dates and store count come from
    the parser whenever it found them, from the model only when it did not (and only if they check out)."""
    update: dict[str, object] = {}
    for name in ("title", "brand", "product", "occasion", "audience", "region"):
        if not getattr(parsed, name) and getattr(read, name):
            update[name] = getattr(read, name).strip()
    for name in ("channels", "mechanics", "goals"):
        have = list(getattr(parsed, name))
        extra = [v.strip() for v in getattr(read, name) if v.strip() and not any(v.strip() in h or h in v for h in have)]
        if extra:
            update[name] = have + extra
    if parsed.stores is None and read.stores and read.stores > 0:
        update["stores"] = read.stores
    if parsed.budget is None and read.budget is not None:
        try:
            update["budget"] = check_budget(float(read.budget), "the model's reading", read.budget)
        except BriefError:
            pass
    start = parsed.start or _model_date(read.start, "start")
    end = parsed.end or _model_date(read.end, "end")
    try:
        check_dates(start, end, "the model's reading")
        update.update({"start": start, "end": end})
    except BriefError:
        pass
    return parsed.model_copy(update=update)


def extract_brief(text: str, model: StructuredModel | None, today: dt.date | None = None) -> Brief:
    """The brief in ``text``: the deterministic parser's reading, completed by ``model``'s structured
    reading when a model is given (a model that fails leaves the parser's reading as it is)."""
    today = today or clock.today()
    parsed = parse_request(text, today=today)
    if model is None:
        return parsed
    messages = [{"role": "user", "content": render("extract_brief", request=text, today=today.isoformat())}]
    try:
        read = model.structured(messages, BriefExtraction)
    except ModelError:
        return parsed
    return merge(parsed, read)


__all__ = ["BriefExtraction", "StructuredModel", "extract_brief", "merge"]
