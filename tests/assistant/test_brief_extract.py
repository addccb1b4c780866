"""Briefs read with a model over HTTP (the fake OpenAI-compatible server): the structured reading fills
what the parser cannot name, and the parser's numbers and dates win over the model's."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from assistant.briefs.extract import extract_brief
from assistant.llm import get_chat_model
from core.settings import Settings
from tests.fakes import FakeOpenAIServer, block_text

TODAY = dt.date(2026, 11, 25)
REQUEST = "帮蓝月亮做个洗衣液社区团购,下个月10号到20号,预算十五万,主要在团长群里推,拉复购"


def _model(server: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    for name, value in server.env.items():
        monkeypatch.setenv(name, value)
    return get_chat_model(Settings())


def test_model_reading_completes_the_brief_and_the_parser_keeps_the_numbers(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_openai.reply(json.dumps({
        "title": "蓝月亮社区团购", "brand": "蓝月亮", "product": "洗衣液", "occasion": "", "audience": "社区家庭",
        "region": "", "channels": ["团长群"], "mechanics": ["社区团购"], "goals": ["拉复购"], "stores": None,
        "budget": 1500000, "start": "2026-12-01", "end": "2026-12-31"}, ensure_ascii=False))
    brief = extract_brief(REQUEST, _model(fake_openai, monkeypatch), today=TODAY)
    assert (brief.budget, brief.start, brief.end) == (150_000, dt.date(2026, 12, 10), dt.date(2026, 12, 20))
    assert (brief.brand, brief.product, brief.audience) == ("蓝月亮", "洗衣液", "社区家庭")
    assert "团长群" in brief.channels and "社区团购" in brief.mechanics
    (request,) = fake_openai.chat_requests
    assert request.body["response_format"] == {"type": "json_object"}
    assert block_text(request.messages[-1]["content"], "request") == REQUEST


def test_model_fills_dates_the_parser_could_not_read_but_never_a_guessed_budget_that_fails_checks(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_openai.reply(json.dumps({"budget": -5, "start": "2027-02-10", "end": "2027-02-16"}))
    brief = extract_brief("情人节那阵子搞个会员活动", _model(fake_openai, monkeypatch), today=TODAY)
    assert (brief.start, brief.end, brief.budget) == (dt.date(2027, 2, 10), dt.date(2027, 2, 16), None)
    assert brief.missing() == ["budget"]


def test_a_model_that_answers_nonsense_leaves_the_parsers_reading(
        fake_openai: FakeOpenAIServer, monkeypatch: pytest.MonkeyPatch) -> None:
    fake_openai.reply("对不起,我不明白。")
    brief = extract_brief(REQUEST, _model(fake_openai, monkeypatch), today=TODAY)
    assert (brief.budget, brief.start, brief.end) == (150_000, dt.date(2026, 12, 10), dt.date(2026, 12, 20))
