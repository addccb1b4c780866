"""Conversations in the state database: SQLite by default, PostgreSQL when CEHUA_TEST_POSTGRES_URL is set."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.store.conversations import ConversationStore
from assistant.store.db import dispose_all
from core.errors import NotFoundError
from core.plan import Citation
from core.settings import Settings

CITATION = Citation(n=1, text="预算包括场地费用。", doc="promo", section="第四章 > 4.1 预算构成")


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ConversationStore]:
    yield ConversationStore(Settings(database_url=f"sqlite:///{tmp_path / 'state.db'}"))
    dispose_all()


def _add(store: ConversationStore, conversation: str | None, question: str) -> str:
    conversation_id, _ = store.add_turn(conversation, question=question, standalone_question=question,
                                        answer=f"答：{question}", citations=[CITATION], grounded=True,
                                        script="zh-Hans")
    return conversation_id


def test_first_turn_starts_a_conversation_titled_by_the_question(store: ConversationStore) -> None:
    conversation_id = _add(store, None, "预算一般包括哪些费用?")
    _add(store, conversation_id, "那风险呢?")
    conversation = store.get(conversation_id)
    assert conversation.title == "预算一般包括哪些费用?"
    assert [(t.position, t.question, t.answer) for t in conversation.turns] == [
        (1, "预算一般包括哪些费用?", "答：预算一般包括哪些费用?"), (2, "那风险呢?", "答：那风险呢?")]
    assert conversation.turns[0].citations == [CITATION]
    assert [t.question for t in store.recent_turns(conversation_id, limit=1)] == ["那风险呢?"]


def test_unknown_conversation_is_not_found_and_nothing_is_written(store: ConversationStore) -> None:
    with pytest.raises(NotFoundError, match="conversation 'ffffffffffffffffffffffffffffffff' does not exist"):
        _add(store, "ffffffffffffffffffffffffffffffff", "预算?")
    with pytest.raises(NotFoundError):
        store.recent_turns("../../etc/passwd")
    long_id = "x" * 500
    with pytest.raises(NotFoundError, match="conversation 'x{40}…' does not exist"):
        store.get(long_id)


def test_concurrent_answers_in_one_conversation_all_get_their_own_position(store: ConversationStore) -> None:
    _check_concurrent_turns(store)


def _check_concurrent_turns(store: ConversationStore) -> None:
    conversation_id = _add(store, None, "第一个问题")
    errors: list[BaseException] = []

    def ask(n: int) -> None:
        try:
            _add(store, conversation_id, f"问题{n}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=ask, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    turns = store.get(conversation_id).turns
    assert [t.position for t in turns] == list(range(1, 8))
    assert sorted(t.question for t in turns[1:]) == [f"问题{n}" for n in range(6)]


@pytest.mark.postgres
def test_the_same_tables_work_on_postgresql() -> None:
    url = os.environ.get("CEHUA_TEST_POSTGRES_URL")
    if not url:
        pytest.skip("set CEHUA_TEST_POSTGRES_URL to run against PostgreSQL")
    store = ConversationStore(Settings(database_url=url))
    try:
        conversation_id = _add(store, None, "預算一般包括哪些費用?")
        _add(store, conversation_id, "那風險呢?")
        assert [t.position for t in store.get(conversation_id).turns] == [1, 2]
        _check_concurrent_turns(store)
    finally:
        dispose_all()
