"""Markdown tables for the deterministic facts: the budget and the timeline."""

from __future__ import annotations

from assistant.drafting.facts import percent, table_amount
from assistant.drafting.timeline import phase_role
from assistant.plan import Brief, BudgetLine, Phase


def budget_table(lines: list[BudgetLine], total: float) -> str:
    """| 项目 | 金额(元) | 占比 | 说明 | with a 合计 row equal to ``total``."""
    rows = ["| 项目 | 金额(元) | 占比 | 说明 |", "| --- | --- | --- | --- |"]
    for line in lines:
        share = percent(line.share) if line.share is not None else ""
        rows.append(f"| {line.item} | {table_amount(line.amount)} | {share} | {line.note} |")
    rows.append(f"| 合计 | {table_amount(total)} | 100% | |")
    return "\n".join(rows)


def phase_work(phase: Phase, brief: Brief) -> str:
    """What happens in a phase, from its role and the brief's channels."""
    channels = "、".join(brief.channels[:3]) if brief.channels else "各渠道"
    role = phase_role(phase.name)
    if role == "prepare":
        return "方案确认、物料设计制作、备货与人员培训"
    if role == "warmup":
        return f"{channels}发布预告,蓄积关注与预约"
    if role == "execute":
        return f"活动正式上线,{channels}同步执行,每日监测数据"
    if role == "wrapup":
        return "数据复盘、效果评估与客户回访"
    return f"按计划推进{phase.name}工作,{channels}协同执行"


def timeline_table(phases: list[Phase], brief: Brief) -> str:
    """| 阶段 | 开始 | 结束 | 工作内容 | with ISO dates."""
    rows = ["| 阶段 | 开始 | 结束 | 工作内容 |", "| --- | --- | --- | --- |"]
    for phase in phases:
        start = phase.start.isoformat() if phase.start else ""
        end = phase.end.isoformat() if phase.end else ""
        rows.append(f"| {phase.name} | {start} | {end} | {phase.work or phase_work(phase, brief)} |")
    return "\n".join(rows)
