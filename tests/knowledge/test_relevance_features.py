"""The relevance features of a question as planners write it: how much of what it says is in the clause that asks.

A planner often says first what the business is or what happened (「我们是做母婴用品的,…」「活动结束了,…」)
and asks a short clause after it. ``topic_share`` measures the asking clause's part of the question's
informativeness, so the model can learn how far to read coverage of the context words (``coverage_all``)
as evidence, instead of reading every context word the passages lack as a miss.
"""

from __future__ import annotations

import pytest

from knowledge.base import KnowledgeBase
from knowledge.relevance import FEATURES, Term, features_for
from knowledge.retriever import evidence_for


def _term(text: str, weight: float, role: str) -> Term:
    return Term(text, weight, role, known_in_corpus=True, known_in_general=True)


def _same(word: str) -> tuple[str, ...]:
    return (word,)


def test_topic_share_is_the_asking_clauses_part_of_what_the_question_says() -> None:
    passages, docs = ["满减门槛一般按客单价定"], ["a"]
    asked = [_term("满减", 6.0, "topic"), _term("门槛", 4.0, "topic")]
    assert features_for(asked, passages, docs, 0.5, 0.5, _same)["topic_share"] == 1.0
    shop = [*asked, _term("奶茶", 5.0, "context"), _term("店", 5.0, "context")]
    assert features_for(shop, passages, docs, 0.5, 0.5, _same)["topic_share"] == pytest.approx(0.5)


def test_a_question_with_no_words_to_weigh_counts_as_all_asked() -> None:
    assert features_for([], ["满减门槛"], ["a"], 0.0, 0.0, _same)["topic_share"] == 1.0


def test_topic_share_is_a_feature_the_model_weighs() -> None:
    assert "topic_share" in FEATURES


def _share(kb: KnowledgeBase, question: str) -> float:
    generation = kb.loaded().generation
    assert generation is not None
    return evidence_for(generation, question, frozenset())[1]["topic_share"]


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


def test_thanks_and_fillers_do_not_change_the_asks_share(shared_kb: KnowledgeBase) -> None:
    assert _share(shared_kb, "嗯,那个,满减门槛怎么定?谢谢") == 1.0
