"""Timeline checks: phases in order and not overlapping, the execution window matching the stated
activity period and the brief, and stated lengths matching their dates (counted inclusively)."""

from __future__ import annotations

import datetime as dt
import re

from assistant.validators.common import chapter_at, day, finding
from assistant.validators.statements import stated_durations, stated_periods
from core.plan import Brief, Finding, Phase, Plan
from core.text.scripts import to_simplified
from knowledge.templates import Template

# A campaign run after its festival on purpose (双十一返场), named so in a phase or a title.
RETURN_CAMPAIGN = re.compile(r"返场|延续|长尾|encore", re.I)
_ROLES = (
    ("prepare", re.compile(r"筹备|准备|前期|策划|筹划|规划|籌備|prep|planning|setup|set-up", re.I)),
    ("wrapup", re.compile(r"总结|复盘|收尾|评估|善后|后期|回访|售后|wrap|review|evaluat|post", re.I)),
    ("warmup", re.compile(r"预热|预售|蓄水|造势|预告|种草|引流|warm|teaser|pre-sale|presale|pre-launch", re.I)),
    ("execute", re.compile(r"执行|实施|活动|正式|爆发|高潮|高峰|主体|销售|促销|上线|开展|开售|launch|execution|live|"
                           r"main|campaign|peak|sale", re.I)),
    ("after", RETURN_CAMPAIGN),
)


def phase_role(name: str) -> str:
    """What a phase is for, from its name: prepare, warmup, execute, after, wrapup, or 'other'."""
    text = to_simplified(name)
    for role, regex in _ROLES:
        if regex.search(text):
            return role
    return "other"


def _dated(phases: list[Phase]) -> list[Phase]:
    return [p for p in phases if p.start is not None and p.end is not None]


def _windows(phases: list[Phase]) -> list[tuple[dt.date, dt.date]]:
    """Spans that may count as 'the activity': the execution phase, alone or with warm-up / after-sale
    phases, and all non-preparation, non-wrap-up phases together."""
    dated = _dated(phases)
    roles = [phase_role(p.name) for p in dated]
    out: list[tuple[dt.date, dt.date]] = []
    for keep in ({"execute"}, {"warmup", "execute"}, {"execute", "after"}, {"warmup", "execute", "after"},
                 {"warmup", "execute", "after", "other"}):
        spans = [(p.start, p.end) for p, r in zip(dated, roles, strict=True)
                 if r in keep and p.start is not None and p.end is not None]
        if spans and "execute" in roles:
            out.append((min(a for a, _ in spans), max(b for _, b in spans)))
    return out


def umbrellas(phases: list[Phase]) -> list[Phase]:
    """Phases that state the whole campaign's period rather than a step of it: 「推廣期:8月16日至9月15日」 listed
    above 預售期 and 正價期, at least two of which start within it. Their dates are the period the steps must
    fill, not a step the next one overlaps."""
    spans = [(p, p.start, p.end) for p in phases if p.start is not None and p.end is not None]
    return [p for i, (p, start, end) in enumerate(spans)
            if sum(1 for _, other, _ in spans[i + 1:] if start <= other <= end) >= 2]


def execution_phase(phases: list[Phase]) -> Phase | None:
    """The first dated phase whose name says it runs the campaign (``phase_role`` 'execute')."""
    return next((p for p in _dated(phases) if phase_role(p.name) == "execute"), None)


def check_timeline(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """Errors for a phase ending before it starts (``timeline_order``), consecutive phases overlapping
    (``timeline_overlap``), the execution phase ≠ the stated activity period or the brief's dates
    (``timeline_window_mismatch``), and a stated length ≠ its dates (``timeline_duration_mismatch``)."""
    findings: list[Finding] = []
    phases = plan.phases
    for p in _dated(phases):
        if p.end < p.start:  # type: ignore[operator]
            findings.append(finding(
                plan, "timeline_order", "error",
                zh=f"阶段「{p.name}」结束日期{day(plan, p.end)}早于开始日期{day(plan, p.start)}:请改正日期。",
                en=f"Phase '{p.name}' ends on {day(plan, p.end)}, before it starts on {day(plan, p.start)}: "
                   f"fix the dates.",
                line=p.line,
            ))
    findings += _overlaps(plan)
    findings += _window(plan, brief)
    for d in stated_durations(plan):
        actual = (d.end - d.start).days + 1
        if actual != d.days:
            findings.append(finding(
                plan, "timeline_duration_mismatch", "error",
                zh=f"「{d.text}」与日期不符:{day(plan, d.start)}至{day(plan, d.end)}含首尾共{actual}天。",
                en=f"'{d.text}' does not match the dates: {day(plan, d.start)} to {day(plan, d.end)} is "
                   f"{actual} days counting both ends.",
                line=d.line, chapter=d.chapter,
            ))
    return findings


_STAGE_END = re.compile(r"(?:期|阶段|段|周|phase|stage|period|week)$", re.I)


def _names_stage(name: str) -> bool:
    """Whether a phase's name says it is a stage of the campaign (a role word, or 期/阶段/phase at its end)."""
    return phase_role(name) != "other" or bool(_STAGE_END.search(to_simplified(name).strip()))


def _overlaps(plan: Plan) -> list[Finding]:
    whole = umbrellas(plan.phases)
    dated = [p for p in _dated(plan.phases) if p.start <= p.end and p not in whole]  # type: ignore[operator]
    if len(dated) < 2:
        return []
    first = min(p.start for p in dated)  # type: ignore[type-var]
    last = max(p.end for p in dated)  # type: ignore[type-var]
    # A phase spanning the whole timeline (全程监控) runs alongside the others by design.
    seq = [p for p in dated if not (p.start == first and p.end == last)]
    # Single-day entries are milestones (上线, 直播首发), which may share a day or fall inside a phase.
    seq = [p for p in seq if p.end > p.start]  # type: ignore[operator]
    findings: list[Finding] = []
    for prev, nxt in zip(seq, seq[1:], strict=False):
        # Sharing the hand-over day (筹备 to 9/10, 执行 from 9/10) is common wording, not an overlap.
        # Two tracks named by who or where (企業預購, 官網早鳥) run side by side; a stage (預熱期, 開賣期) follows.
        if not (_names_stage(prev.name) or _names_stage(nxt.name)):
            continue
        if nxt.start < prev.end and prev.start <= nxt.end:  # type: ignore[operator]
            findings.append(finding(
                plan, "timeline_overlap", "error",
                zh=f"阶段「{nxt.name}」从{day(plan, nxt.start)}开始,与上一阶段「{prev.name}」"
                   f"(至{day(plan, prev.end)})重叠:请调整日期,使各阶段前后衔接。",
                en=f"Phase '{nxt.name}' starts on {day(plan, nxt.start)}, overlapping the previous phase "
                   f"'{prev.name}' (until {day(plan, prev.end)}): make the phases follow each other.",
                line=nxt.line,
            ))
    return findings


def _window(plan: Plan, brief: Brief | None) -> list[Finding]:
    findings: list[Finding] = []
    whole = umbrellas(plan.phases)
    steps = [p for p in plan.phases if p not in whole]
    windows = _windows(steps)
    execution = execution_phase(steps)
    periods = stated_periods(plan)
    for p in whole:
        findings += _steps_leave(plan, p, steps)
    if execution is not None:
        for period in periods:
            if (period.start, period.end) not in windows:
                findings.append(finding(
                    plan, "timeline_window_mismatch", "error",
                    zh=f"执行阶段「{execution.name}」为{day(plan, execution.start)}至{day(plan, execution.end)},"
                       f"与正文所述活动时间{day(plan, period.start)}至{day(plan, period.end)}不符:请统一。",
                    en=f"The execution phase '{execution.name}' runs {day(plan, execution.start)} to "
                       f"{day(plan, execution.end)}, but the stated activity period is {day(plan, period.start)} "
                       f"to {day(plan, period.end)}: make them agree.",
                    line=execution.line, chapter=chapter_at(plan, execution.line),
                ))
                break
    if brief is None or brief.start is None or brief.end is None:
        return findings
    wanted = (brief.start, brief.end)
    if execution is not None and wanted not in windows:
        findings.append(finding(
            plan, "timeline_window_mismatch", "error",
            zh=f"执行阶段「{execution.name}」为{day(plan, execution.start)}至{day(plan, execution.end)},"
               f"与需求(brief)的活动时间{day(plan, brief.start)}至{day(plan, brief.end)}不符。",
            en=f"The execution phase '{execution.name}' runs {day(plan, execution.start)} to "
               f"{day(plan, execution.end)}, but the brief asks for {day(plan, brief.start)} to "
               f"{day(plan, brief.end)}.",
            line=execution.line,
        ))
    elif execution is None:
        for period in periods:
            if (period.start, period.end) != wanted:
                findings.append(finding(
                    plan, "timeline_window_mismatch", "error",
                    zh=f"正文所述活动时间{day(plan, period.start)}至{day(plan, period.end)}与需求(brief)的"
                       f"{day(plan, brief.start)}至{day(plan, brief.end)}不符。",
                    en=f"The stated activity period {day(plan, period.start)} to {day(plan, period.end)} differs "
                       f"from the brief's {day(plan, brief.start)} to {day(plan, brief.end)}.",
                    line=period.line, chapter=period.chapter,
                ))
                break
    return findings


def _steps_leave(plan: Plan, whole: Phase, steps: list[Phase]) -> list[Finding]:
    """A ``timeline_window_mismatch`` when the steps listed under a period (``umbrellas``) start before it or
    end after it: 正價期 to 9月20日 under 推廣期 to 9月15日."""
    dated = [p for p in _dated(steps) if phase_role(p.name) not in ("prepare", "wrapup")]
    if not dated or whole.start is None or whole.end is None:
        return []
    first = min(dated, key=lambda p: p.start)  # type: ignore[arg-type,return-value]
    last = max(dated, key=lambda p: p.end)  # type: ignore[arg-type,return-value]
    out = first if first.start < whole.start else last if last.end > whole.end else None  # type: ignore[operator]
    if out is None:
        return []
    return [finding(
        plan, "timeline_window_mismatch", "error",
        zh=f"阶段「{out.name}」为{day(plan, out.start)}至{day(plan, out.end)},超出了「{whole.name}」"
           f"{day(plan, whole.start)}至{day(plan, whole.end)}:请统一。",
        en=f"Phase '{out.name}' runs {day(plan, out.start)} to {day(plan, out.end)}, outside '{whole.name}' "
           f"({day(plan, whole.start)} to {day(plan, whole.end)}): make them agree.",
        line=out.line, chapter=chapter_at(plan, out.line),
    )]


__all__ = ["RETURN_CAMPAIGN", "check_timeline", "execution_phase", "phase_role", "umbrellas"]
