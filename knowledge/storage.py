"""The knowledge base on disk: an atomically swapped manifest naming immutable documents and segments.

Layout under ``<home>/kb``::

    manifest.json                 current version: documents, segments, embedder id
    write.lock                    held by one writer, only while it swaps a new version in
    writers/<id>.lock             one per writer at work (outside the write lock too), locked while it works
    docs/<doc>-<sha12>-<salt>/    one document: doc.json, source.txt, chunks.json, tokens.txt,
                                  vectors-<embedder>.npy
    segments/<name>/              one immutable piece of the search index (see knowledge/segments.py)
    embedders/<embedder_id>/      the fitted local embedding model (JSON + .npy, no pickle)
    chroma/                       embedded Chroma (when no server is configured)

Every folder is written under a temporary ``.tmp-*`` name and renamed into place when complete, and
no folder a manifest names is ever changed or moved: writers build the new version next to the old
one and only then replace ``manifest.json`` with ``os.replace``. A writer killed at any instant leaves
the previous manifest, and so the previous index, intact; what it left half-written is swept by the
next writer (``sweep_orphans``). An ``add`` does its heavy work outside the write lock, so while any other
writer is at work (``at_work``), what no manifest names yet may be that writer's unfinished work:
nothing unnamed is swept then, and the garbage waits for a writer that works alone.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import socket
import tempfile
import uuid
from collections.abc import Callable, Iterator
from contextvars import ContextVar
from datetime import datetime
from pathlib import Path

from pydantic import BaseModel, Field

from core.errors import StoreError

FORMAT = 2  # manifests of format 1 (one monolithic generation) are rebuilt from their sources
TMP_PREFIX = ".tmp-"


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


class SegmentInfo(BaseModel):
    """One immutable index segment: the chunks of ``docs`` (storage names, in row order)."""

    name: str
    docs: list[str]
    chunks: int


class Manifest(BaseModel):
    """What the current index is made of."""

    format: int = 1
    version: int = 0
    embedder: str = ""
    fitted_on: int = Field(default=0, description="Chunks in the knowledge base when the local embedding was fitted.")
    writer: str = Field(default="", description="host:pid of the process that wrote this version.")
    docs: list[DocInfo] = Field(default_factory=list)
    segments: list[SegmentInfo] = Field(default_factory=list)

    @property
    def chunks(self) -> int:
        return sum(s.chunks for s in self.segments)


class KbPaths:
    """Paths of one knowledge base under ``home``."""

    def __init__(self, home: Path):
        self.root = home / "kb"
        self.manifest = self.root / "manifest.json"
        self.lock = self.root / "write.lock"
        self.docs = self.root / "docs"
        self.embedders = self.root / "embedders"
        self.segments = self.root / "segments"
        self.chroma = self.root / "chroma"
        self.writers = self.root / "writers"

    def ensure(self) -> None:
        with disk_errors(self.root):
            for path in (self.root, self.docs, self.embedders, self.segments, self.writers):
                path.mkdir(parents=True, exist_ok=True)



@contextlib.contextmanager
def temp_dir(parent: Path, name: str) -> Iterator[Path]:
    """A new empty folder in ``parent`` to write into before renaming it into place; deleted when the
    writing fails (and swept by the next writer if this process dies)."""
    path = parent / f"{TMP_PREFIX}{name}-{uuid.uuid4().hex[:8]}"
    try:
        with disk_errors(path):
            path.mkdir(parents=True)
            yield path
    except BaseException:
        remove_tree(path)
        raise


CHECKPOINT_HOOKS: list[Callable[[str], None]] = []


def checkpoint(step: str) -> None:
    """Called by writers after each durable step; tests add a hook that kills the process right there."""
    for hook in CHECKPOINT_HOOKS:
        hook(step)


def process_id() -> str:
    """This process, as recorded in the manifests it writes."""
    return f"{socket.gethostname()}:{os.getpid()}"


_DISK_FIX = {
    errno.ENOSPC: "the disk is full: free space there or point CEHUA_HOME at a larger disk",
    errno.EDQUOT: "the disk quota is exhausted: free space there or point CEHUA_HOME elsewhere",
    errno.EROFS: "the file system is read-only: make it writable or point CEHUA_HOME at a writable folder",
    errno.EACCES: "permission denied: make it writable by this user or point CEHUA_HOME elsewhere",
    errno.EPERM: "permission denied: make it writable by this user or point CEHUA_HOME elsewhere",
}


def disk_error(exc: OSError, path: Path | str) -> StoreError:
    """A StoreError naming ``path``, what the disk said and the fix."""
    where = exc.filename or path
    fix = _DISK_FIX.get(exc.errno or 0, "check the disk and the permissions of CEHUA_HOME")
    return StoreError(f"cannot write the knowledge base at {where} ({exc.strerror or exc}); {fix}")


@contextlib.contextmanager
def disk_errors(path: Path | str) -> Iterator[None]:
    """Turn OSError into a StoreError naming ``path`` and the fix."""
    try:
        yield
    except StoreError:
        raise
    except OSError as exc:
        raise disk_error(exc, path) from exc


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
        reason = "empty" if not raw.strip() else "not a valid manifest"
        raise StoreError(
            f"{paths.manifest} is damaged ({reason}); run `cehua kb rebuild` to rebuild it from the stored documents"
        ) from exc


def write_json_atomic(path: Path, data: object) -> None:
    """Write ``data`` as JSON to ``path`` so readers see either the old or the new file, never half."""
    with disk_errors(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f"{TMP_PREFIX}{path.name}.", suffix=".tmp")
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


def commit_dir(tmp: Path, final: Path) -> None:
    """Rename the completed folder ``tmp`` to ``final`` (which must not exist yet)."""
    with disk_errors(final):
        os.rename(tmp, final)


@contextlib.contextmanager
def write_lock(paths: KbPaths) -> Iterator[None]:
    """Hold the knowledge base's writer lock (other writers wait; readers never do)."""
    paths.ensure()
    with disk_errors(paths.lock), open(paths.lock, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


_MY_WORK: ContextVar[str] = ContextVar("kb_work", default="")


@contextlib.contextmanager
def at_work(paths: KbPaths) -> Iterator[None]:
    """Mark this writer as at work until the block ends: a lock file of its own under ``kb/writers/``,
    locked while it works (the kernel releases it if the process dies)."""
    paths.ensure()
    name = f"{uuid.uuid4().hex}.lock"
    tmp = paths.writers / f"{TMP_PREFIX}{name}"
    with disk_errors(paths.writers), open(tmp, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        os.rename(tmp, paths.writers / name)  # others only ever see it locked (or its writer dead)
        token = _MY_WORK.set(name)
        try:
            yield
        finally:
            _MY_WORK.reset(token)
            with contextlib.suppress(OSError):
                os.unlink(paths.writers / name)


def others_at_work(paths: KbPaths) -> bool:
    """True when a writer other than this one is at work (its unfinished files are named by no manifest).
    Lock files of writers that died are deleted on the way."""
    mine = _MY_WORK.get()
    if not paths.writers.is_dir():
        return False
    for path in paths.writers.iterdir():
        if path.name == mine or path.name.startswith(TMP_PREFIX):
            continue
        try:
            with open(path, "r+") as handle:
                try:
                    fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    return True
                path.unlink()  # its writer died
        except OSError:
            continue
    return False


def remove_tree(path: Path) -> None:
    """Delete ``path`` if it exists (leftovers of old versions, crashed writers)."""
    if path.is_dir():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(OSError):
            path.unlink()
