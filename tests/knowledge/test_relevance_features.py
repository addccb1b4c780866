"""The relevance features of a question as planners write it: how far a short ask leans on the context before it.

A planner often says first what the business is or what happened (「我们是做母婴用品的,…」「3·15前后做售后
服务活动,…」) and asks a short clause after it. ``topic_share`` is the asking clause's part of the question's
informativeness; ``context_lean`` counts the context words the passages hold as far as the ask leans on them,
so a context the passages lack costs nothing and one they hold speaks for a short ask.
"""

from __future__ import annotations

import pytest

from knowledge.base import KnowledgeBase
from knowledge.relevance import FEATURES, Term, features_for, topic_share
from knowledge.retriever import evidence_for


def _term(text: str, weight: float, role: str) -> Term:
    return Term(text, weight, role, known_in_corpus=True, known_in_general=True)


def _same(word: str) -> tuple[str, ...]:
    return (word,)


ASKED = [_term("满减", 6.0, "topic"), _term("门槛", 4.0, "topic")]


def test_topic_share_is_the_asking_clauses_part_of_what_the_question_says() -> None:
    assert topic_share(ASKED) == 1.0
    assert topic_share([*ASKED, _term("奶茶", 5.0, "context"), _term("店", 5.0, "context")]) == pytest.approx(0.5)
    assert topic_share([]) == 1.0


def test_context_the_passages_hold_counts_as_far_as_the_ask_leans_on_it() -> None:
    passages, docs = ["售后服务活动的目的一般是提升满意度"], ["a"]
    short_ask = [_term("目的", 2.0, "topic"), _term("售后服务", 6.0, "context"), _term("活动", 2.0, "context")]
    assert features_for(short_ask, passages, docs, 0.5, 0.5, _same)["context_lean"] == pytest.approx(0.8)
    own_ask = [_term("红烧肉", 8.0, "topic"), _term("售后服务", 2.0, "context")]
    assert features_for(own_ask, passages, docs, 0.5, 0.5, _same)["context_lean"] == pytest.approx(0.2)


def test_context_the_passages_lack_and_no_context_count_nothing() -> None:
    passages, docs = ["满减门槛一般按客单价定"], ["a"]
    assert features_for(ASKED, passages, docs, 0.5, 0.5, _same)["context_lean"] == 0.0
    shop = [*ASKED, _term("母婴用品", 9.0, "context")]
    assert features_for(shop, passages, docs, 0.5, 0.5, _same)["context_lean"] == 0.0


def test_context_lean_is_a_feature_the_model_weighs() -> None:
    assert "context_lean" in FEATURES


def _features(kb: KnowledgeBase, question: str) -> dict[str, float]:
    generation = kb.loaded().generation
    assert generation is not None
    return evidence_for(generation, question, frozenset())[1]


def _share(kb: KnowledgeBase, question: str) -> float:
    generation = kb.loaded().generation
    assert generation is not None
    from knowledge.retriever import _analysis

    return topic_share(generation.terms(_analysis(generation, question)))


@pytest.mark.parametrize(("plain", "longer", "longest"), [
    ("满减门槛怎么定?", "我们是一家奶茶店,满减门槛怎么定?", "我们是一家奶茶店,开在大学城旁边,老板让我做方案,满减门槛怎么定?"),
    ("What should a product launch plan include?", "We sell skincare online. What should a product launch plan include?",
     "We sell skincare online and our boss wants a proposal by Friday. What should a product launch plan include?"),
    ("會員制度要點樣設計?", "我哋係賣保健品嘅,會員制度要點樣設計?", "我哋係賣保健品嘅,開咗三間舖,老細叫我諗方案,會員制度要點樣設計?"),
])
def test_the_more_a_planner_says_before_asking_the_smaller_the_asks_share(
        shared_kb: KnowledgeBase, plain: str, longer: str, longest: str) -> None:
    shares = [_share(shared_kb, q) for q in (plain, longer, longest)]
    assert shares[0] == 1.0
    assert 1.0 > shares[1] > shares[2] > 0.0, shares


def test_a_clause_the_ask_points_back_at_is_part_of_the_ask(shared_kb: KnowledgeBase) -> None:
    # 「这个」 points back: 联合促销 is what is asked, though it stands in the clause before.
    assert _share(shared_kb, "老板想跟隔壁品牌搞个联合促销,这个到底是啥意思") == 1.0
    assert _features(shared_kb, "老板想跟隔壁品牌搞个联合促销,这个到底是啥意思")["context_lean"] == 0.0


def test_thanks_and_fillers_are_no_context(shared_kb: KnowledgeBase) -> None:
    assert _share(shared_kb, "嗯,那个,满减门槛怎么定?谢谢") == 1.0


def test_a_short_ask_leans_on_a_context_the_guidebooks_write_more_than_on_one_they_lack(shared_kb: KnowledgeBase) -> None:
    # The same short ask after a context the guidebooks hold (售后服务活动) and one they never write (宠物殡葬).
    held = _features(shared_kb, "我们要做售后服务活动,目的一般怎么写?")["context_lean"]
    lacking = _features(shared_kb, "我们要做宠物殡葬,目的一般怎么写?")["context_lean"]
    assert held > lacking
