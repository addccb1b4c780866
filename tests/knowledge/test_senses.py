"""Which of the dictionary's Chinese words an English word means: the fitted sense model, the question's other
words (word vectors) and guidebook words standing in for words the guidebooks never use."""

from __future__ import annotations

import json

import numpy as np
import pytest

from core.errors import DocumentError
from knowledge import cedict, senses
from knowledge.glossary import read_english
from knowledge.senses import FEATURES, SenseModel, Senses, default_model
from knowledge.wordvectors import WordVectors

MODEL = SenseModel({"main": 0.4, "zipf": 0.7, "known": 0.7, "uses": 1.0, "position": 0.0, "share": 0.0}, context=2.0,
                   stand_in=0.75)


def _vectors(rows: dict[str, list[float]]) -> WordVectors:
    rows = rows or {"无关": [0.0, 0.0, 0.0, 1.0]}
    matrix = np.array([row + [0.0] * (4 - len(row)) for row in rows.values()], dtype=np.float32)
    return WordVectors(list(rows), matrix / np.linalg.norm(matrix, axis=1, keepdims=True))


def _uses(counts: dict[str, int]):  # type: ignore[no-untyped-def]
    return lambda word: counts.get(word, 0)


def test_the_word_the_guidebooks_use_beats_the_dictionarys_main_sense() -> None:
    # "credit": 信贷 is CC-CEDICT's main sense, 信用 the word the guidebooks write (渠道信用).
    ranked = Senses(_uses({"信用": 3}), MODEL, _vectors({})).rank((("信贷", True), ("信用", False)))
    assert ranked[0] == "信用"


def test_the_questions_other_words_choose_between_words_the_guidebooks_never_use() -> None:
    vectors = _vectors({"节省": [1, 0.2], "拯救": [0, 1], "折扣": [1, 0]})
    uses = _uses({})  # the guidebooks use neither, nor anything near them
    candidates = (("拯救", False), ("节省", False))  # same features but for meaning
    assert Senses(uses, MODEL, vectors).rank(candidates, context=["折扣"])[0] == "节省"
    assert Senses(uses, MODEL, vectors).rank(candidates)[0] == "拯救"  # dictionary order without context


def test_a_guidebook_word_near_enough_in_meaning_stands_in() -> None:
    vectors = _vectors({"预知": [1, 0.1], "预见": [1, 0.2], "财务": [0.5, 1]})
    model = MODEL
    found = Senses(_uses({"预见": 2, "财务": 7}), model, vectors).rank((("预知", True),))
    assert found == ("预见", "预知")
    # 出纳 is nearest to 财务, but not near enough to mean it: it stays itself, a word the guidebooks never use.
    far = _vectors({"出纳": [1, 0], "财务": [0.5, 1]})
    assert Senses(_uses({"财务": 7}), model, far).rank((("出纳", True),)) == ("出纳",)


def test_every_form_of_a_word_gives_candidates() -> None:
    # "orders" alone is glossed 训示 (instructions); "order" gives 订单 too.
    words = [word for word, _ in cedict.word_senses(("orders", "order"))]
    assert "订单" in words and "训示" in words


def test_a_question_reads_dictionary_words_by_their_senses() -> None:
    guide = {"信用": 4, "渠道": 20, "控制": 6}
    translation = read_english("How do we control channel credit?", lambda w: w in guide,
                               senses=Senses(_uses(guide), MODEL, _vectors({})))
    assert dict(translation.matches)["credit"][0] == "信用"


def test_the_bundled_model_has_every_feature(tmp_path, monkeypatch) -> None:
    model = default_model()
    assert set(model.weights) == set(FEATURES) and model.context >= 0 and 0 < model.stand_in <= 1
    broken = tmp_path / "senses_model.json"
    broken.write_text(json.dumps({"weights": {"main": 1}}), encoding="utf-8")
    monkeypatch.setattr(senses, "MODEL_PATH", broken)
    default_model.cache_clear()
    try:
        with pytest.raises(DocumentError, match="fit_senses.py"):
            default_model()
    finally:
        default_model.cache_clear()


def test_a_candidate_whose_glosses_mostly_mean_another_english_word_counts_less() -> None:
    # 品牌 is "brand name, trademark": "trademark" stands second and is a small share of their English use;
    # 商标 is "trademark, logo".
    brand_at, brand_share = cedict.glossed("品牌", ("trademark",))
    mark_at, mark_share = cedict.glossed("商标", ("trademark",))
    assert mark_at == 0 < brand_at and mark_share > brand_share
    assert cedict.glossed("品牌", ("weather",))[1] == cedict.NOT_GLOSSED
    by_glosses = SenseModel({**dict.fromkeys(FEATURES, 0.0), "position": -1.0, "share": 1.0}, 0.0, 0.75)
    ranked = Senses(_uses({"品牌": 50}), by_glosses, _vectors({})).rank((("品牌", False), ("商标", True)),
                                                                         english=("trademark",))
    assert ranked[0] == "商标"


def test_the_words_a_clipping_may_stand_for_are_chosen_by_the_words_written_with_them() -> None:
    guide = {"节日": 3, "喜庆": 2, "布置": 5}
    rows = {"节日": frozenset({1}), "喜庆": frozenset({2}), "布置": frozenset({2, 3})}
    senses = Senses(_uses(guide), MODEL, _vectors({}), rows=lambda w: rows.get(w, frozenset()))
    assert senses.together("喜庆", ["布置", "节日"]) == 1 and senses.together("节日", ["布置"]) == 0
    read = read_english("how do we decorate for the fest", guide.__contains__, senses=senses)
    # festive (喜庆) is written beside 布置 (decorate); festival (节日), the commoner English word, is not
    assert dict(read.matches)["fest"] == ("喜庆",)
    alone = read_english("how do we decorate for the fest", guide.__contains__,
                         senses=Senses(_uses(guide), MODEL, _vectors({})))
    assert dict(alone.matches)["fest"] == ("节日",)
