"""The knowledge base on disk: an atomically swapped manifest naming immutable documents and generations.

Layout under ``<home>/kb``::

    manifest.json                 current version: documents, embedder id, generation name
    write.lock                    held by the one writer at a time
    docs/<doc>-<sha12>/           one document: source.txt, chunks.json, tokens.json, vectors-<embedder>.npy
    embedders/<embedder_id>/      the fitted local embedding model (JSON + .npy)
    gen/<generation>/             what queries read: chunks.json, bm25/, vectors.npy
    chroma/                       embedded Chroma (when no server is configured)

Writers build everything new next to the old state and only then replace ``manifest.json`` with
``os.replace``; an interrupted write leaves the previous manifest, and so the previous index, intact.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import socket
import tempfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from core.errors import StoreError


class DocInfo(BaseModel):
    """One document in the knowledge base."""

    doc_id: str = Field(description="Stable id (the file stem); `cehua kb remove` takes it.")
    title: str
    source_name: str
    sha256: str
    chunks: int
    garbled_runs: int = 0
    added_at: datetime
    storage: str = Field(default="", description="Directory name under kb/docs.")


class Manifest(BaseModel):
    """What the current index is made of."""

    version: int = 0
    generation: str = ""
    embedder: str = ""
    writer: str = Field(default="", description="host:pid of the process that wrote this version.")
    docs: list[DocInfo] = Field(default_factory=list)


class KbPaths:
    """Paths of one knowledge base under ``home``."""

    def __init__(self, home: Path):
        self.root = home / "kb"
        self.manifest = self.root / "manifest.json"
        self.lock = self.root / "write.lock"
        self.docs = self.root / "docs"
        self.embedders = self.root / "embedders"
        self.generations = self.root / "gen"
        self.chroma = self.root / "chroma"

    def ensure(self) -> None:
        for path in (self.root, self.docs, self.embedders, self.generations):
            path.mkdir(parents=True, exist_ok=True)


def process_id() -> str:
    """This process, as recorded in the manifests it writes."""
    return f"{socket.gethostname()}:{os.getpid()}"


def read_manifest(paths: KbPaths) -> Manifest | None:
    """The current manifest, or None when nothing has been indexed yet."""
    try:
        raw = paths.manifest.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"cannot read {paths.manifest} ({exc}); check permissions of CEHUA_HOME") from exc
    try:
        return Manifest.model_validate_json(raw)
    except ValueError as exc:
        raise StoreError(f"{paths.manifest} is corrupt ({exc}); run `cehua kb rebuild`") from exc


def write_json_atomic(path: Path, data: object) -> None:
    """Write ``data`` as JSON to ``path`` so readers see either the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(data, handle, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_manifest(paths: KbPaths, manifest: Manifest) -> None:
    """Swap in ``manifest`` atomically."""
    write_json_atomic(paths.manifest, manifest.model_dump(mode="json"))


@contextlib.contextmanager
def write_lock(paths: KbPaths) -> Iterator[None]:
    """Hold the knowledge base's writer lock (other writers wait; readers never do)."""
    paths.ensure()
    with open(paths.lock, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def remove_tree(path: Path) -> None:
    """Delete ``path`` if it exists (leftovers of old generations and documents)."""
    shutil.rmtree(path, ignore_errors=True)
