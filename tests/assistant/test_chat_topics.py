"""Abstentions say plainly that the guidebooks do not cover a question, and suggest only what is related."""

from __future__ import annotations

from assistant import script_boundary
from assistant.chat.messages import WRITTEN, abstention
from assistant.chat.service import ChatService
from assistant.chat.topics import covered_topics, related_sections
from core.settings import Settings
from knowledge.passage import Passage, SearchResult

ABSTAIN = "指南中没有涉及这个问题的内容，无法根据指南回答。"
PERFORMANCE = Passage(text="建立完善的绩效考核指标体系。", doc="flow", title="市场营销策略执行流程",
                      section="第8章 销售策略优化 > 8.3 销售激励与绩效评估 > 8.3.2 绩效考核指标体系构建")
TEAMWORK = Passage(text="明确分工。", doc="manage", title="公司营销活动策划",
                   section="四、执行阶段 > 团队协作与分工安排")
SECTIONS = [
    ("促销策略制定", "第一章 活动策划与目标设定"), ("促销策略制定", "第一章 活动策划与目标设定 > 1.1 活动背景分析"),
    ("促销策略制定", "第二章 市场调研与竞争分析"), ("促销策略制定", "第三章 促销策略选择"),
    ("活动管理", "一、概述"), ("活动管理", "二、前期准备"), ("活动管理", "三、策划阶段"),
    ("方案精选", "营销策划活动方案篇1"), ("方案精选", "营销策划活动方案篇2 > 二、活动目的"),
]


def test_a_section_is_related_when_its_heading_names_a_specific_word_of_the_question() -> None:
    assert related_sections("员工绩效面谈怎么做?", [TEAMWORK, PERFORMANCE]) == ["绩效考核指标体系构建"]


def test_general_words_do_not_make_a_section_related() -> None:
    assert related_sections("婚礼流程怎么安排?", [TEAMWORK, PERFORMANCE]) == []


def test_covered_topics_take_chapters_from_every_guidebook_in_turn_without_numbering() -> None:
    assert covered_topics(SECTIONS) == ["活动策划与目标设定", "前期准备", "市场调研与竞争分析", "策划阶段", "促销策略选择"]


def test_abstention_wording_in_both_scripts_and_english() -> None:
    assert abstention("zh-Hans", related=["绩效考核指标体系构建"]) == ABSTAIN + "指南中相关的章节有：「绩效考核指标体系构建」。"
    shown = script_boundary.text(abstention("zh-Hant", topics=["促销策略选择", "前期准备"]), "zh-Hant", WRITTEN)
    assert shown == (
        "指南中沒有涉及這個問題的內容，無法根據指南回答。指南涵蓋的主題包括：促銷策略選擇、前期準備等。")
    assert abstention("en", topics=["促销策略选择"]) == (
        "The guidebooks do not cover this question, so Cehua cannot answer it from them. They cover: 促销策略选择.")
    assert abstention("zh-Hans") == ABSTAIN


class _SectionsRetriever:
    """Finds only unrelated passages, and can list the sections of its guidebooks like a KnowledgeBase."""

    def search(self, query: str, k: int = 5) -> SearchResult:
        return SearchResult(query=query, passages=[TEAMWORK], good_match=False, top_score=0.1)

    def sections(self) -> list[tuple[str, str]]:
        return SECTIONS


def test_out_of_scope_answer_lists_what_the_guidebooks_cover_not_what_was_retrieved() -> None:
    answer = ChatService(Settings(), _SectionsRetriever()).ask("怎么给电动车办理年检?")
    assert answer.answer == (ABSTAIN + "指南涵盖的主题包括：活动策划与目标设定、前期准备、市场调研与竞争分析、策划阶段、"
                             "促销策略选择等。")
    assert "公司营销活动策划" not in answer.answer and answer.citations == []
