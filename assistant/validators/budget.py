"""Budget checks: lines add up to the total row, the total agrees with the prose and the brief, shares add up."""

from __future__ import annotations

import re

from assistant.validators.common import chapter_at, finding, money
from assistant.validators.statements import stated_shares, stated_totals
from core.plan import Brief, Chapter, Finding, Plan
from core.text.scripts import to_simplified
from knowledge.templates import Template

SHARE_TOLERANCE = 0.5  # percentage points: 33.3% for a third is fine, 10% for 15% is not


def _amount_tolerance(total: float) -> float:
    # Amounts in a 万元 table are exact to the 元; allow rounding of fractional 万 only.
    return max(1.0, abs(total) * 0.001)


def _budget_chapter(plan: Plan) -> Chapter | None:
    line = plan.budget_lines[0].line if plan.budget_lines else None
    return chapter_at(plan, line) or next((c for c in plan.chapters if c.key == "budget"), None)


def _from_table(plan: Plan) -> bool:
    """Whether the budget lines were read from a table (a ``|`` row), not a list or a sentence: a message
    must not name a 「预算表」 the planner never wrote."""
    for bl in plan.budget_lines:
        chapter = chapter_at(plan, bl.line)
        if bl.line is None or chapter is None or chapter.body_line is None:
            continue
        body = chapter.body.split("\n")
        at = bl.line - chapter.body_line
        if 0 <= at < len(body):
            return "|" in body[at]
    return plan.budget_total is not None


def check_budget(plan: Plan, brief: Brief | None = None, template: Template | None = None) -> list[Finding]:
    """Errors when budget lines ≠ the total row (``budget_sum_mismatch``), the total ≠ the total stated
    in the prose or the brief's budget (``budget_total_mismatch``), or shares are off
    (``budget_share_mismatch``: they do not add to 100%, or a share ≠ amount / total)."""
    findings: list[Finding] = []
    lines = plan.budget_lines
    chapter = _budget_chapter(plan)
    line_sum = sum(bl.amount for bl in lines)
    if lines and plan.budget_total is not None and abs(line_sum - plan.budget_total) > _amount_tolerance(
            plan.budget_total):
        last = max((bl.line for bl in lines if bl.line is not None), default=None)
        total_line = last + 1 if last is not None else None
        findings.append(finding(
            plan, "budget_sum_mismatch", "error",
            zh=f"预算明细合计为{money(plan, line_sum)},与合计行的{money(plan, plan.budget_total)}不符:"
               f"请核对各项金额或合计。",
            en=f"Budget lines add up to {money(plan, line_sum)}, but the total row says "
               f"{money(plan, plan.budget_total)}: fix the amounts or the total.",
            line=total_line, chapter=chapter,
        ))
    table_total = plan.budget_total if plan.budget_total is not None else (line_sum if lines else None)
    table = _from_table(plan)
    zh_total, en_total = ("预算表合计", "the budget table totals") if table else ("预算明细合计", "the budget items add up to")
    if table_total is not None:
        for stated in stated_totals(plan):
            if abs(stated.amount - table_total) > _amount_tolerance(table_total):
                findings.append(finding(
                    plan, "budget_total_mismatch", "error",
                    zh=f"正文所述总预算「{stated.text}」({money(plan, stated.amount)})与{zh_total}"
                       f"{money(plan, table_total)}不符:请统一总预算。",
                    en=f"The text states a total budget of {money(plan, stated.amount)} ('{stated.text}'), but the "
                       f"{en_total} {money(plan, table_total)}: make them agree.",
                    line=stated.line, chapter=stated.chapter,
                ))
        if brief is not None and brief.budget is not None and abs(brief.budget - table_total) > _amount_tolerance(
                brief.budget):
            findings.append(finding(
                plan, "budget_total_mismatch", "error",
                zh=f"{zh_total}{money(plan, table_total)}与需求(brief)预算{money(plan, brief.budget)}不符:"
                   f"请按需求调整预算。",
                en=f"{en_total[0].upper()}{en_total[1:]} {money(plan, table_total)}, but the brief's budget is "
                   f"{money(plan, brief.budget)}: adjust the budget to the brief.",
                chapter=chapter,
            ))
    elif brief is not None and brief.budget is not None:
        for stated in stated_totals(plan):
            if abs(stated.amount - brief.budget) > _amount_tolerance(brief.budget):
                findings.append(finding(
                    plan, "budget_total_mismatch", "error",
                    zh=f"正文所述总预算{money(plan, stated.amount)}与需求(brief)预算{money(plan, brief.budget)}不符。",
                    en=f"The text states a total budget of {money(plan, stated.amount)}, but the brief's budget is "
                       f"{money(plan, brief.budget)}.",
                    line=stated.line, chapter=stated.chapter,
                ))
    findings += _check_shares(plan)
    findings += _check_stated_shares(plan)
    return findings


def _shared_words(stated: str, item: str) -> int:
    """How much of a budget line ``item`` the prose's name for it shares: the longest run of characters in
    common (推广费 / 推广投放: 2) in Chinese, the words in common in English (travel subsidies for dealers /
    Travel subsidies: 2)."""
    a, b = to_simplified(stated).lower(), to_simplified(item).lower()
    if re.search(r"[a-z]", a):
        def words(text: str) -> set[str]:
            return {w.rstrip("s") for w in re.findall(r"[a-z]{3,}", text)} - {"and", "for", "the", "our", "with"}
        return len(words(a) & words(b))
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] not in b:
                break
            best = j - i
    return best if best >= 2 else 0


def _check_stated_shares(plan: Plan) -> list[Finding]:
    """A ``budget_share_mismatch`` for each share the budget chapter's prose states (「推广费占40%」) that the
    budget line it names does not have of the total: the line sharing the most of its name, when one does."""
    lines = plan.budget_lines
    total = plan.budget_total if plan.budget_total is not None else sum(bl.amount for bl in lines)
    if not lines or total <= 0:
        return []
    findings: list[Finding] = []
    for stated in stated_shares(plan, _budget_chapter(plan)):
        scores = [_shared_words(stated.item, bl.item) for bl in lines]
        best = max(scores)
        if best == 0 or scores.count(best) > 1:
            continue  # no line, or two, answer to the name: nothing to compare with
        bl = lines[scores.index(best)]
        actual = bl.amount / total * 100
        if abs(actual - stated.share) <= stated.tolerance:
            continue
        findings.append(finding(
            plan, "budget_share_mismatch", "error",
            zh=f"正文说「{stated.text}」,但「{bl.item}」{money(plan, bl.amount)}占总额{money(plan, total)}的"
               f"{actual:.1f}%:请改正占比或金额。",
            en=f"The text says '{stated.text}', but '{bl.item}' is {money(plan, bl.amount)}, {actual:.1f}% of "
               f"{money(plan, total)}: fix the share or the amount.",
            line=stated.line, chapter=stated.chapter,
        ))
    return findings


def _check_shares(plan: Plan) -> list[Finding]:
    lines = plan.budget_lines
    shares = [bl.share for bl in lines if bl.share is not None]
    if not shares:
        return []
    findings: list[Finding] = []
    chapter = _budget_chapter(plan)
    if len(shares) == len(lines) and abs(sum(shares) - 100.0) > SHARE_TOLERANCE:
        findings.append(finding(
            plan, "budget_share_mismatch", "error",
            zh=f"各项占比合计为{sum(shares):g}%,不是100%:请核对占比。",
            en=f"Budget shares add up to {sum(shares):g}%, not 100%: fix the shares.",
            line=lines[0].line, chapter=chapter,
        ))
    total = plan.budget_total if plan.budget_total is not None else sum(bl.amount for bl in lines)
    if total <= 0:
        return findings
    for bl in lines:
        if bl.share is None:
            continue
        actual = bl.amount / total * 100
        if abs(actual - bl.share) > SHARE_TOLERANCE:
            findings.append(finding(
                plan, "budget_share_mismatch", "error",
                zh=f"「{bl.item}」占比写作{bl.share:g}%,但{money(plan, bl.amount)}占总额{money(plan, total)}的"
                   f"{actual:.1f}%:请改正占比或金额。",
                en=f"'{bl.item}' is listed at {bl.share:g}%, but {money(plan, bl.amount)} is {actual:.1f}% of "
                   f"{money(plan, total)}: fix the share or the amount.",
                line=bl.line, chapter=chapter,
            ))
    return findings


__all__ = ["check_budget"]
