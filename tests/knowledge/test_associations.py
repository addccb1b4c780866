"""Learned links from a question's words to the passage words that answer it: the kinds of answer a passage
holds, counting, the shipped links, and questions asked in words their answer does not use."""

from __future__ import annotations

from pathlib import Path

import pytest

from core.errors import StoreError
from core.text.question import analyse
from knowledge import associations
from knowledge.associations import (
    Associations,
    Example,
    answer_marks,
    association_model,
    fit_associations,
    question_words,
)
from knowledge.base import KnowledgeBase
from knowledge.evaluate import is_hit


@pytest.mark.parametrize(("text", "marks"), [
    ("在线客服应在1小时内响应客户咨询。", {"〈时长〉"}),
    ("活动提前两周开始预热", {"〈时长〉"}),
    ("现场安排收银人员2名、导购8名", {"〈人数〉"}),
    ("宣传费用预算3000元", {"〈金额〉"}),
    ("线上渠道占比30%", {"〈比例〉"}),
    ("价格促销的手段有打折、优惠券、限时特价等", {"〈列表〉"}),
    ("(1)主打产品:挑选利润率高的产品。(2)促销产品:挑选库存多的产品。", {"〈列表〉"}),
    ("提升品牌知名度和美誉度。", set()),
    ("人民群众喜闻乐见的活动形式", set()),  # 人民 is no head count
])
def test_a_passage_carries_a_mark_for_each_kind_of_answer_it_holds(text: str, marks: set[str]) -> None:
    assert answer_marks(text) == marks


def test_a_question_offers_its_asking_words_and_question_words() -> None:
    words = question_words(analyse("我们是一家奶茶店,客服回复要多久?"))
    assert "多久" in words and "客服" in words and "奶茶店" not in words and "我们" not in words


def _example(group: str, words: str, answer: str) -> Example:
    return Example(group, words.split(), frozenset(answer.split()))


def test_a_link_is_learned_from_different_questions_and_not_from_rephrasings_of_one() -> None:
    examples = [
        _example("a", "客服 多久", "〈时长〉 响应 咨询"),
        _example("b", "预热 多久", "〈时长〉 提前 预热"),
        _example("c", "筹备 多久", "〈时长〉 筹备"),
        _example("d", "预热 渠道", "渠道 线上"),
        *(_example(g, "主题 哪些", "〈列表〉 主题 创意") for g in "fghijk"),
        *(_example("e", "点数 会员", "积分 兑换") for _ in range(6)),  # one question asked six ways
    ]
    learned = fit_associations(examples, trained_on="made up")
    assert learned.links["多久"][0][0] == "〈时长〉"
    assert "点数" not in learned.links  # six rephrasings are one question
    assert all(w != "预热" for w, _ in learned.links.get("预热", []))  # a shared word is word search's business
    assert learned.trained_on == "made up"


def test_a_passage_scores_the_mean_of_the_strongest_link_it_holds_per_question_word() -> None:
    learned = Associations(links={"多久": [("〈时长〉", 0.6), ("响应", 0.3)], "点数": [("积分", 0.8)]})
    linked = learned.linked(["客服", "多久", "点数"])
    assert len(linked) == 2
    assert Associations.score(linked, "1小时内响应客户咨询", frozenset({"〈时长〉"})) == pytest.approx(0.3)
    assert Associations.score(linked, "会员积分可兑换礼品", frozenset()) == pytest.approx(0.4)
    assert Associations.score(linked, "提升品牌知名度", frozenset()) == 0.0
    assert Associations.score([], "会员积分", frozenset()) == 0.0


def test_a_missing_associations_file_names_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(associations, "MODEL_PATH", tmp_path / "associations.json")
    association_model.cache_clear()
    try:
        with pytest.raises(StoreError, match="fit_ranking.py"):
            association_model()
    finally:
        monkeypatch.undo()
        association_model.cache_clear()


def test_the_shipped_associations_point_how_long_questions_to_durations() -> None:
    links = dict(association_model().links["多久"])
    assert "〈时长〉" in links and links["〈时长〉"] > 0.2


@pytest.mark.parametrize(("question", "expect", "depth"), [
    ("顾客在线上问问题,客服最晚多久要回复?", "1小时内响应客户咨询", 3),  # 多久: a duration; 回复: 响应
    ("网店客服回消息最慢能拖多久?", "1小时内响应客户咨询", 3),
    ("How soon do we have to answer a customer's question online?", "1小时内响应客户咨询", 3),
    ("按照对手的价格来定,一般有哪几种做法?", "高于竞争对手定价", 3),
    ("跟着竞争对手的价格定价,一般有哪几种选择?", "高于竞争对手定价", 5),  # the clause that asks says little
])
def test_a_question_in_other_words_than_its_answer_finds_it(shared_kb: KnowledgeBase, question: str, expect: str,
                                                           depth: int) -> None:
    passages = shared_kb.search(question, depth).passages
    assert any(is_hit(p.text, [expect]) for p in passages), [p.section for p in passages]
