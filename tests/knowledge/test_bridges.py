"""Bridges from a question's words to the index's words by meaning, the soft coverage feature built on them,
and search finding a passage that shares no word with the question."""

from __future__ import annotations

import numpy as np
import pytest

from knowledge.base import KnowledgeBase
from knowledge.bridges import Bridges, soft_coverage
from knowledge.relevance import Term
from knowledge.synonyms import alternatives
from knowledge.wordvectors import WordVectors


def _vectors() -> WordVectors:
    """Made-up unit vectors: 下雨 is near 天气 (0.8) and a little near 气候 (0.6), far from 价格."""
    rows = {
        "下雨": [1.0, 0.0, 0.0],
        "天气": [0.8, 0.6, 0.0],
        "气候": [0.6, 0.8, 0.0],
        "价格": [0.0, 0.0, 1.0],
        "涨价": [0.1, 0.0, 0.995],
    }
    matrix = np.array(list(rows.values()), dtype=np.float32)
    matrix /= np.linalg.norm(matrix, axis=1, keepdims=True)
    return WordVectors(list(rows), matrix)


def _term(text: str, weight: float = 1.0) -> Term:
    return Term(text, weight, "topic", known_in_corpus=False, known_in_general=True)


def test_a_word_bridges_to_the_index_words_near_it_nearest_first() -> None:
    bridges = Bridges(["天气", "气候", "价格", "a1", "活"], _vectors())  # Latin tokens and single characters are no words
    assert bridges.words == ["天气", "气候", "价格"]
    near = bridges.near("下雨")
    assert [word for word, _ in near] == ["天气", "气候"]  # 价格 (0.0) is below MIN_SIMILARITY
    assert near[0][1] == pytest.approx(0.8, abs=1e-3) and near[1][1] == pytest.approx(0.6, abs=1e-3)
    assert bridges.near("没见过的词") == ()
    assert bridges.near("价格") == ()  # itself excluded, nothing else near


def test_soft_coverage_counts_a_written_word_fully_and_a_near_one_by_its_similarity() -> None:
    bridges = Bridges(["天气", "气候", "价格"], _vectors())
    rain, price = _term("下雨"), _term("价格", weight=3.0)
    assert soft_coverage([rain], "遇到下雨要有预案", alternatives, bridges.near) == 1.0
    assert soft_coverage([rain], "天气变化要有预案", alternatives, bridges.near) == pytest.approx(0.8, abs=1e-3)
    assert soft_coverage([rain], "气候不好时", alternatives, bridges.near) == pytest.approx(0.6, abs=1e-3)
    assert soft_coverage([rain], "与此无关", alternatives, bridges.near) == 0.0
    # weighted by how much each word says: 价格 written (3), 下雨 by 天气 (0.8 × 1)
    assert soft_coverage([rain, price], "天气与价格", alternatives, bridges.near) == pytest.approx(3.8 / 4, abs=1e-3)
    assert soft_coverage([], "天气", alternatives, bridges.near) == 0.0


def test_search_finds_the_passage_written_in_other_words(shared_kb: KnowledgeBase) -> None:
    """下雨 is no word of the guidebooks; the passage on risks names 天气变化 (general-language vectors: near)."""
    generation = shared_kb.loaded().generation
    assert generation is not None
    assert not generation.known("下雨")
    assert "天气" in [word for word, _ in generation.bridges.near("下雨")]
    passages = shared_kb.search("户外路演要是碰上下雨怎么办", 10).passages
    assert any("天气变化" in p.text for p in passages), [p.section for p in passages]
