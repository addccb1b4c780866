"""The adapters' memory in the state database: event claims and thread conversations.

SQLite always; PostgreSQL too when CEHUA_TEST_POSTGRES_URL is set (each run in its own schema).
"""

from __future__ import annotations

import datetime as dt
import os
import threading
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from sqlalchemy import create_engine, func, select, text

from assistant.store.db import dispose_all, session_scope
from assistant.store.integrations import (
    KEEP_EVENTS,
    PRUNE_EVERY,
    IntegrationEventRow,
    claim_event,
    prune_events,
    remember_thread,
    thread_conversation,
)
from core.errors import StoreError
from core.settings import Settings

POSTGRES_URL = os.environ.get("CEHUA_TEST_POSTGRES_URL")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def settings(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Settings]:
    if request.param == "sqlite":
        yield Settings(database_url=f"sqlite:///{tmp_path / 'state.db'}")
        dispose_all()
        return
    if not POSTGRES_URL:
        pytest.skip("set CEHUA_TEST_POSTGRES_URL to run against PostgreSQL")
    schema = f"cehua_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in POSTGRES_URL else "?"
    try:
        yield Settings(database_url=f"{POSTGRES_URL}{sep}options={quote(f'-csearch_path={schema}')}")
    finally:
        dispose_all()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def _claims(settings: Settings) -> int:
    with session_scope(settings) as session:
        return int(session.scalar(select(func.count()).select_from(IntegrationEventRow)) or 0)


def test_an_event_is_claimed_once_per_platform(settings: Settings) -> None:
    assert [claim_event(settings, "slack", e) for e in ("Ev1", "Ev1", "Ev2", "Ev1")] == [True, False, True, False]
    assert claim_event(settings, "feishu", "Ev1") is True  # ids are per platform
    assert claim_event(settings, "slack", "") is True  # no id: cannot dedupe, always answered
    assert claim_event(settings, "slack", "") is True
    assert _claims(settings) == 3


def test_a_very_long_event_id_is_claimed_by_its_digest(settings: Settings) -> None:
    long_id = "x" * 300
    assert claim_event(settings, "wecom", long_id) is True
    assert claim_event(settings, "wecom", long_id) is False
    assert claim_event(settings, "wecom", long_id + "y") is True


def test_concurrent_deliveries_of_one_event_are_claimed_by_exactly_one(settings: Settings) -> None:
    claim_event(settings, "slack", "warm-up")  # tables exist before the race
    barrier = threading.Barrier(8)
    results: list[bool] = []
    errors: list[BaseException] = []

    def deliver() -> None:
        try:
            barrier.wait()
            results.append(claim_event(settings, "slack", "EvRace"))
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=deliver) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(results) == [False] * 7 + [True]


def test_claims_older_than_a_day_are_pruned_and_can_be_claimed_again(settings: Settings) -> None:
    now = dt.datetime.now(dt.UTC)
    claim_event(settings, "slack", "old", now=now - KEEP_EVENTS - dt.timedelta(minutes=1))
    claim_event(settings, "slack", "recent", now=now - KEEP_EVENTS + dt.timedelta(minutes=1))
    assert prune_events(settings, now=now) == 1
    assert claim_event(settings, "slack", "recent", now=now) is False
    assert claim_event(settings, "slack", "old", now=now) is True


def test_every_hundredth_claim_prunes_expired_claims_by_itself(settings: Settings) -> None:
    now = dt.datetime.now(dt.UTC)
    claim_event(settings, "slack", "expired", now=now - 2 * KEEP_EVENTS)
    for n in range(PRUNE_EVERY - 2):
        claim_event(settings, "slack", f"Ev{n}", now=now)
    assert _claims(settings) == PRUNE_EVERY - 1
    claim_event(settings, "slack", "the-hundredth", now=now)
    assert _claims(settings) == PRUNE_EVERY - 1  # one added, the expired one gone
    assert claim_event(settings, "slack", "expired", now=now) is True


def test_a_thread_remembers_its_conversation(settings: Settings) -> None:
    first, second = uuid.uuid4().hex, uuid.uuid4().hex
    assert thread_conversation(settings, "slack", "C0PLAN:1700000000.000100") is None
    assert remember_thread(settings, "slack", "C0PLAN:1700000000.000100", first, previous=None) == first
    assert thread_conversation(settings, "slack", "C0PLAN:1700000000.000100") == first
    assert thread_conversation(settings, "feishu", "C0PLAN:1700000000.000100") is None
    # The conversation was lost and the thread started a new one.
    assert remember_thread(settings, "slack", "C0PLAN:1700000000.000100", second, previous=first) == second
    assert thread_conversation(settings, "slack", "C0PLAN:1700000000.000100") == second


def test_the_first_worker_to_bind_a_thread_wins(settings: Settings) -> None:
    theirs, ours = uuid.uuid4().hex, uuid.uuid4().hex
    remember_thread(settings, "dingtalk", "cid-1", theirs, previous=None)
    # We read "no conversation" before they bound it: our binding yields theirs.
    assert remember_thread(settings, "dingtalk", "cid-1", ours, previous=None) == theirs
    # We read a binding that has changed since: theirs stays.
    assert remember_thread(settings, "dingtalk", "cid-1", ours, previous=uuid.uuid4().hex) == theirs
    assert thread_conversation(settings, "dingtalk", "cid-1") == theirs


def test_a_long_thread_key_is_kept_by_its_digest(settings: Settings) -> None:
    conversation = uuid.uuid4().hex
    key = "cid" + "=" * 400
    remember_thread(settings, "dingtalk", key, conversation, previous=None)
    assert thread_conversation(settings, "dingtalk", key) == conversation
    assert thread_conversation(settings, "dingtalk", key + "x") is None


def test_an_unreachable_database_is_a_store_error_naming_the_setting() -> None:
    unreachable = Settings(database_url="postgresql://cehua:secret@127.0.0.1:1/cehua")
    with pytest.raises(StoreError, match="CEHUA_DATABASE_URL"):
        claim_event(unreachable, "slack", "Ev1")
    with pytest.raises(StoreError, match="CEHUA_DATABASE_URL"):
        thread_conversation(unreachable, "slack", "C0:1")
