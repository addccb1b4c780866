"""Lists quoted whole and shown around their answering item: an item's long explanation does not end its list, and a
list quoted for the sentence before it is cut around the item the ranker scores highest."""

from __future__ import annotations

import pytest

from assistant.chat.extractive import _anchor_on_answer, _block_for, render_answer
from assistant.chat.passage_units import item_number, item_run, passage_units
from knowledge.passage import Passage

# 「一、」 is explained by five sentences (questions split at each 「?」), then the list goes on with 「二、」.
_RESEARCH = Passage(doc="manage", title="全流程管理", section="二、前期准备 > 市场调研与分析", text=(
    "市场调研与分析的详细内容。一、明确调研目标市场调研的首要任务是明确调研目标。需要解决的关键问题包括:目标市场的规模及增长趋势如何?"
    "主要竞争对手是谁?消费者的需求和偏好是什么?只有明确了这些问题,调研工作才能有的放矢。二、制定调研计划根据调研目标,制定"
    "详细的调研计划。三、收集市场数据开始收集市场数据。"))


def _units(passage: Passage):  # type: ignore[no-untyped-def]
    return passage_units([passage], True)[0]


@pytest.mark.parametrize(("text", "number"), [
    ("(3)阶梯折扣", 3), ("3、调研费用", 3), ("三、收集市场数据", 3), ("c、店内人员", 3), ("③环保设计", 3),
    ("十二、总结", 12), ("1.活动概述", 1), ("活动概述", None), ("abc", None),
])
def test_an_items_number_is_read_in_every_numbering_style(text: str, number: int | None) -> None:
    assert item_number(text) == number


def test_a_long_explanation_does_not_end_the_list_when_the_next_item_is_numbered_on() -> None:
    units = _units(_RESEARCH)
    second = next(u.position for u in units if u.text.startswith("二、"))
    first = next(u.position for u in units if u.text.startswith("一、"))
    last = next(u.position for u in units if u.text.startswith("三、"))
    assert item_run(units, second) == (first, last)
    assert item_run(units, first) == (first, last)
    block = _block_for(units, units[second], True, set())
    assert [item[:2] for item in block.items] == ["一、", "二、", "三、"]
    assert "主要竞争对手是谁" in block.items[0]


def test_sentences_between_items_not_numbered_on_still_end_the_list() -> None:
    # 「一、」 then four sentences, then 「三、」: no 「二、」, so 「三、」 starts a list of its own.
    passage = Passage(doc="d", section="第一章 > 1.1 概述", text=(
        "一、背景市场变化很快。消费者需求多样。竞争日趋激烈。政策支持力度加大。平台数量迅速增加。三、目标提升品牌知名度。"))
    units = _units(passage)
    third = next(u.position for u in units if u.text.startswith("三、"))
    assert item_run(units, third) == (third, third)


def test_a_list_quoted_for_its_lead_in_is_cut_around_the_item_the_ranker_scores_highest() -> None:
    filler = ("确保活动信息覆盖广泛,提高活动知名度和影响力,同时做好记录,为后续的宣传推广策略制定提供数据支撑,并及时复盘,"
              "总结每一个渠道的投入产出,把经验写进下一次活动的方案里,再请各部门一起检查一遍执行的细节和预算。")
    items = "".join(f"{n}.要点{n}:{filler}" for n in range(1, 7))
    passage = Passage(doc="plan", section="三、策划阶段 > 宣传推广策略的制定", text=f"宣传推广主要包括以下几个方面:{items}")
    units = _units(passage)
    lead = units[0]
    block = _block_for(units, lead, True, set())
    assert len(block.items) == 6 and block.anchor_item is None
    assert "5.要点5" not in render_answer([block], "")  # the answer's room ends the list before it
    for unit in units:
        unit.score = 0.9 if unit.text.startswith("5.") else 0.2 if unit.is_item else 0.5
    _anchor_on_answer(block, units)
    assert block.anchor_item == 4
    shown = render_answer([block], "")
    assert "5.要点5" in shown and "4.要点4" not in shown  # an item before it gives way to it


def test_a_list_whose_items_the_ranker_never_scored_keeps_its_order() -> None:
    units = _units(_RESEARCH)
    block = _block_for(units, units[next(u.position for u in units if u.text.startswith("二、"))], True, set())
    block.anchor_item = None
    for unit in units:
        unit.score = 0.0
    _anchor_on_answer(block, units)
    assert block.anchor_item is None
