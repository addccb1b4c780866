"""How exactly requests are understood: each labelled request parsed with its own "today", compared on
budget, start and end, and the channels it names when labelled (a request without a budget must come back missing it; a request whose dates
are over must be refused as ``date_in_past``)."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import BriefError


@dataclass
class RequestCase:
    """One labelled request: its text, the day it is read on, and what a planner meant."""

    id: str
    text: str
    today: dt.date
    expect: dict[str, Any]
    split: str = "dev"
    words: list[str] = field(default_factory=list)


def read_requests(path: Path) -> list[RequestCase]:
    """The labelled requests of a JSONL file (lines without a ``today`` are skipped: they cannot be judged)."""
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        item = json.loads(line)
        if "today" not in item:
            continue
        cases.append(RequestCase(id=item["id"], text=item["text"], today=dt.date.fromisoformat(item["today"]),
                                 expect=item["expect"], split=item.get("split", "dev"), words=item.get("words", [])))
    return cases


def _same(got: object, want: object) -> bool:
    if got is None or want is None:
        return got is want
    if isinstance(got, float) and isinstance(want, int | float):
        return abs(got - want) < 0.5
    return got == want


def _names_channel(channels: list[str], name: str) -> bool:
    """Whether one of ``channels`` is the channel ``name`` (in either script and case: WeChat is wechat)."""
    from core.text.scripts import to_simplified

    want = to_simplified(name).casefold()
    return any(want in to_simplified(channel).casefold() for channel in channels)


def judge_request(case: RequestCase) -> str:
    """'' when the request is read as labelled, else what differs (for the report)."""
    from assistant.briefs.loader import check_not_past
    from assistant.briefs.request import parse_request

    expect = case.expect
    try:
        brief = parse_request(case.text, today=case.today)
    except BriefError as exc:
        return "" if expect.get("error") == exc.code else f"error {exc.code}: {exc.message}"
    if expect.get("error"):
        try:
            check_not_past(brief, case.today)
        except BriefError as exc:
            return "" if exc.code == expect["error"] else f"error {exc.code}, expected {expect['error']}"
        return f"expected error {expect['error']}"
    got = {"budget": brief.budget, "start": brief.start.isoformat() if brief.start else None,
           "end": brief.end.isoformat() if brief.end else None}
    diffs = [f"{k}: got {got[k]} want {expect.get(k)}" for k in got if not _same(got[k], expect.get(k))]
    if sorted(expect.get("missing", [])) != sorted(brief.missing()):
        diffs.append(f"missing: got {brief.missing()} want {expect.get('missing', [])}")
    diffs += [f"channels: {brief.channels} lack {name}" for name in expect.get("channels", [])
              if not _names_channel(brief.channels, name)]
    return "; ".join(diffs)


__all__ = ["RequestCase", "judge_request", "read_requests"]
