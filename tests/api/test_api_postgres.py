"""The same state code on PostgreSQL (set CEHUA_TEST_POSTGRES_URL, e.g. postgresql://u:p@127.0.0.1/db).

Each test gets its own schema, dropped afterwards, so nothing in the database is touched.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import create_engine, text

from api.main import create_app
from assistant.store.db import dispose_all, session_scope
from assistant.store.keys import RateLimitExceeded, create_key, hit_rate_limit
from core.settings import Settings

pytestmark = pytest.mark.postgres
URL = os.environ.get("CEHUA_TEST_POSTGRES_URL")


@pytest.fixture
def pg_settings(kb_home: Path) -> Iterator[Settings]:
    if not URL:
        pytest.skip("CEHUA_TEST_POSTGRES_URL is not set")
    schema = f"cehua_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(URL.replace("postgresql://", "postgresql+psycopg://", 1))
    with admin.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    sep = "&" if "?" in URL else "?"
    try:
        yield Settings(home=kb_home, database_url=f"{URL}{sep}options={quote(f'-csearch_path={schema}')}")
    finally:
        dispose_all()
        with admin.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


def test_rate_counter_upsert_on_postgres(pg_settings: Settings) -> None:
    with session_scope(pg_settings) as session:
        key = create_key(session, "pg", rate_limit=2).info
    now = time.time()
    with session_scope(pg_settings) as session:
        assert hit_rate_limit(session, key.id, 2, now=now) == 1
    with session_scope(pg_settings) as session:
        assert hit_rate_limit(session, key.id, 2, now=now) == 2
    with pytest.raises(RateLimitExceeded), session_scope(pg_settings) as session:
        hit_rate_limit(session, key.id, 2, now=now)
    with session_scope(pg_settings) as session:
        assert hit_rate_limit(session, key.id, 2, now=now + 60) == 1


def test_plan_job_chat_and_keys_on_postgres(pg_settings: Settings) -> None:
    with TestClient(create_app(pg_settings, warm=False)) as client:
        created = client.post("/v1/plans", json={"brief": {"budget": 200000, "start": "2026-12-20",
                                                           "end": "2026-12-31", "occasion": "圣诞"}})
        assert created.status_code == 202
        with client.stream("GET", created.json()["events_url"]) as response:
            lines = [line for line in response.iter_lines() if line.startswith("event:")]
        assert lines[0] == "event: started" and lines[-1] == "event: done"
        plan = client.get(f"/v1/plans/{created.json()['id']}").json()
        assert plan["current"]["version"] == 1
        answer = client.post("/v1/chat", json={"question": "预算一般包括哪些费用?"}).json()
        assert client.get(f"/v1/conversations/{answer['conversation']}").json()["turns"][0]["answer"] == \
            answer["answer"]
        with session_scope(pg_settings) as session:
            key = create_key(session, "pg").key
        assert client.get("/v1/models").status_code == 401
        assert client.get("/v1/models", headers={"Authorization": f"Bearer {key}"}).status_code == 200
