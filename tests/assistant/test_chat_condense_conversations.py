"""Follow-up conversations answered offline over the bundled guidebooks (indexed once per session)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.chat import ChatService
from assistant.chat.service import Answer
from core.settings import Settings
from core.text.scripts import to_simplified
from knowledge import open_knowledge_base
from knowledge.evaluate import is_hit

RISKS = ["活动场地、物资供应、人员安排等方面的风险", "虚假宣传、不正当竞争、侵犯消费者权益", "同行业竞争对手的模仿、打压",
         "网站、APP等平台可能出现技术故障", "配送不及时、破损", "资金周转不灵、支付纠纷"]


@pytest.fixture(scope="session")
def guidebooks_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    home = tmp_path_factory.mktemp("followups-kb")
    open_knowledge_base(Settings(home=home)).ensure_ready()
    return home


@pytest.fixture
def service(guidebooks_home: Path, tmp_path: Path) -> ChatService:
    settings = Settings(home=guidebooks_home, database_url=f"sqlite:///{tmp_path / 'state.db'}")
    return ChatService(settings, open_knowledge_base(settings))


def _shown(answer: Answer) -> set[tuple[str, int, int]]:
    return {(c.doc, c.start, c.end) for c in answer.citations}


def _overlaps(a: set[tuple[str, int, int]], b: set[tuple[str, int, int]]) -> bool:
    return any(d1 == d2 and s1 < e2 and s2 < e1 for d1, s1, e1 in a for d2, s2, e2 in b)


def test_new_topic_after_a_discount_question_answers_about_risks_not_the_discount_again(service: ChatService) -> None:
    first = service.ask("满减优惠怎么设置?")
    follow = service.ask("那风险呢?", first.conversation)
    assert follow.standalone_question == "风险有哪些?"
    assert is_hit(follow.answer, RISKS)
    assert "满减" not in follow.answer
    assert not _overlaps(_shown(first), _shown(follow))


def test_traditional_follow_up_is_condensed_and_answered_in_traditional(service: ChatService) -> None:
    first = service.ask("滿減優惠怎麼設置?")
    follow = service.ask("那風險呢?", first.conversation)
    assert follow.standalone_question == "風險有哪些?"
    assert follow.answer.startswith("根據指南原文：\n")
    assert is_hit(follow.answer, RISKS)
    assert "滿減" not in follow.answer


def test_drill_down_answers_about_the_item_pointed_at(service: ChatService) -> None:
    first = service.ask("满减优惠怎么设置?")
    follow = service.ask("第二点具体怎么做?", first.conversation)
    assert follow.standalone_question == "满减比例具体怎么做?"
    assert "即可享受相应比例的优惠,如满200减30%" in follow.answer
    assert follow.grounded is True


def test_asking_for_more_twice_never_shows_an_earlier_passage_again(service: ChatService) -> None:
    first = service.ask("活动风险怎么预防?")
    second = service.ask("还有呢?", first.conversation)
    third = service.ask("还有呢?", first.conversation)
    assert second.standalone_question == third.standalone_question == "活动风险怎么预防?"
    assert second.citations and third.citations
    assert not _overlaps(_shown(first) | _shown(second), _shown(third))
    assert not _overlaps(_shown(first), _shown(second))


def test_a_follow_up_that_is_a_question_of_its_own_is_left_alone(service: ChatService) -> None:
    first = service.ask("满减优惠怎么设置?")
    follow = service.ask("那会员促销有什么好处?", first.conversation)
    assert follow.standalone_question == "那会员促销有什么好处?"
    assert "以维护客户关系,提高客户忠诚度" in to_simplified(follow.answer)


def test_pronoun_follow_up_asks_about_the_previous_topic(service: ChatService) -> None:
    first = service.ask("联合促销是什么?")
    follow = service.ask("它的好处是什么?", first.conversation)
    assert follow.standalone_question == "联合促销的好处是什么?"
    assert "实现资源共享,扩大市场影响力" in follow.answer


def test_same_kind_topic_takes_the_old_ones_place(service: ChatService) -> None:
    first = service.ask("价格促销具体有哪些手段?")
    follow = service.ask("那赠品促销呢?", first.conversation)
    assert follow.standalone_question == "赠品促销具体有哪些手段?"
    assert "赠送一定价值的相关商品或服务" in follow.answer
