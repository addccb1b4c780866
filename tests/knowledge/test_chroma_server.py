"""With CEHUA_CHROMA_URL set, vectors live in a Chroma server (a real one, started on loopback)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.settings import Settings
from knowledge.base import KnowledgeBase
from knowledge.chroma_store import collection_name
from knowledge.storage import read_manifest
from tests.processes import free_port


@pytest.fixture
def chroma_url(tmp_path: Path) -> Iterator[str]:
    exe = shutil.which("chroma")
    if exe is None:
        pytest.skip("the chroma command (from the chromadb package) is not installed")
    port = free_port()
    server = subprocess.Popen(
        [exe, "run", "--path", str(tmp_path / "chroma-server"), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("chroma server did not start")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_vectors_go_to_the_server_and_search_uses_them(tmp_path: Path, chroma_url: str) -> None:
    import chromadb

    settings = Settings(home=tmp_path / "home", chroma_url=chroma_url, openai_api_key=None, embedding_model=None)
    kb = KnowledgeBase(settings)
    result = kb.search("满减优惠怎么设置?", k=3)
    assert result.good_match and any("满减" in p.text for p in result.passages)
    assert not (tmp_path / "home" / "kb" / "chroma").exists()  # nothing embedded locally

    manifest = read_manifest(kb.paths)
    assert manifest is not None
    port = int(chroma_url.rsplit(":", 1)[1])
    client = chromadb.HttpClient(host="127.0.0.1", port=port)
    collection = client.get_collection(collection_name(settings, manifest.embedder))
    assert collection.count() == sum(d.chunks for d in manifest.docs)
