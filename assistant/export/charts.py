"""Pictures of a plan, rendered server-side with matplotlib: the timeline as a Gantt chart and the budget
split as bars with amounts and shares, labelled in the plan's script. Chinese labels need a CJK font
(Debian's fonts-noto-cjk); without one a chart of Chinese labels is not drawn and ``chart_notice`` says
why, so no reader ever sees boxes instead of characters."""

from __future__ import annotations

import datetime as dt
import io
import threading
from functools import lru_cache
from typing import Literal

from core.plan import Plan
from core.text.money import money

ChartName = Literal["timeline", "budget"]
CHART_NAMES: tuple[ChartName, ...] = ("timeline", "budget")
_CJK_FAMILIES = ("Noto Sans CJK SC", "Noto Sans CJK TC", "Noto Serif CJK SC", "Noto Sans SC", "Source Han Sans SC",
                 "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback", "AR PL UMing CN")
_TITLES = {
    "timeline": {"zh-Hans": "活动时间轴", "zh-Hant": "活動時間軸", "en": "Timeline"},
    "budget": {"zh-Hans": "预算分配", "zh-Hant": "預算分配", "en": "Budget split"},
}
NO_CJK_FONT = ("no CJK font is installed, so the charts with Chinese labels are left out: install fonts-noto-cjk "
               "(apt-get install fonts-noto-cjk) to draw them")
_COLORS = ("#3b6ea5", "#e0904a", "#5aa469", "#c8553d", "#8e6bb1", "#4aa3a2", "#b5a642", "#8c8c8c", "#d17ab3")
_LOCK = threading.Lock()  # matplotlib's font cache and text layout are not thread-safe


@lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed CJK font matplotlib can use, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    for family in _CJK_FAMILIES:
        if family in installed:
            return family
    return next((name for name in sorted(installed) if "CJK" in name), None)


def _needs_cjk(plan: Plan) -> bool:
    labels = [p.name for p in plan.phases] + [line.item for line in plan.budget_lines]
    return plan.script != "en" or any("\u3400" <= ch <= "\u9fff" for label in labels for ch in label)


def chart_notice(plan: Plan) -> str:
    """Why the plan's charts are missing ('' when they can be drawn)."""
    return NO_CJK_FONT if _needs_cjk(plan) and cjk_font() is None else ""


def available_charts(plan: Plan) -> list[ChartName]:
    """The charts this plan has data for and can be drawn: a timeline with dated phases, a budget split."""
    if chart_notice(plan):
        return []
    names: list[ChartName] = []
    if any(p.start and p.end for p in plan.phases):
        names.append("timeline")
    if plan.budget_lines and sum(line.amount for line in plan.budget_lines) > 0:
        names.append("budget")
    return names


def _figure(height: float):  # type: ignore[no-untyped-def]
    from matplotlib.figure import Figure

    return Figure(figsize=(8, height), dpi=110)


def _font_kwargs(plan: Plan) -> dict[str, str]:
    family = cjk_font() if _needs_cjk(plan) else None
    return {"family": family} if family else {}


def _png(fig) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", bbox_inches="tight")
    return buffer.getvalue()


def timeline_chart(plan: Plan) -> bytes:
    """The plan's phases as a Gantt chart (PNG): one bar per phase from its start to its end."""
    from matplotlib import dates as mdates

    phases = [p for p in plan.phases if p.start and p.end]
    font = _font_kwargs(plan)
    with _LOCK:
        fig = _figure(0.6 * len(phases) + 1.4)
        ax = fig.add_subplot()
        for i, phase in enumerate(phases):
            assert phase.start is not None and phase.end is not None
            start = mdates.date2num(phase.start)
            width = mdates.date2num(phase.end + dt.timedelta(days=1)) - start
            ax.barh(i, width, left=start, height=0.5, color=_COLORS[i % len(_COLORS)])
            days = (phase.end - phase.start).days + 1
            label = f"{days} days" if plan.script == "en" else f"{days}天"
            ax.text(start + width / 2, i, label, ha="center", va="center", color="white", fontsize=8, **font)
        ax.set_yticks(range(len(phases)), [p.name for p in phases], **font)
        ax.invert_yaxis()
        ax.xaxis.set_major_formatter(mdates.DateFormatter("%m-%d"))
        ax.xaxis.set_major_locator(mdates.AutoDateLocator(maxticks=10))
        ax.grid(axis="x", alpha=0.3)
        ax.set_title(_TITLES["timeline"][plan.script], **font)
        return _png(fig)


def budget_chart(plan: Plan) -> bytes:
    """The budget split (PNG): one bar per line, labelled with its amount and share."""
    lines = [line for line in plan.budget_lines if line.amount > 0]
    total = sum(line.amount for line in lines)
    font = _font_kwargs(plan)
    with _LOCK:
        fig = _figure(0.45 * len(lines) + 1.4)
        ax = fig.add_subplot()
        ax.barh(range(len(lines)), [line.amount for line in lines],
                color=[_COLORS[i % len(_COLORS)] for i in range(len(lines))])
        for i, line in enumerate(lines):
            share = line.share if line.share is not None else line.amount / total * 100
            ax.text(line.amount, i, f" {money(line.amount, plan.script, currency=plan.currency)} ({share:g}%)", va="center", fontsize=8, **font)
        ax.set_yticks(range(len(lines)), [line.item for line in lines], **font)
        ax.invert_yaxis()
        ax.set_xlim(0, max(line.amount for line in lines) * 1.45)
        ax.set_xticks([])
        for side in ("top", "right", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_title(f"{_TITLES['budget'][plan.script]} · {money(total, plan.script, currency=plan.currency)}", **font)
        return _png(fig)


def render_chart(plan: Plan, name: str) -> bytes | None:
    """Chart ``name`` ('timeline' or 'budget') of ``plan`` as PNG bytes; None when the plan has no data
    for it or it cannot be drawn (see ``chart_notice``)."""
    if name not in available_charts(plan):
        return None
    return timeline_chart(plan) if name == "timeline" else budget_chart(plan)


__all__ = ["CHART_NAMES", "NO_CJK_FONT", "ChartName", "available_charts", "budget_chart", "chart_notice", "cjk_font",
           "render_chart", "timeline_chart"]
