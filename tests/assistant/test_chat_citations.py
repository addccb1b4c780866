"""Citation markers in model replies: normalized, checked against the passages, also mid-stream."""

from __future__ import annotations

import pytest

from assistant import script_boundary
from assistant.chat.citations import MarkerFilter, citation_for, normalize_markers
from knowledge.passage import Passage


@pytest.mark.parametrize(("text", "expected", "cited"), [
    ("场地费用[1]。", "场地费用[1]。", [1]),
    ("场地[2]和物料[1]", "场地[2]和物料[1]", [2, 1]),
    ("见[1,3]与【2】", "见[1][3]与[2]", [1, 3, 2]),
    ("见[1、2]和[1，2]", "见[1][2]和[1][2]", [1, 2]),
    ("编造的来源[7]。", "编造的来源。", []),
    ("[0][4][3]", "[3]", [3]),
    ("见[1-3]和[2–2]", "见[1][2][3]和[2]", [1, 2, 3]),
    ("[2-9]", "[2][3]", [2, 3]),
    ("数组写法 a[i] 不是引用", "数组写法 a[i] 不是引用", []),
    ("场地［2］和物料［１］", "场地[2]和物料[1]", [2, 1]),
    ("编造的【15】与［9］", "编造的与", []),
])
def test_markers_are_normalized_and_those_naming_no_passage_dropped(text: str, expected: str, cited: list[int]) -> None:
    assert normalize_markers(text, valid=3) == (expected, cited)


@pytest.mark.parametrize("chunks", [
    ["预算包括场地[", "1", "]和人员[9", "]费用。"],
    ["预算包括场地[1-", "1]和人员[9", "]费用。"],
    ["预算包括场地[1]和人员[9]费用。"],
    list("预算包括场地[1]和人员[9]费用。"),
    ["预算包括场地［", "1］和人员［1", "5］费用。"],
])
def test_filter_checks_markers_split_across_chunks(chunks: list[str]) -> None:
    markers = MarkerFilter(valid=2)
    out = list(markers.run(iter(chunks)))
    assert "".join(out) == "预算包括场地[1]和人员费用。"
    assert markers.cited == [1]


def test_filter_does_not_hold_back_ordinary_brackets_forever() -> None:
    markers = MarkerFilter(valid=2)
    first = markers.feed("列表 [a]")
    assert first == "列表 [a]"
    assert markers.feed("[1") == ""
    assert markers.feed("] 完") == "[1] 完"
    assert markers.flush() == ""


def test_unclosed_marker_at_the_end_is_released_as_text() -> None:
    markers = MarkerFilter(valid=2)
    assert markers.feed("结尾[2") == "结尾"
    assert markers.flush() == "[2"
    assert markers.cited == []


def test_citation_text_is_cut_and_in_the_askers_script() -> None:
    passage = Passage(text="预算" * 200, doc="d", title="促销指导书", section="第四章 预算", start=5, end=405)
    citation = script_boundary.citations([citation_for(2, passage)], "zh-Hant")[0]
    assert citation.n == 2
    assert citation.text == "預算" * 120 + "…"
    assert (citation.title, citation.section, citation.doc, citation.start, citation.end) == (
        "促銷指導書", "第四章 預算", "d", 5, 405)
