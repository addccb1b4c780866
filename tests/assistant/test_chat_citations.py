"""Citation markers in model replies: normalized, checked against the passages, also mid-stream."""

from __future__ import annotations

import pytest

from assistant import script_boundary
from assistant.chat.citations import (
    CITATION_TEXT_CHARS,
    MarkerFilter,
    Numbering,
    citation_for,
    normalize_markers,
    quotes_by_marker,
    shown_text,
)
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


@pytest.mark.parametrize(("text", "expected", "passages"), [
    ("场地[2]和物料[1]", "场地[1]和物料[2]", [2, 1]),
    ("见[3]、[3]与[1,3]", "见[1]、[1]与[2][1]", [3, 1]),
    ("编造的[9]与场地[2]", "编造的与场地[1]", [2]),
])
def test_with_a_numbering_citations_run_1_to_n_in_the_order_first_used(
        text: str, expected: str, passages: list[int]) -> None:
    numbering = Numbering()
    assert normalize_markers(text, 3, numbering)[0] == expected
    assert numbering.passages == passages


def test_a_streamed_reply_is_renumbered_as_it_arrives_and_a_later_answer_goes_on_from_it() -> None:
    numbering = Numbering()
    markers = MarkerFilter(valid=4, numbering=numbering)
    assert "".join(markers.run(iter(["物料[", "4]和场地[2", "]，再看[4]"]))) == "物料[1]和场地[2]，再看[1]"
    assert markers.cited == [4, 2]
    assert normalize_markers("人员[3]与物料[4]", 4, numbering)[0] == "人员[3]与物料[1]"


LONG = ("活动背景说明。" * 30 + "监控频率根据活动规模和重要性确定,如每小时、每天、每周等。" + "后续安排说明。" * 30)


def test_the_shown_window_holds_the_sentence_the_answer_quotes_far_into_a_long_passage() -> None:
    shown = shown_text(LONG, ["根据指南原文：\n监控频率根据活动规模和重要性确定,如每小时、每天、每周等。 "])
    assert "监控频率根据活动规模和重要性确定,如每小时、每天、每周等。" in shown
    assert shown.startswith("…") and shown.endswith("…")
    assert len(shown) == CITATION_TEXT_CHARS + 2


def test_a_quote_in_other_words_is_found_by_the_sentence_it_shares_most_with() -> None:
    shown = shown_text(LONG, ["要按规模和重要性定监控频率,每小时、每天或每周看一次"])
    assert "如每小时、每天、每周等。" in shown


def test_quotes_spread_wider_than_the_window_are_all_shown() -> None:
    text = "开头一句话讲目标。" + "中间说明。" * 80 + "结尾一句话讲预算。"
    shown = shown_text(text, ["开头一句话讲目标。 [1]", "- 结尾一句话讲预算。"])
    assert shown == text


def test_the_citation_window_is_shown_in_the_askers_script_and_quotes_are_matched_in_any_script() -> None:
    passage = Passage(text=LONG, doc="d", title="指导书", section="第八章 监控", start=0, end=len(LONG))
    citation = citation_for(1, passage, ["監控頻率根據活動規模和重要性確定,如每小時、每天、每週等。"])
    assert "监控频率根据活动规模和重要性确定" in citation.text
    shown = script_boundary.citations([citation], "zh-Hant")[0]
    assert "監控頻率根據活動規模和重要性確定" in shown.text


def test_quotes_are_taken_by_the_marker_that_ends_them() -> None:
    answer = "根据指南原文：\n场地费用。 [1]\n- 海报\n- 礼品 [2][1]\n"
    assert quotes_by_marker(answer) == {1: ["根据指南原文：\n场地费用。 ", "\n- 海报\n- 礼品 "],
                                        2: ["\n- 海报\n- 礼品 "]}
