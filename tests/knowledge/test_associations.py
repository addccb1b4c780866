"""The planner-word → guidebook-word table learned from labelled questions, the ranking feature built on it,
and new phrasings (none of them a question the table was learned from) whose answer it brings up."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest

from core.errors import StoreError
from knowledge import associations, cedict
from knowledge.associations import Example, Plausible, association, count, load_table
from knowledge.base import KnowledgeBase
from knowledge.evaluate import is_hit
from knowledge.relevance import Term


def _term(text: str, weight: float = 1.0, role: str = "topic") -> Term:
    return Term(text, weight, role, known_in_corpus=False, known_in_general=True)


def _plausible(pairs: dict[str, tuple[str, ...]]) -> Plausible:
    """Plausible guidebook words from a made-up dictionary (no vectors)."""
    words = {w for alikes in pairs.values() for w in alikes} | {"品质", "活动"}
    return Plausible(words, lambda word: (), lambda word: pairs.get(word, ()))


def _example(question: str, terms: Sequence[str], answer: str, competitors: Sequence[str]) -> Example:
    return Example([_term(t) for t in terms], question, [answer], list(competitors))


def test_a_word_the_answers_write_for_a_question_word_is_learned_and_one_every_passage_writes_is_not() -> None:
    plausible = _plausible({"牌子": ("品牌", "活动")})
    examples = [_example("怎么让更多人知道我们的牌子", ["牌子"], "提升品牌知名度,策划活动", ["策划活动的步骤", "活动预算"]),
                _example("新牌子怎么推广", ["牌子"], "品牌推广的渠道与活动", ["活动执行", "活动总结"])]
    table = count(examples, plausible).table()
    # 品牌: in both answers, in no competitor: 2 of 2 questions, smoothed by one → 2/3. 活动: every passage writes it.
    assert table == {"牌子": {"品牌": 0.6667}}


def test_a_question_word_its_answer_writes_teaches_nothing() -> None:
    plausible = _plausible({"品牌": ("牌子",)})
    counts = count([_example("品牌怎么推广", ["品牌"], "品牌推广的牌子", ["活动执行"])], plausible)
    assert counts.table() == {} and counts.asked["品牌"] == 0


def test_leaving_out_a_part_of_the_questions_forgets_what_only_it_taught() -> None:
    plausible = _plausible({"牌子": ("品牌",), "弱点": ("劣势",)})
    taught_brand = _example("牌子怎么推广", ["牌子"], "品牌推广", ["活动执行"])
    taught_weakness = _example("对手的弱点", ["弱点"], "对手的劣势", ["活动执行"])
    everything = count([taught_brand, taught_weakness], plausible)
    without = (everything - count([taught_weakness], plausible)).table()
    assert without == {"牌子": {"品牌": 0.5}}


def test_plausible_words_are_those_glossed_alike_near_in_meaning_or_sharing_a_character() -> None:
    plausible = Plausible(["细分", "渠道", "市场", "区域", "天气", "品质"], lambda word: [("天气", 0.7), ("市场", 0.3)],
                          lambda word: ("细分", "不在索引"))
    # 细分: glossed alike; 天气: near enough (市场 at 0.3 is not); 区域: shares 区.
    assert plausible("区隔") == {"细分", "天气", "区域"}


def test_cedict_glosses_the_planners_word_and_the_guidebooks_alike() -> None:
    assert "细分" in cedict.glossed_alike("区隔")
    assert "渠道" in cedict.glossed_alike("通路")
    assert cedict.glossed_alike("不是一个词") == ()


def test_the_feature_counts_the_strongest_learned_word_a_passage_writes_for_each_word_it_lacks() -> None:
    table = {"牌子": {"品牌": 0.6, "宣传": 0.2}, "区隔": {"细分": 0.8}}
    terms = [_term("牌子", 2.0), _term("区隔", 1.0), _term("目标", 1.0, "context")]
    assert association(terms, "提升品牌知名度的宣传目标", table) == pytest.approx(2.0 * 0.6 / 4.0)
    assert association(terms, "市场细分与品牌", table) == pytest.approx((2.0 * 0.6 + 0.8) / 4.0)
    assert association(terms, "牌子与细分", table) == pytest.approx(0.8 / 4.0)  # 牌子 is written: nothing to bridge
    assert association([], "品牌", table) == 0.0


def test_the_shipped_table_bridges_planners_words_to_the_guidebooks() -> None:
    table = load_table()
    assert max(table["区隔"], key=table["区隔"].__getitem__) == "细分"
    assert max(table["下雨"], key=table["下雨"].__getitem__) == "天气"
    assert "品牌" in table["牌子"] and "渠道" in table["通路"]


@pytest.mark.parametrize(("question", "answer"), [
    ("按心理区隔客户的话,要看哪些方面?", "个性、生活方式、价值观、兴趣爱好"),
    ("新牌子刚出来,活动的目标要怎么定?", "提升品牌知名度和美誉度"),
    ("市场区隔有哪些常见的方法?", "细分"),
    ("旺季想涨价,可以吗?", "在需求旺盛时,可适当提高价格"),
    ("户外活动遇上下雨要怎么应对?", "天气变化、场地问题、参与人数不足"),
])
def test_a_question_in_the_planners_words_finds_the_answer_written_in_the_guidebooks(shared_kb: KnowledgeBase,
                                                                                   question: str, answer: str) -> None:
    passages = shared_kb.search(question, 5).passages
    assert any(is_hit(p.text, [answer]) for p in passages), [p.section for p in passages]


def test_a_missing_table_names_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(associations, "MODEL_PATH", tmp_path / "associations_model.json")
    load_table.cache_clear()
    try:
        with pytest.raises(StoreError, match="fit_ranking.py"):
            load_table()
    finally:
        monkeypatch.undo()
        load_table.cache_clear()
