"""Whether a plan shows its kind: the cut-off on chapters of the kind is fitted on the labelled dev plans
(tests/bench/fit_plan_kind.py writes assistant/plan_kind.json), and a title names a kind only by its words."""

from __future__ import annotations

import pytest

from assistant.validation import kind_cutoff, validate_text
from tests.bench.fit_plan_kind import fit, variants


@pytest.mark.parametrize("text", [
    "# 七夕活动\n\n## 一、活动目的\n\n提升销量。\n",  # 售后's keyword 「315」 read as '' and matched every title
    "# 周年庆\n\n## 一、活动目的\n\n提升销量。\n",
])
def test_a_one_chapter_plan_is_not_judged_by_a_kind_its_title_does_not_name(text: str) -> None:
    validation = validate_text(text)
    assert not validation.kind_known
    assert [f.code for f in validation.findings] == ["plan_kind_unknown"]


def test_a_title_naming_the_kind_still_tells_it() -> None:
    validation = validate_text("# 3·15售后服务方案\n\n## 一、活动目的\n\n减少投诉。\n")
    assert validation.kind_known and validation.template.name == "service"


def test_the_shipped_cut_off_is_the_one_the_dev_plans_give() -> None:
    rows = variants()
    assert len({row.plan for row in rows}) == 17 and len(rows) == 238
    assert kind_cutoff() == fit(rows).min_chapters == 2
