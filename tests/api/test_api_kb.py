"""Knowledge-base management over HTTP: list, upload with type and size limits, remove."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.main import create_app
from assistant.store.db import dispose_all
from core.settings import Settings

GUIDE = ("第一章 社群团购运营\n1.1 团长招募\n社群团购的团长招募要看三点:社区覆盖、信任关系和响应速度。"
         "团长每周需要在群内组织两次以上的拼团活动,并记录成团率与复购率。\n"
         "1.2 团长激励\n团长佣金一般按成交额的百分之五到百分之十计算,另设月度排行奖励。\n")


@pytest.fixture(scope="module")
def own_kb_home(kb_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the built index that these tests may change."""
    home = tmp_path_factory.mktemp("kb-mutable") / "home"
    shutil.copytree(kb_home, home)
    return home


@pytest.fixture
def kb_client(own_kb_home: Path, tmp_path: Path) -> Iterator[TestClient]:
    settings = Settings(home=own_kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}")
    with TestClient(create_app(settings, warm=False)) as c:
        yield c
    dispose_all()


def test_list_upload_search_and_remove(kb_client: TestClient) -> None:
    before = kb_client.get("/v1/kb/documents").json()["documents"]
    assert len(before) == 5
    added = kb_client.post("/v1/kb/documents",
                           files=[("files", ("团购指南.txt", GUIDE.encode("utf-8"), "text/plain"))])
    assert added.status_code == 201, added.text
    doc = added.json()["documents"][0]
    assert doc["chunks"] >= 1
    listed = kb_client.get("/v1/kb/documents").json()["documents"]
    assert len(listed) == 6
    hit = kb_client.post("/v1/search", json={"query": "团长佣金怎么算?", "k": 1}).json()["results"][0]
    assert hit["doc"] == doc["doc_id"] and "百分之五到百分之十" in hit["text"]

    removed = kb_client.delete(f"/v1/kb/documents/{doc['doc_id']}")
    assert removed.status_code == 200
    assert removed.json() == {"removed": doc["doc_id"]}
    assert [d["doc_id"] for d in kb_client.get("/v1/kb/documents").json()["documents"]] == \
        [d["doc_id"] for d in before]
    again = kb_client.delete(f"/v1/kb/documents/{doc['doc_id']}")
    assert again.status_code == 404
    by_query = kb_client.delete("/v1/kb/documents", params={"doc_id": doc["doc_id"]})
    assert by_query.status_code == 404 and by_query.json()["error"]["code"] == "not_found"
    assert kb_client.delete("/v1/kb/documents").json()["error"]["field"] == "doc_id"


def test_bad_uploads_change_nothing(kb_client: TestClient, own_kb_home: Path) -> None:
    before = kb_client.get("/v1/kb/documents").json()["documents"]
    wrong_type = kb_client.post("/v1/kb/documents", files={"files": ("run.exe", b"MZ\x00\x00", "application/octet-stream")})
    assert wrong_type.status_code == 415
    assert wrong_type.json()["error"]["code"] == "unsupported_media_type"
    empty = kb_client.post("/v1/kb/documents", files={"files": ("empty.txt", b"   ", "text/plain")})
    assert empty.status_code == 400
    assert empty.json()["error"]["code"] == "invalid_document"
    not_multipart = kb_client.post("/v1/kb/documents", json={"path": "/etc/passwd"})
    assert not_multipart.status_code == 415
    no_files = kb_client.post("/v1/kb/documents", files={"other": ("a.txt", b"x", "text/plain")})
    assert no_files.status_code == 422
    assert kb_client.get("/v1/kb/documents").json()["documents"] == before


def test_oversized_upload_is_413(own_kb_home: Path, tmp_path: Path) -> None:
    settings = Settings(home=own_kb_home, database_url=f"sqlite:///{tmp_path / 'state.db'}",
                        max_upload_bytes=1000)
    with TestClient(create_app(settings, warm=False)) as c:
        big = c.post("/v1/kb/documents", files={"files": ("big.txt", ("预算" * 400_000).encode(), "text/plain")})
        assert big.status_code == 413
        assert big.json()["error"]["code"] == "payload_too_large"
        slightly = c.post("/v1/kb/documents", files={"files": ("b.txt", ("预算" * 300).encode(), "text/plain")})
        assert slightly.status_code == 413
        assert "1000-byte upload limit" in slightly.json()["error"]["message"]
        assert len(c.get("/v1/kb/documents").json()["documents"]) == 5
    dispose_all()
