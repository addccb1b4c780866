"""How exactly requests are understood: each labelled request parsed with its own "today", compared on
budget, start and end, and, when labelled, the channels and mechanics it names, its product, audience and
currency (a request without a budget must come back missing it; a request whose dates are over must be
refused as ``date_in_past``)."""

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
    """Whether one of ``channels`` is the channel ``name`` (in either script and case: WeChat is wechat), or names its
    vocabulary concept (小红书 for 红书)."""
    from assistant.briefs.entities import term_named
    from core.text.scripts import to_simplified

    want = to_simplified(name).casefold()
    concept = term_named(want)
    return any(want in to_simplified(channel).casefold()
               or concept is not None and term_named(to_simplified(channel).casefold()) == concept for channel in channels)


def _plain(text: str) -> str:
    from core.text.scripts import to_simplified

    return to_simplified(text).casefold().strip()


def _names_mechanic(mechanics: list[str], name: str) -> bool:
    """Whether one of ``mechanics`` (as written: 满300减50, 團購) is the vocabulary mechanic ``name``."""
    from assistant.briefs.entities import find_terms

    want = _plain(name)
    return any(want == _plain(m.term.name) for written in mechanics for m in find_terms(_plain(written)))


def _product_ok(product: str, want: str | list[str]) -> bool:
    """The product is one of the labelled readings ('' labels a request that names none)."""
    wants = [want] if isinstance(want, str) else want
    return any(_plain(product) == _plain(w) for w in wants)


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
    diffs += [f"mechanics: {brief.mechanics} lack {name}" for name in expect.get("mechanics", [])
              if not _names_mechanic(brief.mechanics, name)]
    if "product" in expect and not _product_ok(brief.product, expect["product"]):
        diffs.append(f"product: got {brief.product!r} want {expect['product']!r}")
    if "audience" in expect and _plain(expect["audience"]) not in _plain(brief.audience):
        diffs.append(f"audience: got {brief.audience!r} want {expect['audience']!r}")
    if "currency" in expect and brief.currency != expect["currency"]:
        diffs.append(f"currency: got {brief.currency} want {expect['currency']}")
    return "; ".join(diffs)


__all__ = ["RequestCase", "judge_request", "read_requests"]
