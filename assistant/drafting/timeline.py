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


def lead_days(role: PhaseRole, window_days: int) -> int:
    """How long a phase before or after the window lasts, for a window of ``window_days`` days."""
    if role == "prepare":
        return _clamp(window_days, 7, 21)
    if role == "warmup":
        return _clamp(round(window_days / 2), 3, 10)
    return _clamp(window_days // 2, 5, 14)  # wrap-up


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
    phases: dict[int, Phase] = {ex: Phase(name=names[ex], start=brief.start, end=brief.end)}
    cursor = brief.start
    for i in range(ex - 1, -1, -1):
        role = roles[i] or ("warmup" if i == ex - 1 else "prepare")
        length = lead_days("prepare" if role == "execute" else role, window_days)
        phase_end = cursor - dt.timedelta(days=1)
        cursor = phase_end - dt.timedelta(days=length - 1)
        phases[i] = Phase(name=names[i], start=cursor, end=phase_end)
    cursor = brief.end
    for i in range(ex + 1, len(names)):
        length = lead_days("wrapup", window_days)
        phase_start = cursor + dt.timedelta(days=1)
        cursor = phase_start + dt.timedelta(days=length - 1)
        phases[i] = Phase(name=names[i], start=phase_start, end=cursor)
    return [phases[i] for i in range(len(names))]


def window_days(brief: Brief) -> int | None:
    """Days in the campaign window, both ends included."""
    if brief.start is None or brief.end is None:
        return None
    return (brief.end - brief.start).days + 1
