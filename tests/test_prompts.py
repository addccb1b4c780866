"""Every prompt file renders with a sample context (missing variables are errors: StrictUndefined).

When you add ``prompts/<name>.j2``, add a sample context for it to ``SAMPLES`` below.
"""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import pytest

from assistant.store.conversations import Turn
from knowledge.passage import Passage
from prompts import render, template_names

_PASSAGES = [
    Passage(text="价格促销的主要手段包括打折、优惠券、限时特价等。", doc="promo", title="促销策略指导书",
            section="第三章 > 3.1 促销策略类型"),
    Passage(text="活动预算一般包括场地费用、物料费用和人员费用。", doc="promo", title="", section=""),
]
_TURN = Turn(position=1, question="预算一般包括哪些费用?", standalone_question="预算一般包括哪些费用?",
             answer="根据指南原文：场地费用、物料费用和人员费用。[1]", grounded=True, script="zh-Hans",
             created_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC))

_SECTION: dict[str, Any] = {
    "section": SimpleNamespace(title="预算分配", purpose="说明预算如何分配", kind="budget"),
    "facts": ["总预算:80万元", "活动时间:2026-09-20 至 2026-10-08"],
    "passages": [{"n": 1, "source": "促销策略指导书 > 第四章 活动预算", "text": "预算包括场地、物料、人员费用。"}],
    "table": "| 项目 | 金额 |\n| --- | --- |\n| 场地 | 20万 |",
    "language": "用简体中文写作。",
}
_SECTION_KINDS = ("audience", "background", "base", "budget", "channels", "evaluation", "goals", "offer", "pricing",
                  "product", "promotion", "risk", "service", "staffing", "theme", "timeline")

SAMPLES: dict[str, dict[str, Any]] = {
    "answer_system": {"language": "Simplified Chinese (简体中文)"},
    "answer": {"passages": _PASSAGES, "question": "价格促销有哪些手段?", "language": "Simplified Chinese (简体中文)"},
    "condense": {"history": [_TURN], "question": "那风险呢?", "language": "Simplified Chinese (简体中文)"},
    "draft_system": {},
    "extract_brief": {"request": "为美家电器做以旧换新促销,预算500万,下个月1号到15号", "today": "2026-11-25"},
    "plan_tools": {"title": "圣诞节活动方案", "chapters": ["一、活动背景与目标", "七、费用预算"], "budget": "20000",
                   "budget_lines": ["宣传推广费用: 8000 (40%)"], "dates": "2026-12-20 to 2026-12-25",
                   "phases": ["预热: 2026-12-17 to 2026-12-19"], "channels": "抖音"},
    "repair_section": {**_SECTION, "previous": "上一版正文", "findings": ["预算合计与总预算不符"]},
    **{f"section_{kind}": _SECTION for kind in _SECTION_KINDS},
}


@pytest.mark.parametrize("name", template_names())
def test_every_template_renders_with_its_sample(name: str) -> None:
    if name not in SAMPLES:
        pytest.fail(f"prompts/{name}.j2 has no sample context: add one to SAMPLES in tests/test_prompts.py")
    text = render(name, **SAMPLES[name])
    assert text.strip()
    assert "{{" not in text and "{%" not in text


def test_answer_prompt_numbers_the_passages_with_their_source_and_asks_the_question() -> None:
    text = render("answer", **SAMPLES["answer"])
    assert "[1] 《促销策略指导书》 第三章 > 3.1 促销策略类型\n价格促销的主要手段包括打折、优惠券、限时特价等。" in text
    assert "[2] 《promo》\n活动预算一般包括场地费用、物料费用和人员费用。" in text
    assert "Question: 价格促销有哪些手段?" in text


def test_answer_system_prompt_names_the_language_and_the_citation_rule() -> None:
    text = render("answer_system", language="Traditional Chinese (繁體中文)")
    assert text.endswith("Answer in Traditional Chinese (繁體中文).")
    assert "cite it inline as [n]" in text


def test_condense_prompt_carries_the_conversation() -> None:
    text = render("condense", **SAMPLES["condense"])
    assert "Planner: 预算一般包括哪些费用?\nCehua: 根据指南原文：场地费用、物料费用和人员费用。[1]" in text
    assert text.endswith("Latest message: 那风险呢?\n\nStandalone question:")


def test_a_missing_variable_is_an_error() -> None:
    from jinja2 import UndefinedError

    with pytest.raises(UndefinedError):
        render("answer", passages=_PASSAGES, language="English")
