"""Setext headings ('===' / '---' under the text) make chapters just like '#' headings do."""

from __future__ import annotations

import re

import pytest

from assistant.validators import validate_plan
from core.plan import Plan
from knowledge.templates import load_template
from tests.assistant.validators.plans import CLEAN_HANS, change

PROMOTION = load_template("promotion")


@pytest.fixture(autouse=True)
def _planning_ahead(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_TODAY", "2026-01-01")  # CLEAN_HANS is a June 2026 campaign planned ahead


def setext(text: str) -> str:
    """``text`` with '# x' as 'x' over '===' and '## x' as 'x' over '---' (one line longer per heading)."""
    def underline(m: re.Match[str]) -> str:
        return m.group(2) + "\n" + ("=" if len(m.group(1)) == 1 else "-") * 6

    return re.sub(r"^(#{1,2}) (.+)$", underline, text, flags=re.MULTILINE)


def test_a_setext_plan_has_the_chapters_keys_and_facts_of_its_atx_twin() -> None:
    atx = Plan.from_markdown(CLEAN_HANS, PROMOTION)
    plan = Plan.from_markdown(setext(CLEAN_HANS), PROMOTION)
    assert plan.title == atx.title == "「粽享端午」粽子礼盒促销方案"
    assert [(c.title, c.key, c.body) for c in plan.chapters] == [(c.title, c.key, c.body) for c in atx.chapters]
    # Every heading above a line takes one more line (its underline): line numbers follow the file.
    lines = setext(CLEAN_HANS).split("\n")
    assert all(lines[c.line - 1] == c.title and set(lines[c.line]) <= set("=-") for c in plan.chapters
               if c.line is not None)
    assert all(lines[c.body_line - 1].strip() for c in plan.chapters if c.body_line is not None)
    assert [(b.item, b.amount, b.share) for b in plan.budget_lines] == [(b.item, b.amount, b.share)
                                                                          for b in atx.budget_lines]
    assert plan.budget_total == atx.budget_total == 100_000
    assert [(p.name, p.start, p.end) for p in plan.phases] == [(p.name, p.start, p.end) for p in atx.phases]
    assert validate_plan(plan) == validate_plan(atx) == []


def test_a_setext_plan_validates_like_the_atx_plan_with_lines_that_point_at_the_file() -> None:
    broken = change(CLEAN_HANS, "| 推广 | 50,000 | 50% |", "| 推广 | 60,000 | 50% |")
    atx = validate_plan(Plan.from_markdown(broken, PROMOTION))
    text = setext(broken)
    found = validate_plan(Plan.from_markdown(text, PROMOTION))
    assert [f.code for f in found] == [f.code for f in atx] and found
    lines = text.split("\n")
    for finding in found:
        if finding.line is not None:
            assert "|" in lines[finding.line - 1], finding


def test_setext_headings_were_no_chapters_before() -> None:
    """The plan that made the regex reader say 'no chapters found' now reads."""
    plan = Plan.from_markdown("中秋方案\n========\n\n活动背景\n--------\n2026年。\n\n费用预算\n--------\n预算5万。\n",
                              PROMOTION)
    assert plan.title == "中秋方案"
    assert [(c.title, c.key, c.line, c.body_line) for c in plan.chapters] == [
        ("活动背景", "background", 4, 6), ("费用预算", "budget", 8, 10)]
