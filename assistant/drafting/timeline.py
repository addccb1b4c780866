"""Deterministic timelines: the template's phases laid out around the brief's dates, with the
execution phase exactly on the campaign window, lead times that scale with its length, and no
gaps or overlaps."""

from __future__ import annotations

import datetime as dt
import re
from typing import Literal

from core.plan import Brief, Phase
from core.text.numerals import parse_ordinal
from core.text.scripts import to_simplified

PhaseRole = Literal["prepare", "warmup", "execute", "wrapup"]

_ROLE_CUES: tuple[tuple[PhaseRole, tuple[str, ...]], ...] = (
    ("wrapup", ("总结", "复盘", "返场", "收尾", "评估", "后期", "延续", "wrap", "review")),
    ("warmup", ("预热", "蓄水", "预售", "造势", "预告", "warm")),
    ("prepare", ("筹备", "准备", "前期", "策划", "prepar", "plan")),
    ("execute", ("执行", "正式", "活动", "爆发", "实施", "高峰", "开展", "上线", "launch", "execut", "run")),
)

DEFAULT_PHASES = ["筹备", "预热", "执行", "总结"]


def phase_role(name: str) -> PhaseRole | None:
    """What a phase is for, judged from its name ('预热' → warmup); None when the name says nothing."""
    text = to_simplified(name).lower()
    for role, cues in _ROLE_CUES:
        if any(cue in text for cue in cues):
            return role
    return None


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def reach_days(brief: Brief) -> int:
    """Preparation a campaign of this budget and reach needs: 5 days for a few thousand yuan, three weeks
    for millions, six weeks for a national campaign of tens of millions; a week more for a nationwide
    or 100-store roll-out."""
    budget = brief.budget or 0
    days = 5 if budget < 50_000 else 10 if budget < 500_000 else 21 if budget < 5_000_000 else 30 \
        if budget < 50_000_000 else 45
    region = to_simplified(brief.region).lower()
    if (brief.stores or 0) >= 100 or any(w in region for w in ("全国", "全台", "nationwide", "national")):
        days += 7
    return days


def lead_days(role: PhaseRole, window_days: int, reach: int = 7) -> int:
    """How long a phase before or after the window lasts, for a window of ``window_days`` days and a
    campaign needing ``reach`` days of preparation."""
    if role == "prepare":
        return _clamp(max(window_days, reach), 5, max(21, reach))
    if role == "warmup":
        return _clamp(round(window_days / 2), 2, 14 if reach >= 21 else 10)
    return _clamp(window_days // 2, 3, 14)  # wrap-up


def fit_after(phases: list[Phase], today: dt.date) -> tuple[list[Phase], str]:
    """``phases`` with nothing before ``today``: phases before the campaign are compressed into the days
    left (in proportion, at least a day each, dropped when no day is left), with a note saying so."""
    ex = _execute_index(phases)
    lead = phases[:ex]  # the phases before the campaign runs
    before = [p for p in lead if p.start is not None and p.end is not None and p.start < today]
    run_end = phases[ex].end if phases else None
    over = run_end is not None and run_end < today  # a review of a past campaign: date_in_past says so
    if not before or over:
        return phases, ""
    start = phases[ex].start
    assert start is not None
    available = (start - today).days
    lengths = [((p.end - p.start).days + 1) if p.start and p.end else 1 for p in lead]
    planned = sum(lengths)
    if available <= 0:
        kept: list[Phase] = []
    else:
        keep = lead[-available:] if available < len(lead) else lead
        weights = lengths[-len(keep):]
        share = [max(1, round(available * w / sum(weights))) for w in weights]
        while sum(share) > available:
            share[share.index(max(share))] -= 1
        share[-1] += available - sum(share)
        kept, cursor = [], today
        for phase, days in zip(keep, share, strict=True):
            end = cursor + dt.timedelta(days=days - 1)
            kept.append(phase.model_copy(update={"start": cursor, "end": end}))
            cursor = end + dt.timedelta(days=1)
    names = "、".join(p.name for p in lead)
    if available <= 0:
        note = f"活动即将开始,没有留给{names}的时间:请立即确认方案并同步执行。"
    else:
        note = (f"距活动开始仅{available}天,{names}由计划的{planned}天压缩为{available}天"
                f"(从今天{today.month}月{today.day}日开始),请优先完成关键准备。")
    return [*kept, *phases[ex:]], note


def _execute_index(phases: list[Phase]) -> int:
    roles = [phase_role(p.name) for p in phases]
    return roles.index("execute") if "execute" in roles else 0


_QUARTER = re.compile(r"(?:第\s*([一二三四1-4])\s*季度?|q([1-4])\b|([1-4])\s*季度)", re.IGNORECASE)


def _quarter_of(name: str) -> int | None:
    m = _QUARTER.search(to_simplified(name))
    if not m:
        return None
    token = next(g for g in m.groups() if g)
    return parse_ordinal(token)


def _calendar_quarters(names: list[str], start: dt.date, end: dt.date) -> list[Phase] | None:
    """Quarter phases on the calendar's quarters, clipped to the window, when the names are quarters
    of one year in order and every quarter overlaps the window; None otherwise."""
    found = [_quarter_of(n) for n in names]
    quarters = [q for q in found if q is not None]
    if len(quarters) != len(names) or quarters != sorted(quarters) or start.year != end.year:
        return None
    phases = []
    for name, q in zip(names, quarters, strict=True):
        q_start = dt.date(start.year, 3 * q - 2, 1)
        q_end = dt.date(start.year, 12, 31) if q == 4 else dt.date(start.year, 3 * q + 1, 1) - dt.timedelta(days=1)
        lo, hi = max(q_start, start), min(q_end, end)
        if lo > hi:
            return None
        phases.append(Phase(name=name, start=lo, end=hi))
    if phases[0].start != start or phases[-1].end != end:
        return None
    return phases


def _split_window(names: list[str], start: dt.date, end: dt.date) -> list[Phase]:
    quarters = _calendar_quarters(names, start, end)
    if quarters is not None:
        return quarters
    days = (end - start).days + 1
    parts = min(len(names), days)
    phases: list[Phase] = []
    cursor = start
    for i, name in enumerate(names[:parts]):
        length = days * (i + 1) // parts - days * i // parts
        phase_end = cursor + dt.timedelta(days=length - 1)
        phases.append(Phase(name=name, start=cursor, end=phase_end))
        cursor = phase_end + dt.timedelta(days=1)
    return phases


def schedule(brief: Brief, names: list[str] | None = None) -> list[Phase]:
    """Phases in order for ``brief``'s window. The phase named for execution runs exactly from
    the brief's start to its end; phases before it end the day before it starts, phases after
    it start the day after it ends. When no phase name means execution (e.g. quarters of an
    annual plan), the window itself is split evenly between the phases."""
    if brief.start is None or brief.end is None:
        return []
    names = list(names or DEFAULT_PHASES)
    roles = [phase_role(n) for n in names]
    if "execute" not in roles:
        return _split_window(names, brief.start, brief.end)
    ex = roles.index("execute")
    window_days = (brief.end - brief.start).days + 1
    reach = reach_days(brief)
    phases: dict[int, Phase] = {ex: Phase(name=names[ex], start=brief.start, end=brief.end)}
    cursor = brief.start
    for i in range(ex - 1, -1, -1):
        role = roles[i] or ("warmup" if i == ex - 1 else "prepare")
        length = lead_days("prepare" if role == "execute" else role, window_days, reach)
        phase_end = cursor - dt.timedelta(days=1)
        cursor = phase_end - dt.timedelta(days=length - 1)
        phases[i] = Phase(name=names[i], start=cursor, end=phase_end)
    cursor = brief.end
    for i in range(ex + 1, len(names)):
        length = lead_days("wrapup", window_days, reach)
        phase_start = cursor + dt.timedelta(days=1)
        cursor = phase_start + dt.timedelta(days=length - 1)
        phases[i] = Phase(name=names[i], start=phase_start, end=cursor)
    return [phases[i] for i in range(len(names))]


def window_days(brief: Brief) -> int | None:
    """Days in the campaign window, both ends included."""
    if brief.start is None or brief.end is None:
        return None
    return (brief.end - brief.start).days + 1
