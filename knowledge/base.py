"""The knowledge base: add, remove, list and rebuild documents; search them in the asker's script.

A small facade over the parts that do the work: ``knowledge/ingest.py`` (files into document folders),
``knowledge/build.py`` (embedding, index segments, the atomic swap), ``knowledge/reader.py`` (the live
index, reloaded when another writer swaps) and ``knowledge/retriever.py`` (passages for a question).
"""

from __future__ import annotations

import builtins
import contextlib
import fcntl
import threading
from collections.abc import Iterable, Sequence
from pathlib import Path

from core.errors import NotFoundError, StoreError
from core.settings import Settings, get_settings
from knowledge import relevance_process, retriever
from knowledge.build import IndexWriter
from knowledge.ingest import bundled_guidebooks, doc_id_for
from knowledge.passage import Passage, SearchResult
from knowledge.progress import Progress
from knowledge.reader import IndexReader, Loaded
from knowledge.relevance_process import FitProcess
from knowledge.senses import Senses
from knowledge.staging import staging_dir, sweep_staging
from knowledge.storage import DocInfo, KbPaths, disk_errors

__all__ = ["KnowledgeBase", "Progress", "bundled_guidebooks", "doc_id_for", "open_knowledge_base"]


class KnowledgeBase:
    """Guidebook documents, their index, and search over them (reads are thread-safe)."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.paths = KbPaths(self.settings.home)
        self._writer = IndexWriter(self.settings, self.paths)
        self._reader = IndexReader(self.settings, self.paths, self._build_missing)
        self._swept = False

    # ----- reading -------------------------------------------------------------------------

    def ensure_ready(self) -> None:
        """Index the bundled guidebooks if nothing is indexed yet, clear what crashed writers left, and
        load the current index."""
        self._sweep_once()
        if self._current().generation is not None:
            self.search("营销活动")  # loads the tokenizer dictionary, script converter and vector store now

    def _current(self) -> Loaded:
        return self._reader.current()

    def loaded(self) -> Loaded:
        """The loaded current index (for tools that look inside it, e.g. fitting the relevance model)."""
        return self._reader.current()

    def senses(self) -> Senses | None:
        """Which Chinese word an English word means to this index (the sense model against the words its
        guidebooks use: what search read an English question as); None while nothing is indexed."""
        generation = self._current().generation
        return generation.senses if generation is not None else None

    def _build_missing(self) -> None:
        self._writer.bootstrap(Progress())

    def search(self, query: str, k: int = 5) -> SearchResult:
        """Passages for ``query``, best first, and how likely they answer it. Passages are in Simplified
        (``assistant/script_boundary.py`` shows one to a reader in the query's script)."""
        return retriever.search(self._current(), self.paths, query, k)

    def following(self, passage: Passage, n: int) -> builtins.list[Passage]:
        """Up to ``n`` passages that follow ``passage`` in its document, in order (a list's items that are
        sub-sections of their own)."""
        return retriever.following(self._current(), passage, n)

    def search_many(self, queries: Sequence[str], k: int = 5) -> builtins.list[SearchResult]:
        """``search`` for each query, in order."""
        return [self.search(q, k) for q in queries]

    def list(self) -> builtins.list[DocInfo]:
        """The documents in the knowledge base (indexing the bundled ones on first use)."""
        self.ensure_ready()
        return list(self._current().manifest.docs)

    def sections(self) -> builtins.list[tuple[str, str]]:
        """(document title, section path) for every section, in document order (Simplified)."""
        import json

        out: builtins.list[tuple[str, str]] = []
        for doc in self._current().manifest.docs:
            path = self.paths.docs / doc.storage / "chunks.json"
            try:
                meta = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise StoreError(f"{path} is damaged ({exc}); run `cehua kb rebuild`") from exc
            out.extend((doc.title, s) for s in meta.get("sections", []))
        return out

    def source_text(self, doc_id: str) -> str:
        """The original decoded text of ``doc_id`` (what passage offsets point into)."""
        for doc in self._current().manifest.docs:
            if doc.doc_id == doc_id:
                path = self.paths.docs / doc.storage / "source.txt"
                try:
                    return path.read_text(encoding="utf-8")
                except (OSError, ValueError) as exc:
                    raise StoreError(
                        f"{path} is damaged ({exc}); run `cehua kb remove {doc_id}` and add the file again"
                    ) from exc
        raise NotFoundError(f"no document '{doc_id}' in the knowledge base; see `cehua kb list`")

    # ----- writing -------------------------------------------------------------------------

    def add(self, paths: Iterable[Path | str], progress: Progress | None = None) -> builtins.list[DocInfo]:
        """Add (or update) documents; unchanged ones are skipped. A file that cannot be used changes nothing."""
        self._sweep_once()
        progress = progress or Progress()
        files = [Path(p) for p in paths]
        with FitProcess(self.settings, early=relevance_process.large_add(files)) as fit:
            with disk_errors(self.paths.root):
                added = self._writer.add(files, progress)
            self._prepare_search(fit, progress)
        return added

    def staging(self) -> contextlib.AbstractContextManager[Path]:
        """A new folder to write uploaded files into before ``add``; deleted when the block ends, and
        by the next start when this process dies first (``knowledge/staging.py``)."""
        sweep_staging(self.paths)
        return staging_dir(self.paths)

    def remove(self, doc_id: str, progress: Progress | None = None) -> DocInfo:
        """Remove document ``doc_id`` from the knowledge base."""
        progress = progress or Progress()
        with FitProcess(self.settings) as fit:
            with disk_errors(self.paths.root):
                removed = self._writer.remove(doc_id, progress)
            self._prepare_search(fit, progress)
        return removed

    def rebuild(self, progress: Progress | None = None) -> builtins.list[DocInfo]:
        """Re-chunk and re-embed every document from its stored source (refits the local embedding);
        recovers from damaged index files and a damaged manifest."""
        progress = progress or Progress()
        with FitProcess(self.settings) as fit:
            with disk_errors(self.paths.root):
                docs = self._writer.rebuild(progress)
            self._prepare_search(fit, progress)
        return docs

    def _prepare_search(self, fit: FitProcess, progress: Progress) -> None:
        """Load the version just written and fit what searching it needs (the relevance model, when
        no stored one serves it; for a large index by ``fit``, a process of its own), so the first
        search of every process after a bulk add is fast."""
        fit.prepare(self.paths, self._current(), progress)

    def _sweep_once(self) -> None:
        """On first use, clear what crashed writers left, unless a writer is busy right now."""
        if self._swept or not self.paths.root.is_dir():
            self._swept = True
            return
        self._swept = True
        sweep_staging(self.paths)  # needs no write lock: each upload holds its own folder's lock
        with contextlib.suppress(OSError, StoreError), open(self.paths.lock, "a+") as handle:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return  # a writer is at work; it sweeps when it is done
            try:
                self._writer.sweep_orphans()
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


_BASES: dict[tuple[str, str], KnowledgeBase] = {}
_BASES_LOCK = threading.Lock()


def open_knowledge_base(settings: Settings | None = None) -> KnowledgeBase:
    """The knowledge base for ``settings`` (one per data directory and Chroma URL per process)."""
    settings = settings or get_settings()
    key = (str(settings.home), settings.chroma_url or "")
    with _BASES_LOCK:
        base = _BASES.get(key)
        if base is None:
            base = KnowledgeBase(settings)
            _BASES[key] = base
        return base
