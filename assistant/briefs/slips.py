"""Input-method slips of the words a planning request is read by: 方按 for 方案, 活东 for 活动, 促消 for 促销.

A planner typing pinyin picks a homophone now and then (「能帮我弄个方按不」, 「年货节的活东」); the guidebooks'
``TypoFixer`` (``knowledge.wordweights``: a run general Chinese does not write, sounding like a known word, one
character off) puts such slips right against the guidebooks' words when a question is answered. The request reader
and the intent rule key on a closed class of plan and campaign nouns, so the same fixer is built over those; every
other word is read as typed.
"""

from __future__ import annotations

from functools import lru_cache

from core.text.scripts import to_simplified

# The nouns that make a message a plan request or a campaign (intents' _PLAN_NOUN and _CAMPAIGN_NOUN, Simplified).
PLANNING_NOUNS = ("方案", "策划", "企划", "计划", "活动", "促销", "推广", "大促", "营销")


@lru_cache(maxsize=1)
def _fixer():  # type: ignore[no-untyped-def]
    from knowledge.wordweights import TypoFixer

    return TypoFixer(PLANNING_NOUNS, lambda word: word in PLANNING_NOUNS, lambda word: 100)


@lru_cache(maxsize=2048)
def without_slips(text: str) -> str:
    """``text`` with slips of the planning nouns put right (Simplified, same length), or ``text`` itself as written
    when it has none."""
    simplified = to_simplified(text)
    fixed = _fixer().fix(simplified)
    return fixed if fixed != simplified else text


__all__ = ["PLANNING_NOUNS", "without_slips"]
