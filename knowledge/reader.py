"""Reading the live index: the current manifest's segments, loaded once and reloaded when a writer
(in this or another process) swaps a new manifest in. Segments are immutable, so a reload only loads
the segments it has not seen; the rest are reused."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from core.errors import StoreError
from core.settings import Settings
from knowledge.chroma_store import VectorStore, forget_client
from knowledge.embed import Embedder, LsaEmbedder, OpenAIEmbedder
from knowledge.index import Generation
from knowledge.segments import Segment, SegmentSet
from knowledge.storage import FORMAT, KbPaths, Manifest, process_id, read_manifest

# Up to this many chunks, dense search is exact over the stored vectors instead of a Chroma query.
EXACT_DENSE_ROWS = 4096


@dataclass
class Loaded:
    """What a reader has loaded for one manifest version."""

    manifest: Manifest
    generation: Generation | None
    mtime: int
    relevance: Any = None  # the relevance model for these documents, fitted or loaded on first search
    previous_relevance: Any = None  # the model the version before used: searches use it while this one is fitted
    fit_lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)


class IndexReader:
    """The loaded current version of one knowledge base (thread-safe)."""

    def __init__(self, settings: Settings, paths: KbPaths, build_missing: Callable[[], None]):
        self.settings = settings
        self.paths = paths
        self._build_missing = build_missing
        self._loaded: Loaded | None = None
        self._lock = threading.Lock()
        self._segments: dict[str, tuple[Segment, list[str]]] = {}
        self._embedders: dict[str, Embedder] = {}

    def _manifest_mtime(self) -> int:
        try:
            return os.stat(self.paths.manifest).st_mtime_ns
        except FileNotFoundError:
            return 0

    def current(self) -> Loaded:
        """The loaded index, reloaded when another writer swapped the manifest."""
        mtime = self._manifest_mtime()
        loaded = self._loaded
        if loaded is not None and loaded.mtime == mtime:
            return loaded
        with self._lock:
            loaded = self._loaded
            if loaded is not None and loaded.mtime == mtime:
                return loaded
            if mtime == 0:
                self._build_missing()
            for attempt in range(3):
                mtime = self._manifest_mtime()
                manifest = read_manifest(self.paths) or Manifest(format=FORMAT)
                if manifest.format < FORMAT:
                    self._build_missing()  # an index of an older version: rebuilt from its sources
                    continue
                if manifest.writer != process_id():
                    forget_client(self.settings, self.paths.chroma)  # its vectors are not in our client yet
                try:
                    generation = self._load(manifest)
                    break
                except StoreError:
                    if attempt == 2:
                        raise
                    # Writers replaced the version while we read its manifest: read the new one.
            else:
                raise StoreError(f"{self.paths.manifest} keeps changing; try again")
            before = self._loaded
            previous = before and (before.relevance or before.previous_relevance)
            self._loaded = Loaded(manifest, generation, mtime, previous_relevance=previous)
            return self._loaded

    def _load(self, manifest: Manifest) -> Generation | None:
        if not manifest.embedder:
            return None
        embedder = self._embedder(manifest.embedder)
        segments = []
        rows: dict[str, int] = {}
        cache: dict[str, tuple[Segment, list[str]]] = {}
        for info in manifest.segments:
            entry = self._segments.get(info.name)
            if entry is None:
                segment = Segment(self.paths.segments / info.name)
                if segment.size != info.chunks:
                    raise StoreError(f"index segment {segment.directory} does not match the manifest; "
                                     "run `cehua kb rebuild`")
                entry = (segment, segment.chunk_ids())
            cache[info.name] = entry
            start = len(rows)
            rows.update((chunk_id, start + i) for i, chunk_id in enumerate(entry[1]))
            segments.append(entry[0])
        self._segments = cache
        # A small index is searched exactly over the segments' vectors: that takes microseconds, where
        # a query to Chroma costs about a millisecond (and many more when the CPUs are busy).
        store = VectorStore(self.settings, self.paths.chroma, manifest.embedder) if len(rows) > EXACT_DENSE_ROWS else None
        return Generation(SegmentSet(segments), embedder, store, rows)

    def _embedder(self, embedder_id: str) -> Embedder:
        embedder = self._embedders.get(embedder_id)
        if embedder is None:
            if embedder_id.startswith("oa-"):
                embedder = OpenAIEmbedder(self.settings)
            else:
                embedder = LsaEmbedder.load(self.paths.embedders / embedder_id)
            self._embedders = {embedder_id: embedder}
        return embedder
