"""Which chapters read what a brief edit changed: the ones a plan edit drafts again (never the budget and timeline
tables, which hold the plan's own numbers)."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.drafting.redraft import chapters_reading
from core.plan import Brief, Chapter, Plan

BRIEF = Brief(title="双十一促销方案", brand="咖啡店", product="咖啡", occasion="双十一", start=dt.date(2027, 11, 1),
              end=dt.date(2027, 11, 11), budget=50000, channels=["抖音", "微信"])
KEYS = ["background", "theme", "audience", "timeline", "channels", "offer", "service", "staffing", "venue", "budget",
        "risk", "evaluation"]
PLAN = Plan(title="双十一促销方案", chapters=[Chapter(key=key, title=key, body="") for key in KEYS])


@pytest.mark.parametrize(("change", "keys"), [
    ({"channels": ["抖音", "微信", "小红书"]}, ["background", "theme", "audience", "channels", "venue"]),
    ({"channels": ["抖音"]}, ["background", "theme", "audience", "channels", "venue"]),
    ({"mechanics": ["满300减50"]}, ["background", "offer"]),
    ({"audience": "附近写字楼的白领"}, ["audience"]),
    ({"goals": ["销售额30万"]}, ["background", "evaluation"]),
])
def test_a_brief_change_reaches_the_chapters_that_read_it(change: dict[str, object], keys: list[str]) -> None:
    assert chapters_reading(PLAN, BRIEF, BRIEF.model_copy(update=change)) == keys


def test_an_unchanged_brief_reaches_no_chapter() -> None:
    assert chapters_reading(PLAN, BRIEF, BRIEF.model_copy()) == []


def test_english_phase_work_lists_its_channels_as_english_writes_them() -> None:
    """'on WeChat, Xiaohongshu and collect sign-ups' read as if sign-ups were a channel (fix18's tryout)."""
    import datetime as dt

    from assistant.drafting.tables import phase_work
    from core.plan import Brief, Phase

    brief = Brief(channels=["WeChat", "Xiaohongshu"], script="en")
    warmup = Phase(name="Warm-up", start=dt.date(2027, 2, 1), end=dt.date(2027, 2, 7))
    assert phase_work(warmup, brief, "en") == "Announce the campaign and collect sign-ups on WeChat and Xiaohongshu"
    live = Phase(name="Launch", start=dt.date(2027, 2, 8), end=dt.date(2027, 2, 14))
    assert phase_work(live, brief, "en") == "Campaign live on WeChat and Xiaohongshu; track results daily"
