"""The knowledge base: add, remove, list and rebuild documents; search them in the asker's script."""

from __future__ import annotations

import builtins
import json
import os
import re
import threading
import uuid
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from core.errors import DocumentError, NotFoundError, StoreError
from core.settings import Settings, get_settings
from core.text.question import analyse
from core.text.scripts import detect_script, to_simplified
from knowledge.chroma_store import VectorStore, forget_client
from knowledge.chunk import Chunk, chunk_source
from knowledge.embed import Embedder, LsaEmbedder, OpenAIEmbedder, uses_remote_embeddings
from knowledge.glossary import search_query
from knowledge.index import Generation, Hit, build_generation
from knowledge.load import SUPPORTED_SUFFIXES, LoadedDocument, load_document
from knowledge.passage import Passage, SearchResult
from knowledge.relevance import (
    COVERAGE_PASSAGES,
    MODEL_PATH,
    RelevanceModel,
    fingerprint,
    fit_on,
    load_model,
    save_model,
    training_items,
)
from knowledge.storage import (
    DocInfo,
    KbPaths,
    Manifest,
    process_id,
    read_manifest,
    remove_tree,
    write_lock,
    write_manifest,
)
from knowledge.tokens import DEFAULT_MODE, tokenize

BUNDLED_DIR = Path(__file__).parent / "guidebooks"
_DOC_ID = re.compile(r"[^\w\u3400-\u9fff.-]+")


class Progress:
    """Progress of long work; the CLI shows a bar, others ignore it. Every method is a no-op here."""

    def on_start(self, total: int, description: str) -> None: ...

    def on_advance(self, amount: int = 1) -> None: ...

    def on_done(self) -> None: ...


def bundled_guidebooks() -> list[Path]:
    """The guidebook files shipped with Cehua."""
    return sorted(p for p in BUNDLED_DIR.iterdir() if p.is_file() and not p.name.startswith("."))


def doc_id_for(path: Path) -> str:
    """The document id of ``path``: its file stem, made safe for file names."""
    return _DOC_ID.sub("_", path.stem).strip("_") or "document"


def _expand(paths: Iterable[Path]) -> builtins.list[Path]:
    """Files to add: each file as given, and the supported files inside each directory (sorted)."""
    files: builtins.list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                raise DocumentError(f"{path}: no {', '.join(SUPPORTED_SUFFIXES)} files in this directory")
            files.extend(found)
        else:
            files.append(path)
    return files


class _Loaded:
    """What a reader has loaded for one manifest version."""

    def __init__(self, manifest: Manifest, generation: Generation | None, mtime: int):
        self.manifest = manifest
        self.generation = generation
        self.mtime = mtime
        self.relevance: RelevanceModel | None = None


class KnowledgeBase:
    """Guidebook documents, their index, and search over them (reads are thread-safe)."""

    def __init__(self, settings: Settings | None = None):
        self.settings = settings or get_settings()
        self.paths = KbPaths(self.settings.home)
        self._loaded: _Loaded | None = None
        self._reload_lock = threading.Lock()

    # ----- reading -------------------------------------------------------------------------

    def ensure_ready(self) -> None:
        """Index the bundled guidebooks if nothing is indexed yet, and load the current index."""
        if read_manifest(self.paths) is None:
            self._build_bundled_if_missing()
        if self._current().generation is not None:
            self.search("营销活动")  # loads the tokenizer dictionary, script converter and vector store now

    def _manifest_mtime(self) -> int:
        try:
            return os.stat(self.paths.manifest).st_mtime_ns
        except FileNotFoundError:
            return 0

    def _current(self) -> _Loaded:
        """The loaded index, reloaded when another writer swapped the manifest."""
        mtime = self._manifest_mtime()
        loaded = self._loaded
        if loaded is not None and loaded.mtime == mtime:
            return loaded
        with self._reload_lock:
            loaded = self._loaded
            if loaded is not None and loaded.mtime == mtime:
                return loaded
            if mtime == 0:
                self._build_bundled_if_missing()
            for attempt in range(3):
                mtime = self._manifest_mtime()
                manifest = read_manifest(self.paths) or Manifest()
                if manifest.writer != process_id():
                    forget_client(self.settings, self.paths.chroma)  # its vectors are not in our client yet
                try:
                    generation = self._load_generation(manifest)
                    break
                except StoreError:
                    if attempt == 2:
                        raise
                    # Writers replaced the generation while we read its manifest: read the new one.
            self._loaded = _Loaded(manifest, generation, mtime)
            return self._loaded

    def _load_generation(self, manifest: Manifest) -> Generation | None:
        if not manifest.generation:
            return None
        embedder = self._embedder(manifest.embedder)
        store = VectorStore(self.settings, self.paths.chroma, manifest.embedder)
        return Generation(self.paths.generations / manifest.generation, embedder, store)

    def _build_bundled_if_missing(self) -> None:
        """Index the bundled guidebooks unless another writer got there first."""
        with write_lock(self.paths):
            if read_manifest(self.paths) is None:
                self._write(self._ingest(bundled_guidebooks(), None, {}), None, Progress())

    def search(self, query: str, k: int = 5) -> SearchResult:
        """Passages for ``query``, best first, and how likely they answer it. Passages are in Simplified
        (``Passage.in_script`` shows one to a reader of the query's script)."""
        loaded = self._current()
        generation = loaded.generation
        query_simplified = to_simplified(query.strip())
        if generation is None or not query_simplified:
            return SearchResult(query=query, passages=[], good_match=False, top_score=0.0)
        if detect_script(query) == "en":  # the index knows Chinese words: search the glossary's terms
            query_simplified = self._in_guidebook_words(generation, query)
        model = self._relevance_model(loaded)
        hits, features = self._judge(generation, query_simplified, k, frozenset(model.phrasing))
        probability = model.probability(features) if hits else 0.0
        passages = []
        for hit in hits[: max(1, k)]:
            chunk = generation.chunks[hit.row]
            passages.append(
                Passage(
                    text=chunk.text,
                    doc=chunk.doc,
                    title=chunk.title,
                    section=chunk.section,
                    start=chunk.start,
                    end=chunk.end,
                    score=round(hit.score, 4),
                    chunk_id=chunk.chunk_id,
                    source_text=chunk.source,
                )
            )
        return SearchResult(
            query=query, passages=passages, good_match=bool(passages) and probability >= model.threshold,
            top_score=passages[0].score if passages else 0.0, relevance=round(probability, 4),
            plausible=bool(passages) and probability >= model.floor,
        )

    @staticmethod
    def _judge(generation: Generation, query_simplified: str, k: int,
               phrasing: frozenset[str]) -> tuple[builtins.list[Hit], dict[str, float]]:
        """The top hits for a Simplified query (at least the ones the relevance features look at) and
        the relevance model's features for them."""
        analysis = analyse(generation.typos.fix(query_simplified.lower()))
        terms = generation.terms(analysis, phrasing)
        ask = analysis.asking
        hits = generation.search(ask, max(k, COVERAGE_PASSAGES), analysis.background, terms)
        return hits, generation.features(terms, hits, ask)

    @staticmethod
    def _in_guidebook_words(generation: Generation, question: str) -> str:
        """An English question in the guidebooks' Chinese terms, clause by clause: the sentence that
        asks becomes an asking clause, the asker's situation ("We run a tea shop.") a clause before it."""
        english = analyse(question.strip().lower())
        known = "\n".join(generation.lower_texts).__contains__
        ask = search_query(english.asking, known) or english.asking
        background = search_query(english.background, known) if english.background else ""
        return f"{background}，{ask}?" if background else f"{ask}?"

    def _evidence(self, loaded: _Loaded, question: str,
                  phrasing: frozenset[str]) -> tuple[builtins.list[str], dict[str, float]]:
        """What the relevance model sees of ``question``: its top passage texts and features."""
        assert loaded.generation is not None
        generation = loaded.generation
        hits, features = self._judge(generation, self._as_simplified(generation, question), 5, phrasing)
        return [generation.chunks[h.row].text for h in hits], features

    def _unknown_words(self, loaded: _Loaded, question: str) -> set[str]:
        """The topic words of ``question`` the documents never use."""
        assert loaded.generation is not None
        generation = loaded.generation
        analysis = analyse(generation.typos.fix(self._as_simplified(generation, question).lower()))
        return {t.text for t in generation.terms(analysis) if t.role == "topic" and not t.known_in_corpus}

    def _as_simplified(self, generation: Generation, question: str) -> str:
        query = to_simplified(question.strip())
        return self._in_guidebook_words(generation, question) if detect_script(question) == "en" else query

    def _relevance_model(self, loaded: _Loaded) -> RelevanceModel:
        """The relevance model for the loaded documents: the shipped one when they are the guidebooks it
        was fitted on, else one fitted on this generation (once, then stored beside it)."""
        if loaded.relevance is not None:
            return loaded.relevance
        with self._reload_lock:
            if loaded.relevance is None:
                loaded.relevance = self._fit_relevance(loaded)
        return loaded.relevance

    def _fit_relevance(self, loaded: _Loaded) -> RelevanceModel:
        shipped = load_model()
        if shipped is None:
            raise StoreError(f"{MODEL_PATH} is missing or unreadable; reinstall Cehua")
        wanted = fingerprint([d.sha256 for d in loaded.manifest.docs])
        if shipped.fingerprint == wanted or loaded.generation is None:
            return shipped
        stored = self.paths.generations / loaded.manifest.generation / "relevance.json"
        cached = load_model(stored)
        if cached is not None and cached.fingerprint == wanted:
            return cached
        try:
            fitted = fit_on(lambda q, phrasing: self._evidence(loaded, q, phrasing),
                            lambda q: self._unknown_words(loaded, q), training_items(), fingerprint_=wanted)
        except ValueError:  # this knowledge base answers none (or all) of the training questions
            return shipped
        fitted = fitted.model_copy(update={"threshold": shipped.threshold, "floor": shipped.floor})
        try:
            save_model(fitted, stored)
        except OSError:
            pass  # a read-only index still answers; the fit is redone next time
        return fitted

    def search_many(self, queries: Sequence[str], k: int = 5) -> builtins.list[SearchResult]:
        """``search`` for each query, in order."""
        return [self.search(q, k) for q in queries]

    def list(self) -> builtins.list[DocInfo]:
        """The documents in the knowledge base (indexing the bundled ones on first use)."""
        self.ensure_ready()
        return list(self._current().manifest.docs)

    def sections(self) -> builtins.list[tuple[str, str]]:
        """(document title, section path) for every section, in document order (Simplified)."""
        loaded = self._current()
        out: builtins.list[tuple[str, str]] = []
        for doc in loaded.manifest.docs:
            meta = self._doc_meta(doc.storage)
            out.extend((doc.title, s) for s in meta.get("sections", []))
        return out

    def source_text(self, doc_id: str) -> str:
        """The original decoded text of ``doc_id`` (what passage offsets point into)."""
        for doc in self._current().manifest.docs:
            if doc.doc_id == doc_id:
                return (self.paths.docs / doc.storage / "source.txt").read_text(encoding="utf-8")
        raise NotFoundError(f"no document '{doc_id}' in the knowledge base; see `cehua kb list`")

    # ----- writing -------------------------------------------------------------------------

    def add(self, paths: Iterable[Path | str], progress: Progress | None = None) -> builtins.list[DocInfo]:
        """Add (or update) documents; unchanged ones are skipped. All files are read before anything changes."""
        progress = progress or Progress()
        files = _expand(Path(p) for p in paths)
        if not files:
            raise DocumentError("no files given; pass one or more .txt, .md, .html, .docx or .pdf files")
        loaded = [load_document(p) for p in files]  # raises DocumentError before any write
        with write_lock(self.paths):
            manifest = read_manifest(self.paths)
            if manifest is None:
                manifest = self._ingest(bundled_guidebooks(), None, {})
                self._write(manifest, None, progress)
            by_sha = {d.sha256: d for d in manifest.docs}
            result: builtins.list[DocInfo] = []
            fresh: builtins.list[tuple[Path, LoadedDocument]] = []
            for path, doc in zip(files, loaded, strict=True):
                if doc.sha256 in by_sha:
                    result.append(by_sha[doc.sha256])
                else:
                    fresh.append((path, doc))
            if fresh:
                new_manifest = self._ingest([p for p, _ in fresh], manifest, {p: d for p, d in fresh}, progress)
                self._write(new_manifest, manifest, progress)
                fresh_ids = {doc_id_for(p) for p, _ in fresh}
                result.extend(d for d in new_manifest.docs if d.doc_id in fresh_ids)
        self._current()
        return result

    def remove(self, doc_id: str, progress: Progress | None = None) -> DocInfo:
        """Remove document ``doc_id`` from the knowledge base."""
        self.ensure_ready()
        with write_lock(self.paths):
            manifest = read_manifest(self.paths) or Manifest()
            match = [d for d in manifest.docs if d.doc_id == doc_id]
            if not match:
                known = ", ".join(d.doc_id for d in manifest.docs) or "none"
                raise NotFoundError(f"no document '{doc_id}' in the knowledge base (documents: {known})")
            new_manifest = manifest.model_copy(deep=True)
            new_manifest.docs = [d for d in manifest.docs if d.doc_id != doc_id]
            self._write(new_manifest, manifest, progress or Progress())
        self._current()
        return match[0]

    def rebuild(self, progress: Progress | None = None) -> builtins.list[DocInfo]:
        """Re-chunk and re-embed every document from its stored source (refits the local embedding)."""
        progress = progress or Progress()
        with write_lock(self.paths):
            manifest = read_manifest(self.paths)
            if manifest is None:
                new_manifest = self._ingest(bundled_guidebooks(), None, {}, progress)
                self._write(new_manifest, None, progress)
            else:
                docs = [
                    (doc, (self.paths.docs / doc.storage / "source.txt").read_text(encoding="utf-8"))
                    for doc in manifest.docs
                ]
                new_manifest = Manifest(version=manifest.version, docs=[])
                progress.on_start(len(docs), "chunking")
                for doc, source in docs:
                    new_manifest.docs.append(self._store_doc(doc.doc_id, doc.source_name, doc.sha256, source, replace=True))
                    progress.on_advance()
                progress.on_done()
                self._write(new_manifest, manifest, progress, refit=True)
        self._current()
        return list(new_manifest.docs)

    def _ingest(
        self,
        files: builtins.list[Path],
        base: Manifest | None,
        preloaded: dict[Path, LoadedDocument],
        progress: Progress | None = None,
    ) -> Manifest:
        """A manifest with ``files`` chunked and stored on top of ``base`` (nothing is swapped in yet)."""
        progress = progress or Progress()
        manifest = base.model_copy(deep=True) if base else Manifest()
        progress.on_start(len(files), "reading and chunking")
        for path in files:
            doc = preloaded.get(path) or load_document(path)
            info = self._store_doc(doc_id_for(path), doc.source_name, doc.sha256, doc.text)
            manifest.docs = [d for d in manifest.docs if d.doc_id != info.doc_id] + [info]
            progress.on_advance()
        progress.on_done()
        return manifest

    def _store_doc(self, doc_id: str, source_name: str, sha256: str, text: str, replace: bool = False) -> DocInfo:
        """Chunk ``text`` and write the document directory (content-addressed, so never overwritten)."""
        chunked = chunk_source(doc_id, text, sha256, fallback_title=Path(source_name).stem)
        if not chunked.chunks:
            raise DocumentError(f"{source_name}: no guidebook content left after cleaning; check the file")
        storage = f"{doc_id}-{sha256[:12]}"
        directory = self.paths.docs / storage
        tmp = self.paths.docs / f".{storage}.{uuid.uuid4().hex[:8]}"
        tmp.mkdir(parents=True)
        (tmp / "source.txt").write_text(text, encoding="utf-8")
        with open(tmp / "chunks.json", "w", encoding="utf-8") as handle:
            json.dump(
                {
                    "title": chunked.title, "sections": chunked.sections, "removed": chunked.removed,
                    "garbled_runs": chunked.garbled_runs, "chunks": [c.model_dump() for c in chunked.chunks],
                },
                handle, ensure_ascii=False,
            )
        with open(tmp / "tokens.json", "w", encoding="utf-8") as handle:
            json.dump([tokenize(c.index_text(), DEFAULT_MODE) for c in chunked.chunks], handle, ensure_ascii=False)
        if directory.exists() and not replace:
            remove_tree(tmp)
        else:
            if directory.exists():
                trash = self.paths.docs / f".trash-{storage}-{uuid.uuid4().hex[:6]}"
                os.replace(directory, trash)
                remove_tree(trash)
            os.replace(tmp, directory)
        return DocInfo(
            doc_id=doc_id, title=chunked.title, source_name=source_name, sha256=sha256,
            chunks=len(chunked.chunks), garbled_runs=chunked.garbled_runs,
            added_at=datetime.now(UTC), storage=storage,
        )

    def _doc_meta(self, storage: str) -> dict:
        with open(self.paths.docs / storage / "chunks.json", encoding="utf-8") as handle:
            return json.load(handle)

    def _embedder(self, embedder_id: str) -> Embedder:
        if embedder_id.startswith("oa-"):
            return OpenAIEmbedder(self.settings)
        return LsaEmbedder.load(self.paths.embedders / embedder_id)

    def _write(self, manifest: Manifest, previous: Manifest | None, progress: Progress, refit: bool = False) -> None:
        """Embed what is missing, build a new generation and swap the manifest in."""
        self.paths.ensure()
        chunks: builtins.list[Chunk] = []
        tokens: builtins.list[builtins.list[str]] = []
        owners: builtins.list[int] = []
        for i, doc in enumerate(manifest.docs):
            meta = self._doc_meta(doc.storage)
            doc_chunks = [Chunk.model_validate(c) for c in meta["chunks"]]
            chunks.extend(doc_chunks)
            with open(self.paths.docs / doc.storage / "tokens.json", encoding="utf-8") as handle:
                tokens.extend(json.load(handle))
            owners.extend([i] * len(doc_chunks))

        embedder = self._choose_embedder(manifest, previous, chunks, refit)
        manifest.embedder = embedder.embedder_id
        store = VectorStore(self.settings, self.paths.chroma, embedder.embedder_id)
        vectors = self._doc_vectors(manifest, embedder, store, progress)

        generation = f"g{manifest.version + 1:06d}-{uuid.uuid4().hex[:6]}"
        progress.on_start(1, "building index")
        build_generation(self.paths.generations / generation, chunks, tokens, vectors)
        progress.on_advance()
        progress.on_done()
        manifest.version = (previous.version if previous else manifest.version) + 1
        manifest.generation = generation
        manifest.writer = process_id()
        write_manifest(self.paths, manifest)
        self._cleanup(manifest, previous, store)

    def _choose_embedder(
        self, manifest: Manifest, previous: Manifest | None, chunks: builtins.list[Chunk], refit: bool
    ) -> Embedder:
        if uses_remote_embeddings(self.settings):
            return OpenAIEmbedder(self.settings)
        if previous and previous.embedder.startswith("lsa-") and not refit:
            try:
                return LsaEmbedder.load(self.paths.embedders / previous.embedder)
            except StoreError:
                pass
        embedder = LsaEmbedder.fit([to_simplified(c.index_text()) for c in chunks])
        embedder.save(self.paths.embedders / embedder.embedder_id)
        return embedder

    def _doc_vectors(self, manifest: Manifest, embedder: Embedder, store: VectorStore, progress: Progress) -> np.ndarray:
        """Vectors of every chunk in manifest order; only documents without vectors are embedded."""
        parts: builtins.list[np.ndarray] = []
        pending_ids: builtins.list[str] = []
        pending_docs: builtins.list[str] = []
        pending_vectors: builtins.list[np.ndarray] = []
        to_save: builtins.list[tuple[Path, np.ndarray]] = []
        name = f"vectors-{embedder.embedder_id}.npy"
        todo = [d for d in manifest.docs if not (self.paths.docs / d.storage / name).exists()]
        progress.on_start(len(todo), "embedding")
        for doc in manifest.docs:
            path = self.paths.docs / doc.storage / name
            if path.exists():
                parts.append(np.load(path))
                continue
            meta = self._doc_meta(doc.storage)
            doc_chunks = [Chunk.model_validate(c) for c in meta["chunks"]]
            vectors = embedder.embed([c.index_text() for c in doc_chunks])
            to_save.append((path, vectors))
            parts.append(vectors)
            pending_ids.extend(c.chunk_id for c in doc_chunks)
            pending_docs.extend([doc.doc_id] * len(doc_chunks))
            pending_vectors.append(vectors)
            progress.on_advance()
        progress.on_done()
        if pending_ids:
            progress.on_start(len(pending_ids), "storing vectors")
            store.upsert(pending_ids, np.concatenate(pending_vectors), pending_docs)
            progress.on_advance(len(pending_ids))
            progress.on_done()
        # Saved only once Chroma has them: a saved file means "embedded and stored".
        for path, vectors in to_save:
            tmp = path.with_name(f".{name}.{uuid.uuid4().hex[:6]}.npy")
            np.save(tmp, vectors)
            os.replace(tmp, path)
        if not parts:
            return np.zeros((0, 1), dtype=np.float32)
        return np.concatenate(parts).astype(np.float32)

    def _cleanup(self, manifest: Manifest, previous: Manifest | None, store: VectorStore) -> None:
        """Delete what no manifest (current or previous) refers to; readers of the previous one keep working."""
        keep_gens = {manifest.generation} | ({previous.generation} if previous else set())
        for gen_dir in self.paths.generations.iterdir():
            if gen_dir.name not in keep_gens:
                remove_tree(gen_dir)
        live = {d.storage for d in manifest.docs} | ({d.storage for d in previous.docs} if previous else set())
        stale_chunks: builtins.list[str] = []
        for doc_dir in self.paths.docs.iterdir():
            if doc_dir.name not in live:
                if not doc_dir.name.startswith("."):
                    try:
                        meta = json.loads((doc_dir / "chunks.json").read_text(encoding="utf-8"))
                        stale_chunks.extend(c["chunk_id"] for c in meta["chunks"])
                    except (OSError, ValueError, KeyError):
                        pass
                remove_tree(doc_dir)
        if previous:
            current_ids = {d.storage for d in manifest.docs}
            for doc in previous.docs:
                if doc.storage not in current_ids:
                    meta = self._doc_meta(doc.storage)
                    stale_chunks.extend(c["chunk_id"] for c in meta["chunks"])
        if stale_chunks:
            try:
                store.delete(stale_chunks)
            except Exception:  # stale vectors are filtered at query time anyway
                pass
        if previous and previous.embedder and previous.embedder != manifest.embedder:
            VectorStore(self.settings, self.paths.chroma, previous.embedder).drop()
            remove_tree(self.paths.embedders / previous.embedder)


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

