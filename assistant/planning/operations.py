"""Deterministic plan operations: each takes a plan and its brief and returns the changed pair.

Numbers are computed here, never written by a model: budget amounts are allocated so they add up
to the total exactly, phases are laid out day by day around the campaign window, and the budget
and timeline tables in the chapter bodies are rewritten from those numbers. Sections whose words
depend on the brief (channels, audience) are drafted again through ``Redrafter`` (the offline
composer, or the model over the same facts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence

from pydantic import BaseModel, Field

from assistant.drafting.budget import CATEGORIES, CONTINGENCY, allocate, budget_lines, share_percent
from assistant.drafting.facts import window_sentence
from assistant.drafting.kinds import choose_kind
from assistant.drafting.outline import numbered_heading
from assistant.drafting.tables import budget_table, phase_work, timeline_table
from assistant.drafting.timeline import PhaseRole, phase_role
from core.errors import InputError
from core.plan import Brief, BudgetLine, Phase, Plan
from core.text.money import currency_name, money
from core.text.scripts import Script, to_simplified

# A redraft: (plan, brief, section key) → the plan with that section drafted again (added if absent).
Redrafter = Callable[[Plan, Brief, str], Plan]
# More detail for one chapter: (plan, brief, chapter index) → the plan with that chapter made more specific.
Detailer = Callable[[Plan, Brief, int], Plan]
# The chapters a brief change reaches: (plan, brief before, brief after) → the keys of the chapters whose draft
# reads what changed (``assistant.drafting.redraft.chapters_reading``), drafted again from the new brief.
Readers = Callable[[Plan, Brief, Brief], list[str]]


class Outcome(BaseModel):
    """A changed plan and brief, and what changed (Simplified; converted at the edge)."""

    plan: Plan
    brief: Brief
    changes: list[str] = Field(default_factory=list)
    notes: list[str] = Field(default_factory=list, description="what the planner asked that changed nothing, and why")


# --- budget -------------------------------------------------------------------------------------

_CATEGORY_WORDS = {c.key: (to_simplified(c.item), c.item_en.lower(), *c.cues) for c in (*CATEGORIES, CONTINGENCY)}
_GENERIC = re.compile(r"费用|费|预算|成本|与|及|和")
_NOT_HAN = re.compile(r"[^\u3400-\u9fff]")


def line_category(item: str) -> str | None:
    """The cost category a budget line's item belongs to (平台与信息流投放 → advertising, by the categories'
    cue words), or None."""
    text = to_simplified(item).lower()
    for key, words in _CATEGORY_WORDS.items():
        if text in (words[0], words[1]):
            return key
    for key, words in _CATEGORY_WORDS.items():
        if any(w and w.lower() in text for w in words[2:]):
            return key
    return None


def lines_named(lines: list[BudgetLine], words: str) -> list[int]:
    """The budget lines ``words`` refer to: the one line budget_line_named finds when the words say what sets it
    apart from the other lines of its cost category (平台投放 → 平台与信息流投放, 达人 → 达人与直播合作), every
    line of the category when they name only the category (宣传推广, advertising, 'ad budget' over both);
    empty when none is meant."""
    best = budget_line_named(lines, words)
    if best is None:
        return []
    key = line_category(lines[best].item)
    if key is None:
        return [best]
    group = [i for i, line in enumerate(lines) if line_category(line.item) == key]
    if len(group) < 2:
        return [best]
    text = to_simplified(words).lower()
    items = {i: to_simplified(lines[i].item).lower() for i in group}
    shared = _CATEGORY_WORDS[key][0] + " " + _CATEGORY_WORDS[key][1]  # the category's own name says no line

    def apart(i: int) -> bool:
        others = [items[j] for j in group if j != i]
        pieces = [text[k:k + 2] for k in range(len(text) - 1) if not _NOT_HAN.search(text[k:k + 2])]
        pieces += re.findall(r"[a-z]{3,}", text)
        return any(p in items[i] and p not in shared and not _GENERIC.search(p) and all(p not in o for o in others)
                   for p in pieces)

    named = [i for i in group if apart(i)]
    return named if len(named) == 1 else group


def _common_run(a: str, b: str) -> int:
    """Length of the longest run of Han characters ``a`` and ``b`` share.

    Only Han runs count: two letters shared by English words say nothing (「cut the budget in half」
    shares "in" with "Advertising and promotion"); English names are matched as whole words."""
    a = _NOT_HAN.sub("\0", a)
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def budget_line_named(lines: list[BudgetLine], words: str) -> int | None:
    """The index of the budget line ``words`` refer to (宣传费 → 宣传推广费用, advertising → the same),
    or None when no line is meant."""
    text = to_simplified(words).lower()
    said = set(re.findall(r"[a-z]{3,}", text))
    plurals = {f"{w}s" for w in re.findall(r"[a-z]{2,}", text)}  # "ad budget" names the ads line
    best: tuple[float, int] | None = None
    for i, line in enumerate(lines):
        item = _GENERIC.sub("", to_simplified(line.item).lower())
        score = float(_common_run(item, text)) if item else 0.0
        score = score if score >= 2 else 0.0
        score = max([score, *(float(len(w)) for w in re.findall(r"[a-z]{3,}", item) if w in said and w != "and")])
        key = line_category(line.item)
        if key is not None:
            words_of = _CATEGORY_WORDS[key]
            english = [w for w in re.split(r"\W+", words_of[1]) if len(w) > 3]
            if any(w and w in text for w in words_of[2:]) or any(w in text for w in english) or plurals & set(words_of[2:]):
                score = max(score, 3.0)
        if score and (best is None or score > best[0]):
            best = (score, i)
    return best[1] if best else None


def _exact_amounts(lines: list[BudgetLine], total: float) -> list[float] | None:
    """The lines' stated shares of ``total`` when they are whole yuan and add up; else None."""
    if any(line.share is None for line in lines):
        return None
    amounts = [total * (line.share or 0) / 100 for line in lines]
    if any(abs(a - round(a)) > 1e-6 for a in amounts) or abs(sum(amounts) - total) > 1e-6:
        return None
    return [float(round(a)) for a in amounts]


def _weights(amounts: list[float]) -> list[int]:
    return [max(1, round(a * 100)) for a in amounts]


def _with_amounts(lines: list[BudgetLine], amounts: list[float], total: float) -> list[BudgetLine]:
    return [line.model_copy(update={"amount": amount, "share": share_percent(amount, total)})
            for line, amount in zip(lines, amounts, strict=True)]


def set_budget(plan: Plan, brief: Brief, total: float, currency: str | None = None) -> Outcome:
    """The budget changed to ``total``: every line keeps its share, amounts add up to the new total. A ``currency``
    other than the plan's («预算改成1万美元» on a 人民币 plan) is the plan's from now on: the planner said what the
    total is in it, so every amount is written in it; nothing is converted (no rate is known here), and the change
    line says the currency changed."""
    old = brief.budget if brief.budget is not None else plan.budget_total
    switched = currency is not None and currency.upper() != plan.currency.upper()
    if old is not None and abs(old - total) < 0.005 and not switched:
        return Outcome(plan=plan, brief=brief)
    lines = plan.budget_lines
    amounts = _exact_amounts(lines, total) or allocate(total, _weights([line.amount for line in lines]))
    new_plan = plan.model_copy(deep=True)
    new_plan.budget_lines = _with_amounts(lines, amounts, total)
    new_plan.budget_total = total
    new_brief = brief.model_copy(update={"budget": total})
    if switched:
        assert currency is not None
        new_plan.currency = currency.upper()
        new_brief = new_brief.model_copy(update={"currency": currency.upper()})
    if old is not None:
        script: Script = "en" if plan.script == "en" else "zh-Hans"  # offline English plans write USD 20,000
        _replace_everywhere(new_plan, money(old, script, currency=plan.currency),
                            money(total, script, currency=new_plan.currency))
    _rewrite_budget_table(new_plan)
    before_zh = _zh_money(plan, old) if old is not None else "未定"
    line = _t(brief, f"总预算:{before_zh} → {_zh_money(new_plan, total)}",
              f"Total budget: {_en_money(plan, old)} → {_en_money(new_plan, total)}")
    if switched:
        line += _t(brief, f"(币种:{currency_name(plan.currency)} → {currency_name(new_plan.currency)},"
                          "金额按新币种写,未按汇率换算)",
                   f" (currency: {plan.currency} → {new_plan.currency}; amounts are written in it, not converted)")
    return Outcome(plan=new_plan, brief=new_brief, changes=[line])


def budget_change_in_another_currency(plan: Plan, brief: Brief, change: float, currency: str) -> Outcome:
    """「预算再加2000美元」 on a 人民币 plan: an amount in another currency cannot be added without a rate, which Cehua
    does not guess. The plan stays; the note asks for the new total, in either currency."""
    total = brief.budget if brief.budget is not None else plan.budget_total
    said = money(abs(change), currency=currency)
    said_en = money(abs(change), "en", currency=currency)
    now = _zh_money(plan, total) if total is not None else "未定"
    return Outcome(plan=plan, brief=brief, notes=[_t(
        brief,
        f"方案的金额是{currency_name(plan.currency)}(总预算{now}),{said}要按汇率换算才能加减,Cehua不替你定汇率,"
        f"所以方案没有改动。请直接说新的总预算:按{currency_name(plan.currency)}说(比如「预算改成4万」),"
        f"或者说「预算改成X万{currency_name(currency)}」,整份方案改用{currency_name(currency)}。",
        f"The plan's amounts are in {plan.currency} (total {_en_money(plan, total)}); {said_en} would need an exchange "
        f"rate, which Cehua does not guess, so the plan is unchanged. Say the new total instead: in {plan.currency} "
        f"(\"change the budget to 40k\"), or in {currency} (\"change the budget to {currency} 40k\") to put the whole "
        f"plan in {currency}.")])


def set_share(plan: Plan, brief: Brief, index: int, percent: float, together: list[int] | None = None) -> Outcome:
    """Line ``index`` (with the ``together`` lines of its cost category: 宣传推广 over 平台投放 and 达人合作) set
    to ``percent`` of the total, the lines of the group in their proportions; the other lines share the rest in
    theirs."""
    if not 0 < percent < 100:
        raise InputError(f"a budget share of {percent:g}% is not possible: give a share between 0 and 100%",
                         code="invalid_edit")
    total = plan.budget_total or brief.budget or sum(line.amount for line in plan.budget_lines)
    lines = plan.budget_lines
    group = sorted({index, *(together or [])})
    target = round(total * percent / 100, 2)
    before = sum(lines[i].amount for i in group)
    items = "、".join(to_simplified(lines[i].item) for i in group)
    items_en = ", ".join(lines[i].item for i in group)
    if abs(before - target) < 0.005:  # 「提到40%」 of a line already at 40%: the others stay as they are
        return Outcome(plan=plan, brief=brief, notes=[_t(
            brief, f"{items}已经是预算的{percent:g}%({_zh_money(plan, target)}),没有改动。",
            f"{items_en} {'is' if len(group) == 1 else 'are'} already {percent:g}% of the budget "
            f"({_en_money(plan, target)}); nothing changed.")])
    others = [i for i in range(len(lines)) if i not in group]
    amounts = [0.0] * len(lines)
    for part, total_of in ((group, target), (others, total - target)):
        for i, amount in zip(part, allocate(total_of, _weights([lines[i].amount for i in part])) if part else [],
                             strict=True):
            amounts[i] = amount
    new_plan = plan.model_copy(deep=True)
    new_plan.budget_lines = _with_amounts(lines, amounts, total)
    _rewrite_budget_table(new_plan)
    old_share = share_percent(before, total)
    new_share = share_percent(target, total)
    together_zh, together_en = ("合计", " together") if len(group) > 1 else ("", "")
    return Outcome(plan=new_plan, brief=brief, changes=[_t(
        brief, f"{items}{together_zh}:{old_share:g}% → {new_share:g}%({_zh_money(plan, before)} → {_zh_money(plan, target)}),"
        "其余费用按原比例分配剩余预算",
        f"{items_en}{together_en}: {old_share:g}% → {new_share:g}% ({_en_money(plan, before)} → "
        f"{_en_money(plan, target)}); the other lines share the rest in their proportions")])


def add_share_line(plan: Plan, brief: Brief, key: str, percent: float) -> Outcome:
    """A share asked for a cost category the plan has no line of (宣传推广 in a community group-buy plan whose
    lines are 社群运营 and 团长佣金): the category's line is added (before the contingency reserve) at ``percent``
    of the total, and the other lines share the rest in their proportions."""
    category = next(c for c in (*CATEGORIES, CONTINGENCY) if c.key == key)
    lines = plan.budget_lines
    at = len(lines) - 1 if lines and line_category(lines[-1].item) == CONTINGENCY.key else len(lines)
    with_line = plan.model_copy(deep=True)
    item = category.item_en if plan.script == "en" else category.item
    with_line.budget_lines.insert(at, BudgetLine(item=item, amount=0.0, share=0.0))
    outcome = set_share(with_line, brief, at, percent)
    amount = outcome.plan.budget_lines[at].amount
    added = _t(brief, f"新增预算项:{category.item} {percent:g}%({_zh_money(plan, amount)}),其余费用按原比例分配剩余预算",
               f"Added budget line: {category.item_en}, {percent:g}% ({_en_money(plan, amount)}); the other lines share "
               "the rest in their proportions")
    return outcome.model_copy(update={"changes": [added]})


# --- dates and phases ---------------------------------------------------------------------------

def _days(phase: Phase) -> int:
    assert phase.start is not None and phase.end is not None
    return (phase.end - phase.start).days + 1


def layout(phases: list[Phase], start: dt.date, end: dt.date, lengths: list[int] | None = None) -> list[Phase]:
    """``phases`` laid out on the window ``start``–``end``: the execution phase exactly on it, the
    phases before and after it end to end with their lengths (``lengths`` when given)."""
    lengths = lengths or [_days(p) if p.start and p.end else 7 for p in phases]
    roles = [phase_role(p.name) for p in phases]
    ex = roles.index("execute") if "execute" in roles else None
    if ex is None:  # no execution phase: the phases keep their lengths, moved to start at ``start``
        out, cursor = [], start
        for phase, length in zip(phases, lengths, strict=True):
            out.append(phase.model_copy(update={"start": cursor, "end": cursor + dt.timedelta(days=length - 1)}))
            cursor += dt.timedelta(days=length)
        return out
    placed = {ex: phases[ex].model_copy(update={"start": start, "end": end})}
    cursor = start
    for i in range(ex - 1, -1, -1):
        phase_end = cursor - dt.timedelta(days=1)
        cursor = phase_end - dt.timedelta(days=lengths[i] - 1)
        placed[i] = phases[i].model_copy(update={"start": cursor, "end": phase_end})
    cursor = end
    for i in range(ex + 1, len(phases)):
        phase_start = cursor + dt.timedelta(days=1)
        cursor = phase_start + dt.timedelta(days=lengths[i] - 1)
        placed[i] = phases[i].model_copy(update={"start": phase_start, "end": cursor})
    return [placed[i] for i in range(len(phases))]


def set_window(plan: Plan, brief: Brief, start: dt.date, end: dt.date) -> Outcome:
    """The campaign moved to ``start``–``end``: phases around it keep their lengths."""
    if end < start:
        raise InputError(f"the campaign would end ({end}) before it starts ({start}): give an end on or after "
                         "the start", code="invalid_edit")
    if brief.start == start and brief.end == end:
        return Outcome(plan=plan, brief=brief)
    new_brief = brief.model_copy(update={"start": start, "end": end})
    new_plan = plan.model_copy(deep=True)
    if plan.phases:
        new_plan.phases = layout(plan.phases, start, end)
    english = plan.script == "en"  # offline English plans state their window in English
    old_window, new_window = window_sentence(brief, english), window_sentence(new_brief, english)
    if old_window:
        _replace_everywhere(new_plan, old_window, new_window)
    _rewrite_timeline_table(new_plan)
    return Outcome(plan=new_plan, brief=new_brief, changes=[_t(
        brief, f"活动时间:{_span(brief.start, brief.end)} → {_span(start, end)}(各阶段随之调整)",
        f"Campaign dates: {_span(brief.start, brief.end, ' to ')} → {_span(start, end, ' to ')} (phases moved with them)")])


def shift(plan: Plan, brief: Brief, days: int) -> Outcome:
    """The whole campaign moved by ``days`` (later when positive), every phase with it."""
    if brief.start is None or brief.end is None:
        raise InputError("the plan has no dates to move yet: say the dates first, e.g. 12月1日到12月15日",
                         code="invalid_edit")
    delta = dt.timedelta(days=days)
    outcome = set_window(plan, brief, brief.start + delta, brief.end + delta)
    word = "延后" if days > 0 else "提前"
    outcome.changes = [_t(brief, f"活动整体{word}{abs(days)}天:{_span(brief.start, brief.end)} → "
                          f"{_span(outcome.brief.start, outcome.brief.end)}",
                          f"Whole campaign moved {abs(days)} day(s) {'later' if days > 0 else 'earlier'}: "
                          f"{_span(brief.start, brief.end, ' to ')} → {_span(outcome.brief.start, outcome.brief.end, ' to ')}")]
    return outcome


def resize_phase(plan: Plan, brief: Brief, role: PhaseRole, *, to_days: int | None = None,
                 by_days: int | None = None) -> Outcome:
    """The phase of ``role`` made ``to_days`` long (or longer by ``by_days``, shorter when negative);
    for the execution phase the campaign's end moves, for the others the phases before or after it."""
    if brief.start is None or brief.end is None or not plan.phases:
        raise InputError("the plan has no timeline to change yet", code="invalid_edit")
    index = next((i for i, p in enumerate(plan.phases) if phase_role(p.name) == role), None)
    if index is None:
        names = "、".join(p.name for p in plan.phases)
        raise InputError(f"the plan has no such phase: its phases are {names}", code="invalid_edit")
    phase = plan.phases[index]
    old = _days(phase)
    new = to_days if to_days is not None else old + (by_days or 0)
    if new == old:
        return Outcome(plan=plan, brief=brief)
    if new < 1:
        raise InputError(f"{phase.name} would last {new} days: a phase needs at least one day", code="invalid_edit")
    if role == "execute":
        outcome = set_window(plan, brief, brief.start, brief.start + dt.timedelta(days=new - 1))
        outcome.changes = [_t(brief, f"{phase.name}阶段:{old}天 → {new}天,活动时间改为{_span(outcome.brief.start, outcome.brief.end)}",
                              f"{phase.name}: {old} → {new} days; campaign now "
                              f"{_span(outcome.brief.start, outcome.brief.end, ' to ')}")]
        return outcome
    lengths = [_days(p) for p in plan.phases]
    lengths[index] = new
    new_plan = plan.model_copy(deep=True)
    new_plan.phases = layout(plan.phases, brief.start, brief.end, lengths)
    _rewrite_timeline_table(new_plan)
    moved = new_plan.phases[index]
    return Outcome(plan=new_plan, brief=brief, changes=[_t(
        brief, f"{phase.name}阶段:{old}天 → {new}天({_span(moved.start, moved.end)})",
        f"{phase.name}: {old} → {new} days ({_span(moved.start, moved.end, ' to ')})")])


def _span(start: dt.date | None, end: dt.date | None, joiner: str = "至") -> str:
    if start is None or end is None:
        return "未定" if joiner == "至" else "not set"
    return f"{start.isoformat()}{joiner}{end.isoformat()}"


def _t(brief: Brief, zh: str, en: str) -> str:
    """A change line in the planner's language (Simplified for Chinese: converted at the edge)."""
    return en if brief.script == "en" else zh


def _zh_money(plan: Plan, amount: float) -> str:
    """An amount in a Simplified change line, in the plan's currency (新台币10万元: converted at the edge)."""
    return money(amount, currency=plan.currency)


def _en_money(plan: Plan, amount: float | None) -> str:
    return "not set" if amount is None else money(amount, "en", currency=plan.currency)


# --- channels, audience, mechanics --------------------------------------------------------------

def _from_brief(plan: Plan, before: Brief, after: Brief, redraft: Redrafter, readers: Readers,
                keep: Sequence[str] = ()) -> tuple[Plan, Brief, list[str]]:
    """``plan`` drafted again where it reads the brief that changed from ``before`` to ``after``, as a new draft
    from ``after`` would write it: the chapters that read it (but ``keep``) redrafted; in the budget and timeline
    tables, which hold the plan's own numbers, the notes and phase work the brief wrote (not ones the planner
    wrote) written again. The brief comes back with the campaign kind of the draft (``after`` could read as
    another kind), and the titles of the redrafted chapters with it (Simplified)."""
    keys = [key for key in readers(plan, before, after) if key not in keep]
    # The campaign kind stays the draft's, kept in the brief from the first such edit on: 「去掉LINE」 must not
    # turn a community plan's background into an e-commerce one while its budget keeps the community's lines.
    kind = choose_kind(before)
    after = after if after.kind else after.model_copy(update={"kind": kind})
    new_plan = plan
    for key in keys:
        new_plan = redraft(new_plan, after, key)
    new_plan = new_plan.model_copy(deep=True)
    english = plan.script == "en"
    if new_plan.budget_lines and before.budget is not None:
        was = {line.item: line.note for line in budget_lines(before, english=english, kind=kind)}
        now = {line.item: line.note for line in budget_lines(after.model_copy(update={"budget": before.budget}),
                                                               english=english, kind=kind)}
        for line in new_plan.budget_lines:
            if line.item in was and line.note == was[line.item]:
                line.note = now.get(line.item, line.note)
        _rewrite_budget_table(new_plan)
    if new_plan.phases:
        for phase in new_plan.phases:
            if phase.work == phase_work(phase, before, plan.script):
                phase.work = phase_work(phase, after, plan.script)
        _rewrite_timeline_table(new_plan)
    titles = [_bare(c.title) for c in new_plan.chapters if c.key in keys]
    return new_plan, after, titles


def _rewritten(brief: Brief, titles: list[str]) -> str:
    """「(已重写:活动背景与目标、…)」, or '' when no chapter was drafted again."""
    if not titles:
        return ""
    return _t(brief, "(已重写:" + "、".join(titles) + ")", " (rewritten: " + ", ".join(titles) + ")")


def set_channels(plan: Plan, brief: Brief, channels: list[str], redraft: Redrafter, readers: Readers,
                 absent: Sequence[str] = ()) -> Outcome:
    """The brief's channels replaced by ``channels``; every chapter that lists or uses them drafted again from the
    new brief, as a new draft would write it (background, strategy, audience, channel plan; the budget lines'
    and the timeline's channel notes). ``absent`` are channels asked to be removed that the plan does not have
    (said in ``notes``)."""
    old = list(brief.channels)
    notes = [_t(brief, "方案渠道中没有" + "、".join(to_simplified(c) for c in absent) + "，无需去掉。",
                f"The plan has no {', '.join(absent)} channel to remove.")] if absent else []
    if [to_simplified(c) for c in old] == [to_simplified(c) for c in channels]:
        return Outcome(plan=plan, brief=brief, notes=notes)
    new_plan, new_brief, titles = _from_brief(plan, brief, brief.model_copy(update={"channels": channels}), redraft,
                                              readers)
    added = [c for c in channels if to_simplified(c) not in {to_simplified(o) for o in old}]
    removed = [c for c in old if to_simplified(c) not in {to_simplified(n) for n in channels}]
    changes = []
    if added:
        changes.append(_t(brief, "新增渠道:" + "、".join(to_simplified(c) for c in added),
                          "Added channels: " + ", ".join(added)))
    if removed:
        changes.append(_t(brief, "去掉渠道:" + "、".join(to_simplified(c) for c in removed),
                          "Removed channels: " + ", ".join(removed)))
    changes.append(_t(brief, "渠道:" + ("、".join(to_simplified(c) for c in channels) or "未定"),
                      "Channels: " + (", ".join(channels) or "none")) + _rewritten(brief, titles))
    return Outcome(plan=new_plan, brief=new_brief, changes=changes, notes=notes)


def set_audience(plan: Plan, brief: Brief, audience: str, redraft: Redrafter, readers: Readers) -> Outcome:
    """The brief's audience set to ``audience``; the chapters that read it drafted again."""
    if to_simplified(audience) == to_simplified(brief.audience):
        return Outcome(plan=plan, brief=brief)
    new_plan, new_brief, titles = _from_brief(plan, brief, brief.model_copy(update={"audience": audience}), redraft,
                                              readers)
    return Outcome(plan=new_plan, brief=new_brief, changes=[_t(
        brief, f"目标客群:{to_simplified(brief.audience) or '未定'} → {to_simplified(audience)}",
        f"Audience: {brief.audience or 'not set'} → {audience}") + _rewritten(brief, titles)])


def rename(plan: Plan, brief: Brief, name: str) -> Outcome:
    """The campaign's theme (the plan's and the brief's title) renamed to ``name`` as the planner wrote it, and the old
    title replaced wherever a chapter names it."""
    old = plan.title or brief.title
    if to_simplified(name) == to_simplified(old):
        return Outcome(plan=plan, brief=brief)
    new_plan = plan.model_copy(deep=True)
    new_plan.title = to_simplified(name)
    if old:
        _replace_everywhere(new_plan, to_simplified(old), to_simplified(name))
    return Outcome(plan=new_plan, brief=brief.model_copy(update={"title": name}), changes=[_t(
        brief, f"主题:{to_simplified(old) or '未定'} → {to_simplified(name)}", f"Theme: {old or 'not set'} → {name}")])


_MECHANIC_LIST = re.compile(r"^(?:促销方式|优惠方式|活动玩法|服务内容|渠道政策|promotion mechanics|mechanics|offers?|"
                            r"services offered|channel policy)\s*[:：]", re.I)


def add_mechanics(plan: Plan, brief: Brief, lines: list[str], kinds: Mapping[str, str] | None = None,
                  terms: Sequence[str] = (), redraft: Redrafter | None = None,
                  readers: Readers | None = None) -> Outcome:
    """Offer mechanics (「抽奖互动:…」) added to the list in the offer chapter (an event's programme, a
    service plan's measures: the first chapter of kind offer, pricing or service), and the planner's ``terms``
    for them (「满300减50」) to the brief's mechanics, so later edits and the validators know them; the other
    chapters that read the brief's mechanics are drafted again from it (with ``redraft`` and ``readers``)."""
    index = _chapter_of_kind(plan, kinds, ("offer", "pricing", "service"))
    if index is None:
        raise InputError("the plan has no chapter on offers and mechanics: add one first, e.g. 「加一章促销方式」",
                         code="invalid_edit")
    new_plan = plan.model_copy(deep=True)
    chapter = new_plan.chapters[index]
    body_lines = chapter.body.split("\n")
    present = to_simplified(chapter.body)
    added = [line for line in lines if _mechanic_mark(line) not in present]
    known = {to_simplified(m).lower() for m in brief.mechanics}
    new_terms = [t for t in dict.fromkeys(terms) if to_simplified(t).lower() not in known]
    if not added and not new_terms:
        return Outcome(plan=plan, brief=brief)
    start = next((i for i, ln in enumerate(body_lines) if _MECHANIC_LIST.match(to_simplified(ln).strip())), None)
    at = len(body_lines)
    if start is not None:
        at = start + 1
        while at < len(body_lines) and body_lines[at].lstrip().startswith("- "):
            at += 1
    body_lines[at:at] = [f"- {line}" for line in added]
    chapter.body = "\n".join(body_lines)
    new_brief = brief.model_copy(update={"mechanics": [*brief.mechanics, *new_terms]}) if new_terms else brief
    titles: list[str] = []
    if new_terms and redraft is not None and readers is not None:
        new_plan, new_brief, titles = _from_brief(new_plan, brief, new_brief, redraft, readers, keep=[chapter.key or ""])
    shown = added or new_terms
    return Outcome(plan=new_plan, brief=new_brief, changes=[_t(brief, "新增促销方式:" + ";".join(shown),
                                                                       "Added offer mechanics: " + "; ".join(shown))
                                                                    + _rewritten(brief, titles)])


# --- chapters -----------------------------------------------------------------------------------

_NUMBERED = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|第[一二三四五六七八九十\d]+[章节部分]\s*|\d{1,2}\s*[.、)]\s*)")


def renumber_headings(plan: Plan) -> None:
    """Chapter headings numbered 一、二、… (1. 2. … in English) in order, where they were numbered."""
    for i, chapter in enumerate(plan.chapters):
        m = _NUMBERED.match(chapter.title)
        if m:
            chapter.title = numbered_heading(i, chapter.title[m.end():].strip(), plan.script)


def remove_chapter(plan: Plan, brief: Brief, index: int) -> Outcome:
    """Chapter ``index`` removed, the others renumbered."""
    new_plan = plan.model_copy(deep=True)
    removed = new_plan.chapters.pop(index)
    if removed.key == "budget":
        new_plan.budget_lines, new_plan.budget_total = [], None
    if removed.key == "timeline":
        new_plan.phases = []
    renumber_headings(new_plan)
    return Outcome(plan=new_plan, brief=brief, changes=[_t(brief, f"删除章节:{_bare(removed.title)}",
                                                                   f"Removed chapter: {_bare(removed.title)}")])


def add_chapter(plan: Plan, brief: Brief, key: str, redraft: Redrafter) -> Outcome:
    """The template chapter ``key`` drafted and added in template order, the chapters renumbered."""
    if any(c.key == key for c in plan.chapters):
        return Outcome(plan=plan, brief=brief)
    new_plan = redraft(plan, brief, key).model_copy(deep=True)
    renumber_headings(new_plan)
    title = next((c.title for c in new_plan.chapters if c.key == key), key)
    return Outcome(plan=new_plan, brief=brief, changes=[_t(brief, f"新增章节:{_bare(title)}", f"Added chapter: {_bare(title)}")])


def rewrite_chapter(plan: Plan, brief: Brief, index: int, detail: Detailer) -> Outcome:
    """Chapter ``index`` written again, more specifically."""
    new_plan = detail(plan, brief, index)
    if new_plan.chapters[index].body == plan.chapters[index].body:
        return Outcome(plan=plan, brief=brief)
    return Outcome(plan=new_plan, brief=brief, changes=[_t(
        brief, f"重写章节:{_bare(plan.chapters[index].title)}(更具体)",
        f"Rewrote chapter: {_bare(plan.chapters[index].title)} (more specific)")])


def _bare(title: str) -> str:
    m = _NUMBERED.match(title)
    return to_simplified(title[m.end():] if m else title).strip()


def _mechanic_mark(line: str) -> str:
    """What shows a mechanic line is already in a chapter: its name (「抽奖」), or the planner's own numbers
    when it has them (「满减:满300减50;…」 is new to a plan that only has a generic 满减)."""
    head, numbered, _ = to_simplified(line).partition(";")
    name, _, detail = head.partition(":")
    return detail if numbered and detail else name


def _chapter_of_kind(plan: Plan, kinds: Mapping[str, str] | None, wanted: tuple[str, ...]) -> int | None:
    """The index of the first chapter of the first kind in ``wanted`` the plan has."""
    for kind in wanted:
        for i, c in enumerate(plan.chapters):
            if c.key and (kinds or {}).get(c.key, c.key) == kind:
                return i
    return None


# --- text of the tables and sentences -----------------------------------------------------------

_TABLE_LINE = re.compile(r"^\s*\|.*\|\s*$")


def _replace_table(body: str, table: str, header: re.Pattern[str]) -> str | None:
    """``body`` with its first pipe table whose header matches ``header`` replaced by ``table``; None if none."""
    lines = body.split("\n")
    i = 0
    while i < len(lines):
        if _TABLE_LINE.match(lines[i]) and header.search(to_simplified(lines[i])):
            j = i
            while j < len(lines) and _TABLE_LINE.match(lines[j]):
                j += 1
            return "\n".join([*lines[:i], table, *lines[j:]])
        i += 1
    return None


_BUDGET_HEADER = re.compile(r"金额|amount", re.I)
_TIMELINE_HEADER = re.compile(r"阶段|phase", re.I)


def _rewrite_budget_table(plan: Plan) -> None:
    if not plan.budget_lines or plan.budget_total is None:
        return
    table = budget_table(plan.budget_lines, plan.budget_total, plan.script, plan.currency)
    for chapter in plan.chapters:
        replaced = _replace_table(chapter.body, table, _BUDGET_HEADER)
        if replaced is not None:
            chapter.body = replaced
            return


def _rewrite_timeline_table(plan: Plan) -> None:
    if not plan.phases:
        return
    table = timeline_table(plan.phases, plan.script)
    for chapter in plan.chapters:
        replaced = _replace_table(chapter.body, table, _TIMELINE_HEADER)
        if replaced is not None:
            chapter.body = replaced
            return


def _replace_everywhere(plan: Plan, old: str, new: str) -> None:
    """``old`` replaced by ``new`` in every chapter body (Simplified: ``PlanService.apply`` works on the
    plan in Simplified and gives it back its script)."""
    for chapter in plan.chapters:
        chapter.body = chapter.body.replace(old, new)


__all__ = [
    "Detailer", "Outcome", "Readers", "Redrafter", "add_chapter", "budget_change_in_another_currency", "add_share_line", "add_mechanics", "budget_line_named", "layout",
    "remove_chapter", "rename", "renumber_headings", "resize_phase", "rewrite_chapter", "set_audience", "set_budget",
    "line_category", "lines_named", "set_channels", "set_share", "set_window", "shift",
]
