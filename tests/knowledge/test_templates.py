"""Plan templates: loading, listing, and recognising chapter headings in either script."""

from __future__ import annotations

import json

import pytest

from core.errors import NotFoundError
from core.text.numbering import strip_numbering
from knowledge.templates import (
    HEADING_SYNONYMS,
    chapter_kind,
    english_heading_words,
    english_reading,
    heading_synonyms_from_cedict,
    list_templates,
    load_template,
    narrower_synonyms_from_cedict,
)


def test_bundled_templates_are_listed() -> None:
    assert list_templates() == ["annual", "channel", "event", "promotion", "service"]


def test_unknown_template_names_the_available_ones() -> None:
    with pytest.raises(NotFoundError) as exc:
        load_template("wedding")
    assert str(exc.value) == "unknown plan template 'wedding': use one of annual, channel, event, promotion, service"


def test_promotion_template_requires_the_event_plan_chapters() -> None:
    template = load_template("promotion")
    assert [c.key for c in template.required] == [
        "background", "audience", "timeline", "channels", "offer", "budget", "risk", "evaluation"]
    # The theme is drafted and tells a promotion, but planners leave it out (a third of the labelled plans).
    assert [(c.key, c.drafted, c.shows_kind) for c in template.chapters if not c.required] == [
        ("theme", True, True), ("service", False, False), ("staffing", False, False), ("venue", False, False)]
    assert template.chapter("timeline").phases == ["筹备", "预热", "执行", "总结"]
    for chapter in template.chapters:
        assert set(chapter.title) == {"zh-Hans", "zh-Hant", "en"}
        assert chapter.purpose


def test_annual_template_has_strategy_chapters() -> None:
    template = load_template("annual")
    keys = [c.key for c in template.chapters]
    assert keys[:3] == ["situation", "goals", "positioning"]
    assert {"pricing", "channels", "promotion", "budget", "timeline", "evaluation", "risk"} <= set(keys)


@pytest.mark.parametrize(
    ("heading", "key"),
    [
        ("## 一、活动背景与目标", "background"),
        ("一、活動背景與目標", "background"),
        ("第一章 活动背景", "background"),
        ("1. Background and goals", "background"),
        ("二、活動主題", "theme"),
        ("三、目標客群", "audience"),
        ("(三)目标人群", "audience"),
        ("四、進度安排", "timeline"),
        ("时间安排", "timeline"),
        ("第4部分:时间安排", "timeline"),
        ("## 五、宣传推广", "channels"),
        ("推广渠道", "channels"),
        ("六、产品、价格与促销方式", "offer"),
        ("优惠机制", "offer"),
        ("促銷方式", "offer"),
        ("七、費用預算", "budget"),
        ("经费", "budget"),
        ("推广预算", "budget"),
        ("**预算**", "budget"),
        ("## 八、风险评估与应急预案", "risk"),
        ("應急預案", "risk"),
        ("九、效果評估", "evaluation"),
        ("复盘", "evaluation"),
        ("十、客户服务", "service"),
        ("人员分工", "staffing"),
        ("场地布置", "venue"),
        ("附录", None),
        ("", None),
    ],
)
def test_match_recognises_headings_in_either_script(heading: str, key: str | None) -> None:
    matched = load_template("promotion").match(heading)
    assert (matched.key if matched else None) == key


@pytest.mark.parametrize(
    ("heading", "text"),
    [("## 一、活动背景", "活动背景"), ("第一章 背景", "背景"), ("1.2 目标", "目标"), ("(一)背景", "背景"),
     ("Part 2: Budget", "Budget"), ("三 目标客群", "目标客群")],
)
def test_strip_numbering(heading: str, text: str) -> None:
    assert strip_numbering(heading) == text


def test_a_heading_named_by_a_templates_own_chapter_outweighs_a_partial_alias() -> None:
    # fix19: a Qixi pop-up plan written with the event template's own headings (and no budget yet) was
    # judged a promotion, whose offer chapter's alias 「活动内容」 covers only part of 「活动内容与流程」.
    from knowledge.templates import choose_template

    headings = ["一、活动目的", "二、活动主题", "三、活动时间与地点", "四、参与对象", "五、活动内容与流程", "六、宣传推广",
                "七、人员安排", "八、应急预案", "九、效果评估"]
    assert choose_template("2027七夕商场快闪活动策划", headings).name == "event"
    assert load_template("promotion").covered("五、活动内容与流程") == pytest.approx(4 / 7)
    assert load_template("event").covered("五、活动内容与流程") == 1.0


@pytest.mark.parametrize(("name", "heading", "key"), [
    ("promotion", "一、推廣目的", "background"),  # the event template's 目的, not promotion's 推广
    ("promotion", "肆、時程", "timeline"),  # CC-CEDICT: 时程 "timetable, schedule" is 时间表
    ("promotion", "九、成效檢討", "evaluation"),  # 成效 "effect, result" is 效果
    ("promotion", "三、對象客戶", "audience"),  # 客户 ends 目标客户
    ("annual", "一、2026年回顾", "situation"),
    ("promotion", "活动中", None),  # 活动 opens every kind's aliases: it names none
    ("promotion", "貳、檔期主軸", None),
    # 应变 "meet a contingency" is a sense of 应急: 「應變措施」 is 应急措施, the risk chapter, not the after-sales
    # plan's 措施 (a Hong Kong promotion's contingency plan was reported missing); 「应变方案」 is no alias whole.
    ("promotion", "## 應變措施", "risk"),
    ("event", "七、应变措施", "risk"),
])
def test_a_heading_is_a_chapter_by_what_it_means(name: str, heading: str, key: str | None) -> None:
    found = chapter_kind(load_template(name, copy=False), heading)
    assert (found.key if found is not None else None) == key


def test_the_heading_synonyms_table_is_what_cedict_gives_for_the_templates_aliases() -> None:
    """Stale after a template's aliases (or the glossary) change: run tests/bench/fit_heading_synonyms.py."""
    stored = json.loads(HEADING_SYNONYMS.read_text(encoding="utf-8"))
    assert stored["synonyms"] == heading_synonyms_from_cedict()
    assert stored["english"] == english_heading_words()
    assert stored["narrower"] == narrower_synonyms_from_cedict()


@pytest.mark.parametrize(("name", "heading", "key"), [
    ("promotion", "## Channel plan", "channels"),  # no alias is 'channel': the word is 渠道
    ("promotion", "Risks & contingency", "risk"),
    ("promotion", "KPIs", "evaluation"),  # a plural lemminflect does not know
    ("promotion", "Deals", "offer"),
    ("promotion", "Objectives", "background"),  # a promotion's goals are its background chapter's
    ("annual", "Objectives", "goals"),
    ("channel", "Which dealers", "partners"),
    ("event", "Milestones", "timeline"),
    ("promotion", "What we need", None),  # verbs of asking name no chapter
])
def test_an_english_heading_is_read_in_the_words_it_stands_for(name: str, heading: str, key: str | None) -> None:
    found = chapter_kind(load_template(name, copy=False), heading)
    assert (found.key if found is not None else None) == key


def test_an_english_heading_reads_as_chinese_words_in_its_order() -> None:
    assert english_reading("Risks & contingency") == "风险应急预案"
    assert english_reading("Target audience") == "目标受众"
    assert english_reading("Thanks all") == ""


@pytest.mark.parametrize(("name", "heading", "key"), [
    ("channel", "一、为什么要扩渠道", "background"),
    ("service", "Why we're doing this", "goals"),
])
def test_a_heading_asking_why_is_the_purpose(name: str, heading: str, key: str) -> None:
    found = chapter_kind(load_template(name, copy=False), heading)
    assert found is not None and found.key == key


@pytest.mark.parametrize(("name", "other", "key", "want"), [
    ("promotion", "event", "budget", "budget"),  # the same key doing the same job
    ("promotion", "event", "program", "offer"),  # the event's programme is a promotion's offer (its kind)
    ("service", "promotion", "service", "measures"),  # the service template's first chapter of that kind
    ("promotion", "annual", "promotion", None),  # no promotion chapter does an annual plan's promotion calendar
])
def test_a_chapter_of_another_template_is_the_one_doing_its_job(name: str, other: str, key: str,
                                                                want: str | None) -> None:
    chapter = load_template(other, copy=False).chapter(key)
    found = load_template(name, copy=False).same_job(chapter)
    assert (found.key if found is not None else None) == want
