"""A database that is down or a disk that is full answers 503 ``store_unavailable`` naming the fix,
never a 500 or a traceback, and logs a few lines rather than one per request."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from sqlalchemy import event

from api.main import create_app
from assistant.cli import main
from assistant.store.db import dispose_all, session_factory
from core.settings import Settings
from tests.api.test_api_plans import wait_until_ready

UNREACHABLE = "postgresql://cehua@127.0.0.1:9/cehua"  # the discard port: connection refused at once

REQUESTS = [
    ("POST", "/v1/search", {"query": "预算怎么分配"}),
    ("POST", "/v1/chat", {"question": "预算怎么分配?"}),
    ("POST", "/v1/plans", {"request": "中秋月饼促销方案，预算30万，9月10日到9月25日"}),
    ("GET", "/v1/models", None),
    ("GET", "/v1/plans/abc", None),
    ("GET", "/v1/kb/documents", None),
]


@pytest.fixture
def down_client(kb_home: Path) -> TestClient:
    dispose_all()
    app = create_app(Settings(home=kb_home, database_url=UNREACHABLE), warm=False)
    return TestClient(app, raise_server_exceptions=False)


def test_every_route_answers_503_while_postgresql_is_down(down_client: TestClient,
                                                          caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)
    for _ in range(10):
        for method, path, body in REQUESTS:
            response = down_client.request(method, path, json=body)
            assert response.status_code == 503, (path, response.text)
            error = response.json()["error"]
            assert error["code"] == "store_unavailable", path
            assert "postgresql://cehua@127.0.0.1:9/cehua is unavailable" in error["message"]
            assert "CEHUA_DATABASE_URL" in error["message"]
            assert response.headers["retry-after"] == "5"
    assert down_client.get("/healthz").status_code == 200
    ready = down_client.get("/readyz")
    assert ready.status_code == 503 and "is unavailable" in ready.json()["checks"]["database"]
    lines = [r for r in caplog.records if r.name.startswith("cehua")]
    assert all(r.exc_info is None for r in lines)  # no tracebacks
    assert 1 <= len(lines) <= 2, [r.getMessage() for r in lines]  # 60 failures, one line (+ a summary)


def test_a_full_sqlite_disk_is_503_naming_the_database_file(kb_home: Path, tmp_path: Path) -> None:
    settings = Settings(home=kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}")
    client = TestClient(create_app(settings, warm=False), raise_server_exceptions=False)
    assert client.post("/v1/plans/validate", json={"markdown": "# 方案\n\n## 一、背景\n\n内容"}).status_code == 200
    engine = session_factory(settings).kw["bind"]
    engine.dispose()

    # SQLite's own "database or disk is full", from a page limit the size the file already has.
    @event.listens_for(engine, "connect")
    def _full(dbapi_conn, _record):  # type: ignore[no-untyped-def]
        dbapi_conn.execute("PRAGMA max_page_count = 1")

    request = "中秋月饼促销方案，预算30万，9月10日到9月25日。" + "门店陈列与团购说明。" * 380  # needs new pages (under the 4000-character request limit)
    response = client.post("/v1/plans", json={"request": request})
    assert response.status_code == 503, response.text
    message = response.json()["error"]["message"]
    assert response.json()["error"]["code"] == "store_unavailable"
    assert f"cannot write the state database {tmp_path / 'state.db'}" in message
    assert "full" in message and "CEHUA_HOME" in message
    dispose_all()


def test_cli_says_which_database_is_down_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CEHUA_DATABASE_URL", UNREACHABLE)
    result = CliRunner().invoke(main, ["keys", "list"])
    assert result.exit_code == 8
    assert result.output.count("\n") == 1
    assert result.output.startswith("error: the state database postgresql://cehua@127.0.0.1:9/cehua "
                                    "is unavailable")
    assert "Traceback" not in result.output


def test_cli_names_a_full_disk_and_the_fix(tmp_path: Path) -> None:
    # /dev/full answers every write with ENOSPC, as a full disk does.
    result = CliRunner().invoke(main, ["draft", "--request", "中秋月饼促销方案，预算30万，9月10日到9月25日",
                                       "--out", "/dev/full", "--format", "md"])
    assert result.exit_code == 8, result.output
    assert result.output.splitlines()[-1] + "\n" == ("error: no space left on the disk holding /dev/full: free some space there, "
                             "or point CEHUA_HOME at a disk with room\n")


@pytest.mark.parametrize("damage", ["garbage", "truncated"])
def test_a_damaged_sqlite_file_is_503_naming_the_file_and_the_fix(kb_home: Path, tmp_path: Path, damage: str,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "state.db"
    settings = Settings(home=kb_home, database_url=f"sqlite:///{path}")
    client = TestClient(create_app(settings, warm=False), raise_server_exceptions=False)
    created = client.post("/v1/plans", json={"request": "中秋月饼促销方案，预算30万，9月10日到9月25日"})
    assert created.status_code == 202
    wait_until_ready(client, created.json()["id"])  # its drafting job writes the file: damage it once at rest
    dispose_all()
    with path.open("r+b") as handle:
        if damage == "garbage":
            handle.write(b"\x00not a database\xff" * 300)
        else:
            handle.truncate(2048)  # inside the first page: the schema itself is cut, whatever the file's size
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    statuses = {}
    for method, route, body in REQUESTS:
        response = client.request(method, route, json=body)
        statuses[route] = response.status_code
        if response.status_code in (200, 404):  # answered from what is still readable (or a cached key check)
            continue
        assert response.status_code == 503, (route, response.text)
        message = response.json()["error"]["message"]
        assert message.startswith(f"the state database {path} is damaged or unreadable"), message
        assert "move it aside" in message and "backup" in message
    assert statuses["/v1/plans"] == 503, statuses
    from core.settings import get_settings

    monkeypatch.setenv("CEHUA_DATABASE_URL", f"sqlite:///{path}")
    get_settings.cache_clear()
    result = CliRunner().invoke(main, ["keys", "list"])
    assert result.exit_code == 8, result.output
    assert result.output.startswith(f"error: the state database {path} is damaged"), result.output
    dispose_all()
