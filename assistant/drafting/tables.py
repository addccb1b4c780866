"""The deterministic tables a plan carries — budget and timeline — written the way the plan parser
reads them back (``core.plan.markdown``), in the plan's script."""

from __future__ import annotations

from assistant.drafting.timeline import phase_role
from core.plan import Brief, BudgetLine, Phase, Plan, Script
from core.plan.markdown import budget_table as _budget_table
from core.plan.markdown import timeline_table as _timeline_table
from core.text.lists import listed

_ENGLISH_PHASES = {"prepare": "Preparation", "warmup": "Warm-up", "execute": "Execution", "wrapup": "Wrap-up"}


def english_phase_name(name: str) -> str:
    """An English name for a template phase ('预热' → 'Warm-up'); the name itself when its role is unknown."""
    role = phase_role(name)
    return _ENGLISH_PHASES[role] if role else name


# The Chinese retail calendar's main selling moments in each calendar quarter.
_QUARTER_FOCUS = {1: "元旦、春节年货与春季上新", 2: "五一、618年中大促", 3: "暑期、七夕与中秋备货", 4: "国庆、双十一与年末促销"}
_QUARTER_FOCUS_EN = {1: "New Year, Spring Festival and spring launches", 2: "May Day and the 618 mid-year sale",
                     3: "summer, Qixi and Mid-Autumn stock-up", 4: "National Day, Double 11 and year-end sales"}


def phase_work(phase: Phase, brief: Brief, script: Script = "zh-Hans") -> str:
    """What happens in a phase, from its role (or, for a calendar quarter, that quarter's selling
    moments) and the brief's channels."""
    role = phase_role(phase.name)
    quarter = calendar_quarter(phase)
    if role is None and quarter is not None:
        if script == "en":
            return f"Campaigns around {_QUARTER_FOCUS_EN[quarter]}; quarterly review"
        return f"围绕{_QUARTER_FOCUS[quarter]}开展营销,季末复盘"
    if script == "en":
        channels = listed(brief.channels[:3], english=True) if brief.channels else "all channels"
        return {
            "prepare": "Confirm the plan, produce materials, stock up and train staff",
            "warmup": f"Announce the campaign and collect sign-ups on {channels}",
            "execute": f"Campaign live on {channels}; track results daily",
            "wrapup": "Review data, evaluate results and follow up with customers",
        }.get(role or "", f"Carry out the {phase.name} work on {channels}")
    channels = listed(brief.channels[:3], english=False) if brief.channels else "各渠道"
    return {
        "prepare": "方案确认、物料设计制作、备货与人员培训",
        "warmup": f"{channels}发布预告,蓄积关注与预约",
        "execute": f"活动正式上线,{channels}同步执行,每日监测数据",
        "wrapup": "数据复盘、效果评估与客户回访",
    }.get(role or "", f"按计划推进{phase.name}工作,{channels}协同执行")


def calendar_quarter(phase: Phase) -> int | None:
    """The calendar quarter (1–4) a phase lies in, when it lies in just one."""
    if phase.start is None or phase.end is None:
        return None
    first, last = (phase.start.month - 1) // 3 + 1, (phase.end.month - 1) // 3 + 1
    return first if first == last and phase.start.year == phase.end.year else None


def budget_table(lines: list[BudgetLine], total: float, script: Script = "zh-Hans", currency: str = "CNY") -> str:
    """| 项目 | 金额(元) | 占比 | 说明 | rows (金额(美元) for a plan in USD) and a 合计 row equal to ``total``."""
    return _budget_table(Plan(script=script, currency=currency, budget_lines=lines, budget_total=total))


def timeline_table(phases: list[Phase], script: Script = "zh-Hans") -> str:
    """| 阶段 | 开始 | 结束 | 工作内容 | rows with ISO dates."""
    return _timeline_table(Plan(script=script, phases=phases))
