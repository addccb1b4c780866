"""Labelled questions as precedents: a question put like an earlier one is answered where that one was."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowledge.base import KnowledgeBase
from knowledge.evaluate import is_hit
from knowledge.index import Generation
from knowledge.precedents import (
    MIN_SIMILARITY,
    Precedent,
    Precedents,
    load_precedents,
    normalized,
    precedent,
    precedents_in_use,
    using,
)
from tests.knowledge.conftest import offline_settings, two_guide_home

FREQUENCY = "8.2.3监控频率\n根据活动规模和重要性,确定监控频率,如每小时、每天、每周等。"


def _precedents() -> Precedents:
    return Precedents([
        Precedent("活动期间多久要检查一次进度", (normalized("每小时、每天、每周"),), "g1"),
        Precedent("活动期间多久检查一次进度啊", (normalized("每小时、每天、每周"),), "g1"),  # a rephrasing
        Precedent("选促销策略要看哪些依据", (normalized("根据企业的资金、人力、物力等资源状况"),), "g2"),
        Precedent("活动预算一般包括哪些费用", (normalized("场地租赁费"),), "g3"),
    ])


def test_a_question_put_like_a_labelled_one_finds_it_once_per_group() -> None:
    found = _precedents().nearest("活动数据大概多久盯一次比较合适")
    assert [p.group for p, _ in found][:1] == ["g1"]
    assert len({p.group for p, _ in found}) == len(found)
    assert all(similarity >= MIN_SIMILARITY for _, similarity in found)


def test_a_passage_counts_the_similarity_of_the_nearest_precedent_it_answers() -> None:
    found = _precedents().nearest("活动数据大概多久盯一次比较合适")
    assert precedent(found, normalized(FREQUENCY)) == pytest.approx(found[0][1])
    assert precedent(found, normalized("3.2.3企业资源\n选择可行的促销策略。")) == 0.0


@pytest.mark.parametrize("question", ["红烧肉一般怎么做好吃", "员工工资可以分两次发吗"])
def test_a_question_sharing_only_how_questions_are_put_finds_no_shipped_precedent(question: str) -> None:
    assert load_precedents().nearest(question) == []


def test_the_shipped_precedents_answer_in_the_guidebooks_phrases() -> None:
    shipped = load_precedents()
    assert len(shipped.items) > 1000
    assert all(p.answers and all(a == normalized(a) for a in p.answers) for p in shipped.items)


@pytest.mark.parametrize(("question", "expect"), [
    # 牌子 for 品牌: asked like planner-dev7's 「想让更多人知道我们这个牌子」, answered by 1.2.2 品牌推广目标
    ("想让更多人认识我们的牌子,活动目标怎么定?", "提升品牌知名度和美誉度"),
])
def test_a_paraphrase_of_a_labelled_question_ranks_its_answer_first(kb: KnowledgeBase, question: str,
                                                                    expect: str) -> None:
    passages = kb.search(question, 5).passages
    assert is_hit(passages[0].text, [expect]), [p.section for p in passages]


def test_a_search_carries_its_precedents_for_the_answer_but_not_to_api_users(kb: KnowledgeBase) -> None:
    result = kb.search("活动数据大概多久盯一次啊,谢谢", 5)
    assert result.precedents and all(similarity >= MIN_SIMILARITY for _, similarity in result.precedents)
    assert "precedents" not in result.model_dump() and "precedents" not in result.model_dump_json()
    assert kb.search("What are the rules of chess?", 5).precedents == []  # nothing labelled is asked alike


@pytest.mark.parametrize(("question", "expect"), [
    # read 一旦 价格，消费者 价格: asked like relevance_extra_train's 「价格调整以后怎么让消费者接受」 (6.3.2)
    ("Once prices go up, how do we get shoppers to go along with the new price?", "提高消费者对价格调整的认同度"),
    # read 多久 客户 回复 送给 反馈: asked like planner_train's 「客户反馈多久要给回复」 (8.3.3)
    ("How soon do we owe customers a reply after they send feedback?", "24小时内给予回复"),
])
def test_an_english_question_is_compared_with_the_labelled_chinese_questions_by_its_reading(
        kb: KnowledgeBase, question: str, expect: str) -> None:
    result = kb.search(question, 5)
    assert result.precedents and all(p.text for p, _ in result.precedents)  # English precedents keep no text
    assert is_hit(result.passages[0].text, [expect]), [p.section for p in result.passages]


def test_a_labelled_english_question_is_no_precedent_but_an_english_question_is_compared() -> None:
    from knowledge.precedents import alike_text, labelled_text

    assert labelled_text("How soon do we reply?", "多久 回复", "") == ""
    assert alike_text("多久 回复", "").strip() == "多久 回复"
    assert labelled_text("客户反馈多久要给回复", "客户反馈多久要给回复", "") == alike_text("客户反馈多久要给回复", "")


def test_a_fit_puts_its_own_precedents_in_use_for_a_block_only(kb: KnowledgeBase) -> None:
    chosen = _precedents()
    with using(chosen):
        assert precedents_in_use() is chosen
        found = kb.search("活动期间多久要检查一次进度", 5).precedents
        assert found and {p.group for p, _ in found} <= {"g1", "g2", "g3"}
    assert precedents_in_use() is load_precedents()


def test_the_quote_fit_never_compares_a_question_with_its_own_group() -> None:
    from tests.bench.fit_quotes import others_precedents

    others = others_precedents()
    group = load_precedents().items[0].group
    assert group not in {p.group for p in others(group).items}
    assert len(others(group).items) > len(load_precedents().items) // 2


def _generation(kb: KnowledgeBase) -> Generation:
    generation = kb.loaded().generation
    assert generation is not None
    return generation


def _row_holding(generation: Generation, phrase: str) -> int:
    (row,) = [r for r in range(len(generation.chunks)) if phrase in "".join(generation.lower_texts[r].split())]
    return row


def test_a_precedents_answer_passage_is_a_candidate_even_when_no_question_word_reaches_it(shared_kb: KnowledgeBase) -> None:
    generation = _generation(shared_kb)
    ask = "红烧肉一般怎么做好吃"  # no word of it leads BM25 or dense search to 8.2.3 监控频率
    labelled = Precedents([Precedent(ask, (normalized("每小时、每天、每周"),), "g1")])
    row = _row_holding(generation, normalized("每小时、每天、每周"))
    assert row not in {c.row for c, _ in generation.candidates(ask, alike=ask, precedents=Precedents([]))}
    measured = {c.row: m for c, m in generation.candidates(ask, alike=ask, precedents=labelled)}
    assert measured[row]["precedent"] == pytest.approx(1.0)
    assert measured[row]["bm25_rank"] == 0.0 and measured[row]["dense_rank"] == 0.0


def test_a_precedent_whose_answer_many_passages_hold_brings_none(shared_kb: KnowledgeBase) -> None:
    generation = _generation(shared_kb)
    ask = "红烧肉一般怎么做好吃"
    common = Precedents([Precedent(ask, ("活动",), "g1")])  # 活动 is in most passages: it names none
    assert generation.answer_rows(common.nearest(ask)) == []


def test_precedents_bring_passages_only_where_their_answers_are_written(shared_kb: KnowledgeBase,
                                                                         tmp_path: Path) -> None:
    neighbours = load_precedents().nearest("活动数据大概多久盯一次比较合适")
    bundled = _generation(shared_kb)
    assert _row_holding(bundled, normalized("每小时、每天、每周")) in bundled.answer_rows(neighbours)
    other = _generation(KnowledgeBase(offline_settings(two_guide_home(tmp_path / "other"))))
    assert other.answer_rows(neighbours) == []


def test_a_passage_is_scored_by_every_labelled_question_it_answers_together() -> None:
    labelled = _precedents()
    held = {normalized("每小时、每天、每周"): [0], normalized("根据企业的资金、人力、物力等资源状况"): [1],
            normalized("场地租赁费"): [2]}
    profiles = labelled.profiles(lambda answers: sorted({r for a in answers for r in held.get(a, [])}), 4)
    scores = labelled.asked_like(profiles, "活动数据大概多久盯一次比较合适")
    assert scores.shape == (4,)
    assert scores[0] > max(scores[1], scores[2]) and scores[3] == 0.0  # row 3 answers no labelled question
    assert labelled.asked_like(profiles, "").tolist() == [0.0, 0.0, 0.0, 0.0]  # no words: not compared


def test_a_passage_asked_about_like_the_question_is_measured_for_ranking(shared_kb: KnowledgeBase) -> None:
    generation = _generation(shared_kb)
    ask = "活动数据大概多久盯一次比较合适"
    row = _row_holding(generation, normalized("每小时、每天、每周"))
    measured = {c.row: m for c, m in generation.candidates(ask, alike=ask)}
    assert measured[row]["asked_like"] == max(m["asked_like"] for m in measured.values()) > 0.3
