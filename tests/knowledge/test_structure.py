"""Headings are recovered with their hierarchy, with or without line breaks, and chunks follow sections."""

from __future__ import annotations

from knowledge.base import bundled_guidebooks
from knowledge.chunk import chunk_source
from knowledge.clean import clean_text
from knowledge.structure import find_sections


def _paths(text: str) -> list[str]:
    cleaned = clean_text(text)
    return [" > ".join(s.path) for s in find_sections(cleaned.simplified, cleaned.toc_titles)]


def test_toc_titles_locate_headings_glued_to_body_text() -> None:
    path = next(p for p in bundled_guidebooks() if p.name.startswith("000_"))
    doc = chunk_source("000", path.read_text(encoding="utf-8"), "k")
    chunk = next(c for c in doc.chunks if "打折、优惠券、限时特价" in c.text)
    assert chunk.section == "第三章 促销策略选择 > 3.1 促销策略类型 > 3.1.1 价格促销策略"
    assert chunk.text.startswith("3.1.1价格促销策略\n价格促销策略是通过调整产品价格")
    assert "3.1.2" not in chunk.text  # one section per chunk
    source = path.read_text(encoding="utf-8")
    assert source[chunk.start:chunk.end].startswith("3.1.1價格促銷策略")


def test_line_headings_in_several_numbering_styles_nest_by_first_use() -> None:
    text = "\n".join([
        "七夕活动方案篇1", "一、活动目的", "提升门店客流和销售额,加强品牌印象。", "1、目标人群",
        "年轻情侣和学生群体是主要参与者。", "2、活动时间", "七夕前后三天,覆盖周末客流高峰。",
        "二、活动内容", "现场抽奖和情侣合影,赠送玫瑰礼盒。", "七夕活动方案篇2", "一、活动背景",
        "夏季客流下降,需要主题活动拉动消费。",
    ])
    assert _paths(text) == [
        "七夕活动方案篇1", "七夕活动方案篇1 > 一、活动目的", "七夕活动方案篇1 > 一、活动目的 > 1、目标人群",
        "七夕活动方案篇1 > 一、活动目的 > 2、活动时间", "七夕活动方案篇1 > 二、活动内容",
        "七夕活动方案篇2", "七夕活动方案篇2 > 一、活动背景",
    ]


def test_markdown_headings_give_the_path() -> None:
    text = "# 促销手册\n\n## 价格促销\n\n打折、满减和优惠券是常见手段。\n\n## 会员促销\n\n积分兑换与专享折扣。\n"
    assert _paths(text)[-2:] == ["促销手册 > 价格促销", "促销手册 > 会员促销"]


def test_inline_chapters_without_line_breaks_or_toc() -> None:
    body = "市场营销活动指南第一章活动目标1.1销售目标设定销售额和市场份额目标,保证可衡量。" * 1
    body += "1.2品牌目标通过活动提升品牌知名度和美誉度,增强忠诚度。" + "第二章渠道策略2.1线上渠道社交媒体与搜索引擎推广。" * 1
    body = body + "补充说明。" * 80  # a long unbroken line, as scraped pages are
    paths = _paths(body)
    assert "第一章 活动目标 > 1.1 销售目标设定销售额和市场份额目标" in paths
    assert any(p.startswith("第二章 渠道策略 > 2.1 线上渠道社交媒体与搜索引擎推广") for p in paths)


def test_bundled_documents_have_titles_and_section_paths() -> None:
    titles = {}
    for path in bundled_guidebooks():
        doc = chunk_source(path.stem, path.read_text(encoding="utf-8"), "k")
        titles[path.name[:3]] = doc.title
        with_path = sum(1 for c in doc.chunks if c.section)
        assert with_path >= len(doc.chunks) - 1, path.name
        assert all(c.end > c.start for c in doc.chunks)
    assert titles["000"] == "市场营销活动促销策略制定作业指导书"
    assert titles["004"] == "营销策划活动方案精选6篇"


def test_word_or_html_headings_nest_numbered_lines_under_them() -> None:
    text = "# 促销手册\n一、活动目的\n提升品牌知名度和销售额,扩大影响。\n二、活动对象\n年轻白领与学生。\n"
    assert _paths(text) == ["促销手册", "促销手册 > 一、活动目的", "促销手册 > 二、活动对象"]


def test_passages_of_a_markdown_guidebook_carry_no_heading_marks() -> None:
    """「# 门店活动指南」 was quoted as it was written, marks and all (「- # 门店活动指南」 in an answer's list)."""
    from knowledge.chunk import chunk_source

    text = ("# 门店活动指南\n\n## 一、活动前准备\n\n活动前两周确定主题和预算，准备物料和人员分工。\n\n"
            "## 二、现场执行\n\n现场要有专人负责签到、引导和应急处理，活动结束后及时复盘。\n")
    chunks = chunk_source("guide", text, "k" * 12).chunks
    assert [c.text.split("\n")[0] for c in chunks] == ["门店活动指南", "二、现场执行"]
    assert not any("#" in c.text for c in chunks)
    assert [c.section for c in chunks] == ["门店活动指南 > 一、活动前准备", "门店活动指南 > 二、现场执行"]
