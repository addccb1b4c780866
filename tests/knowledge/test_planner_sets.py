"""The open planner-phrased sets still fit the bundled guidebooks: every expected phrase is in an indexed chunk.

A set is written against the index (``tests/bench/bench_answers.py`` scores an answer by whether it contains an
expected phrase); when cleaning, chunking or the guidebooks change, a phrase that no chunk holds any more can no
longer be hit, and the set would measure nothing for that question. An assertion message must never print a sealed
set's content: the open sets name their missing phrases, the sealed ones (``SEALED_PLANNER_SETS``) only how many
items fail, so a broken sealed item is found by its author, not read by everyone else.
"""

from __future__ import annotations

import pytest

from knowledge.base import KnowledgeBase
from knowledge.chunkfile import iter_chunks
from knowledge.evaluate import is_hit, read_eval_file
from tests.paths import REPO_ROOT

DATA = REPO_ROOT / "tests" / "data"
OPEN_PLANNER_SETS = ("planner_dev5.jsonl", "planner_dev6.jsonl", "planner_dev7.jsonl", "planner_dev8.jsonl",
                     "planner_dev9.jsonl")
SEALED_PLANNER_SETS = ("planner_test8.jsonl", "planner_test9.jsonl")


@pytest.fixture(scope="module")
def chunk_texts(shared_kb: KnowledgeBase) -> list[str]:
    return [chunk.text for doc in shared_kb.list()
            for chunk in iter_chunks(shared_kb.paths.docs / doc.storage / "chunks.json")]


@pytest.mark.parametrize("name", OPEN_PLANNER_SETS)
def test_every_expected_phrase_is_in_a_chunk(name: str, chunk_texts: list[str]) -> None:
    missing = [(item.id, phrase) for item in read_eval_file(DATA / name) for phrase in item.expect_any
               if not any(is_hit(text, [phrase]) for text in chunk_texts)]
    assert not missing, f"{name}: expected phrases no indexed chunk holds: {missing}"


@pytest.mark.parametrize("name", OPEN_PLANNER_SETS)
def test_ids_are_unique_and_off_topic_items_expect_nothing(name: str) -> None:
    items = read_eval_file(DATA / name)
    assert len({item.id for item in items}) == len(items)
    assert all(item.expect_any == [] for item in items if item.out_of_scope)
    assert all(item.expect_any for item in items if not item.out_of_scope)


@pytest.mark.parametrize("name", SEALED_PLANNER_SETS)
def test_sealed_sets_fit_the_index_without_showing_their_items(name: str, chunk_texts: list[str]) -> None:
    items = read_eval_file(DATA / name)
    unfit = sum(1 for item in items if not item.out_of_scope
                and not all(any(is_hit(text, [phrase]) for text in chunk_texts) for phrase in item.expect_any))
    assert unfit == 0, f"{name}: {unfit} in-scope items expect a phrase no indexed chunk holds (ask its author)"
    assert len({item.id for item in items}) == len(items), f"{name}: duplicate ids"
    assert all(item.expect_any == [] for item in items if item.out_of_scope), f"{name}: an off-topic item expects a phrase"
    assert all(item.expect_any for item in items if not item.out_of_scope), f"{name}: an in-scope item expects nothing"
