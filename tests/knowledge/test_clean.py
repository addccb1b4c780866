"""Cleaning removes site furniture, pinyin, TOCs and mojibake, and keeps offsets into the source."""

from __future__ import annotations

import re

import pytest

from knowledge.base import bundled_guidebooks
from knowledge.chunk import chunk_source
from knowledge.clean import clean_text


def test_pinyin_annotations_are_removed_and_offsets_point_into_the_source() -> None:
    source = "市場環(huán)境分析包括內(nèi)容和數(shù)據(jù)。"
    cleaned = clean_text(source)
    assert cleaned.text == "市場環境分析包括內容和數據。"
    assert cleaned.simplified == "市场环境分析包括内容和数据。"
    start = cleaned.text.index("內容")
    src_start, src_end = cleaned.source_span(start, start + 2)
    assert source[src_start:src_end] == "內(nèi)容"
    assert cleaned.removed["pinyin"] == 4


def test_parenthesised_words_that_are_not_pinyin_stay() -> None:
    cleaned = clean_text("遵循SMART原则,即具体(Specific)、可衡量(Measurable),例如搜索引擎优化(SEO)。")
    assert "(Specific)" in cleaned.text and "(SEO)" in cleaned.text


def test_site_boilerplate_lines_and_blocks_are_removed() -> None:
    source = "\n".join([
        "當前位置:簡歷模板館>職場>活動策劃>",
        "活動策劃 閱讀(1.83W)",
        "下面是本站小編爲您分享的方案,感謝您的參閱。",
        "版權說明:本文檔由用戶提供并上傳,收益歸屬內容提供方",
        "指導書范本1_第1頁",
        "已閱讀5頁,還剩12頁未讀, 繼續免費閱讀",
        "一、活動目的",
        "提升品牌知名度,擴大市場份額。",
        "溫馨提示",
        "  • 1. 本站所有資源如無特殊說明,都需要本地電腦安裝OFFICE2007。",
        "最新文檔",
        "- 2025年度城市照明工程合同",
        "- 高中英語必背3500單詞表",
        "評論",
        "0/150",
        "提交評論",
    ])
    cleaned = clean_text(source)
    assert cleaned.text.strip() == "一、活動目的\n提升品牌知名度,擴大市場份額。"


def test_glued_table_of_contents_is_removed_and_its_titles_kept() -> None:
    source = (
        "促銷策略指導書TOC\\o\"1-2\"\\h\\u7682第一章活動策劃 4286941.1活動背景分析 4125601.1.1市場環境分析 "
        "4301031.2活動目標確定 4155931.2.1銷售目標 5"
        "第一章活動策劃1.1活動背景分析1.1.1市場環境分析了解行業發展趨勢。1.2活動目標確定1.2.1銷售目標設定銷售額。"
    )
    cleaned = clean_text(source)
    assert cleaned.title == "促销策略指导书"
    assert cleaned.toc_titles == ["第一章活动策划", "活动背景分析", "市场环境分析", "活动目标确定", "销售目标"]
    assert "TOC" not in cleaned.text
    assert cleaned.text == "促銷策略指導書第一章活動策劃1.1活動背景分析1.1.1市場環境分析了解行業發展趨勢。1.2活動目標確定1.2.1銷售目標設定銷售額。"


def test_mojibake_runs_are_dropped_and_counted() -> None:
    cleaned = clean_text("(3)競爭格局加?。弘娚唐脚_數量迅速增加,市場競爭激烈。消費者會問:價格如何?答案是看成本。")
    assert cleaned.garbled_runs == 1
    assert "娚" not in cleaned.text and "_" not in cleaned.text
    assert "價格如何?答案是看成本" in cleaned.text  # a real question mark is not mojibake


@pytest.fixture(scope="module")
def bundled_chunks() -> list[str]:
    texts = []
    for path in bundled_guidebooks():
        doc = chunk_source(path.stem, path.read_text(encoding="utf-8"), "test")
        texts.extend(c.text for c in doc.chunks)
    return texts


_BOILERPLATE = re.compile(
    r"版权说明|文档简介|下载本文档|已阅读\d+页|_第\d+页|温馨提示|最新文档|提交评论|^评论$|0/150|当前位置|本站小编|"
    r"阅读\([\d.]+W\)|本站所有资源|人人文库"
)
_TOC_ENTRY = re.compile(r"[\u4e00-\u9fff] \d{3,}")
_PINYIN = re.compile(r"[\u4e00-\u9fff]\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,6}\)")


def test_no_boilerplate_toc_or_pinyin_survives_in_any_bundled_chunk(bundled_chunks: list[str]) -> None:
    assert len(bundled_chunks) > 100
    for text in bundled_chunks:
        for line in text.split("\n"):
            assert not _BOILERPLATE.search(line), line
        assert not _TOC_ENTRY.search(text), text[:200]
        assert "TOC\\o" not in text
        assert not _PINYIN.search(text), text[:200]


def test_bundled_garbled_runs_are_counted() -> None:
    counts = {}
    for path in bundled_guidebooks():
        counts[path.stem[:3]] = chunk_source(path.stem, path.read_text(encoding="utf-8"), "t").garbled_runs
    assert counts["003"] >= 3
    assert counts["000"] == 0
