"""Index builds: add, remove and rebuild write a new version next to the live one and swap it in.

Heavy work streams one document (or one batch of chunks) at a time: ingestion writes document folders,
embedding writes each document's vectors and sends them to Chroma in batches, and index segments are
built from the stored token streams. An ``add`` does all of that outside the write lock (fitting the
embedding again too, when the corpus outgrew it) and holds the lock only to compose and swap the
manifest, so readers and other writers carry on meanwhile. See ``knowledge/storage.py`` for why a killed writer leaves the previous
version usable.
"""

from __future__ import annotations

import contextlib
import itertools
import uuid
from pathlib import Path

import numpy as np

from core.errors import CehuaError, DocumentError, NotFoundError, StoreError
from core.settings import Settings
from core.text.scripts import to_simplified
from knowledge.chroma_store import VectorStore, collection_prefix, list_collections
from knowledge.chunk import Chunk
from knowledge.embed import (
    FIT_SAMPLE,
    Embedder,
    LsaEmbedder,
    OpenAIEmbedder,
    drifts,
    needs_refit,
    uses_remote_embeddings,
)
from knowledge.ingest import (
    bundled_guidebooks,
    doc_id_for,
    document_problem,
    expand,
    recover_docs,
    store_document,
    stored_source,
)
from knowledge.ingest_workers import read_files
from knowledge.load import load_document
from knowledge.progress import Progress, ShareOfWork
from knowledge.segments import (
    MAX_SMALL,
    SEGMENT_CHUNKS,
    SMALL_SEGMENT,
    build_segment,
    iter_doc_chunks,
)
from knowledge.storage import (
    FORMAT,
    TMP_PREFIX,
    DocInfo,
    KbPaths,
    Manifest,
    SegmentInfo,
    at_work,
    checkpoint,
    disk_errors,
    others_at_work,
    process_id,
    read_manifest,
    remove_tree,
    write_lock,
    write_manifest,
)
from knowledge.vectorfile import VectorFileWriter, doc_vectors_name, read_vectors, unsent_vectors_name

EMBED_BATCH = 2048  # chunks embedded and sent to Chroma at a time (across documents)
DRIFT_SAMPLE = 2000  # chunks of the first documents read that say whether they drift from the embedding


def _kilobytes(path: Path) -> int:
    """The size of ``path`` in KB, at least 1 (progress units; a missing file is reported when read)."""
    try:
        return max(1, path.stat().st_size // 1000)
    except OSError:
        return 1


class IndexWriter:
    """Writes new versions of one knowledge base."""

    def __init__(self, settings: Settings, paths: KbPaths):
        self.settings = settings
        self.paths = paths

    # ----- the three operations --------------------------------------------------------------

    def add(self, paths: list[Path], progress: Progress) -> list[DocInfo]:
        """Add (or update) the files in ``paths``; unchanged ones are skipped. A bad file changes nothing."""
        files = expand(paths)
        if not files:
            raise DocumentError("no files given; pass one or more .txt, .md, .html, .docx or .pdf files")
        with at_work(self.paths):
            try:
                return self._add(files, progress)
            except DocumentError as exc:
                if len(files) < 2:
                    raise
                # The add is all or nothing: say so, or the planner thinks the other files went in; and name
                # every bad file, or the planner fixes one, adds again and meets the next.
                problems = [p for p in (document_problem(f) for f in files) if p is not None]
                if len(problems) < 2:
                    raise DocumentError(f"{exc} (nothing was added: add the files again once it is fixed or left "
                                        "out)", code=exc.code) from exc
                raise DocumentError("\n  ".join([
                    f"{len(problems)} of the {len(files)} files cannot be added, so nothing was added (add the files "
                    "again once they are fixed or left out):", *problems]), code=exc.code) from exc

    def _add(self, files: list[Path], progress: Progress) -> list[DocInfo]:
        base = self.bootstrap(progress)
        known = {d.sha256: d for d in base.docs}
        result: list[DocInfo] = []
        fresh: dict[str, DocInfo] = {}
        embedder = self._embedder_for(base)
        # A local embedding is applied while documents are read (by the ingest workers, in parallel),
        # and their vectors go to Chroma between collecting them, so the workers keep reading meanwhile.
        local = embedder if isinstance(embedder, LsaEmbedder) else None
        feed = _VectorFeed(self.paths, local, VectorStore(self.settings, self.paths.chroma, local.embedder_id),
                           Progress()) if local else None
        # Unless the first documents read look like drift (the embedding is likely fitted again after
        # reading, and these vectors would be wasted).
        waiting: list[DocInfo] = []
        try:
            sizes = [_kilobytes(path) for path in files]
            progress.on_start(sum(sizes), "reading and chunking, KB")
            shares = [ShareOfWork(progress, size) for size in sizes]
            with contextlib.closing(read_files(self.paths, files, frozenset(known), shares, local)) as read:
                for share, (sha256, info) in zip(shares, read, strict=False):
                    if info is None:
                        result.append(known[sha256])
                    else:
                        if info.doc_id in fresh:  # two files with one name: the later one wins
                            earlier = fresh.pop(info.doc_id)
                            waiting = [d for d in waiting if d is not earlier]
                            self._drop_fresh([earlier], base, feed)
                        fresh[info.doc_id] = info
                        if local is not None and feed is not None:
                            waiting.append(info)
                            if sum(d.chunks for d in waiting) >= DRIFT_SAMPLE or len(fresh) > len(waiting):
                                feed = self._fed(feed, local, waiting)
                                waiting = []
                    share.finish()
            if local is not None and feed is not None and (feed := self._fed(feed, local, waiting)) is not None:
                feed.flush()
            progress.on_done()
            if not fresh:
                return result
            new_docs = list(fresh.values())
            total = base.chunks + sum(d.chunks for d in new_docs)
            if embedder is not None and not needs_refit(
                embedder, base.fitted_on, total, self._sample_texts(new_docs, 2000)
            ):
                # The usual case: everything but the swap happens outside the lock.
                segments = self._embed_and_segment(new_docs, embedder, base.version, progress)
                with write_lock(self.paths):
                    current = read_manifest(self.paths) or base
                    if current.embedder != embedder.embedder_id:  # a rebuild swapped meanwhile
                        embedder = self._embedder_for(current) or embedder
                        segments = self._embed_and_segment(new_docs, embedder, current.version, progress)
                    self._swap_added(current, new_docs, segments, progress)
            else:
                # The corpus outgrew the embedding: fit it again and re-embed everything, also outside the lock.
                docs = [d for d in base.docs if d.doc_id not in fresh] + new_docs
                new = self._build_all(base, docs, progress, refit=True)
                with write_lock(self.paths):
                    current = read_manifest(self.paths) or base
                    if current.version == base.version:
                        self._swap(new, current)
                    else:  # another writer swapped meanwhile: start again from its version
                        docs = [d for d in current.docs if d.doc_id not in fresh] + new_docs
                        self._write_all(current, docs, progress, refit=True)
        except BaseException:
            self._drop_fresh([info for info in fresh.values() if not self._is_live(info)], base, feed)
            raise
        return result + new_docs

    def _fed(self, feed: _VectorFeed, embedder: LsaEmbedder, docs: list[DocInfo]) -> _VectorFeed | None:
        """``feed`` with ``docs`` queued, or None when they are the first documents read and look like
        drift (then nothing is sent to Chroma while reading)."""
        if not feed.started and docs and drifts(embedder, self._sample_texts(docs, DRIFT_SAMPLE)):
            return None
        for doc in docs:
            feed.add(doc)
        return feed

    def _drop_fresh(self, docs: list[DocInfo], base: Manifest, feed: _VectorFeed | None) -> None:
        """Delete the folders of ``docs`` (read by an add that will not keep them), and the vectors the
        add already sent to the live Chroma collection for them."""
        if feed is not None:
            with contextlib.suppress(CehuaError, OSError):
                feed.flush()
                self._forget_vectors(base, [self.paths.docs / d.storage for d in docs])
        for info in docs:
            remove_tree(self.paths.docs / info.storage)

    def remove(self, doc_id: str, progress: Progress) -> DocInfo:
        """Remove document ``doc_id``: its segment is rebuilt without it."""
        self.bootstrap(progress)
        with write_lock(self.paths):
            self.sweep_orphans()
            manifest = self._manifest_for_write()
            match = [d for d in manifest.docs if d.doc_id == doc_id]
            if not match:
                known = ", ".join(d.doc_id for d in manifest.docs) or "none"
                raise NotFoundError(f"no document '{doc_id}' in the knowledge base (documents: {known})")
            gone = {d.storage for d in match}
            segments = self._without(manifest, gone, progress)
            new = manifest.model_copy(deep=True)
            new.docs = [d for d in manifest.docs if d.doc_id != doc_id]
            new.segments = segments
            self._swap(new, manifest)
        return match[0]

    def rebuild(self, progress: Progress) -> list[DocInfo]:
        """Re-chunk and re-embed every document from its stored source (fits the local embedding again).

        Works from whatever is left: a damaged or missing manifest is replaced by the documents found in
        their folders, and damaged index files are never read. A document whose stored source is damaged
        is named, so it can be removed and added again.
        """
        with write_lock(self.paths):
            try:
                manifest = read_manifest(self.paths)
            except StoreError:
                manifest = None
                docs = recover_docs(self.paths)
            else:
                docs = list(manifest.docs) if manifest is not None else recover_docs(self.paths)
            if manifest is None and not docs:
                return self._build_bundled(progress)
            self.sweep_orphans(keep={d.storage for d in docs})
            sources = []
            damaged = []
            for doc in docs:
                try:
                    stored_source(self.paths, doc)
                    sources.append(doc)
                except StoreError as exc:
                    damaged.append(exc.message)
            if damaged:
                raise StoreError("; ".join(damaged))
            fresh: list[DocInfo] = []
            try:
                progress.on_start(len(sources), "chunking")
                with contextlib.closing(read_files(self.paths, sources, frozenset())) as read:
                    for _, info in read:  # in worker processes when there are many
                        assert info is not None
                        fresh.append(info)
                        progress.on_advance()
                progress.on_done()
                self._write_all(manifest or Manifest(), fresh, progress, refit=True)
            except BaseException:
                for info in fresh:
                    if not self._is_live(info):
                        remove_tree(self.paths.docs / info.storage)
                raise
            return fresh

    def bootstrap(self, progress: Progress) -> Manifest:
        """The current manifest, indexing the bundled guidebooks first when nothing is indexed yet
        (and upgrading an index written by an older version)."""
        manifest = read_manifest(self.paths)
        if manifest is not None and manifest.format >= FORMAT:
            return manifest
        with write_lock(self.paths):
            manifest = read_manifest(self.paths)
            if manifest is None:
                self.sweep_orphans()
                self._build_bundled(progress)
            elif manifest.format < FORMAT:
                pass
            else:
                return manifest
        if manifest is not None:
            self.rebuild(progress)
        built = read_manifest(self.paths)
        if built is None:
            raise StoreError(f"{self.paths.manifest} was not written; check the disk")
        return built

    # ----- steps ---------------------------------------------------------------------------

    def _build_bundled(self, progress: Progress) -> list[DocInfo]:
        docs: list[DocInfo] = []
        try:
            progress.on_start(len(bundled_guidebooks()), "reading and chunking")
            for path in bundled_guidebooks():
                doc = load_document(path)
                docs.append(store_document(self.paths, doc_id_for(path), doc.source_name, doc.sha256, doc.text))
                progress.on_advance()
            progress.on_done()
            self._write_all(Manifest(), docs, progress, refit=True)
        except BaseException:
            for info in docs:
                if not self._is_live(info):
                    remove_tree(self.paths.docs / info.storage)
            raise
        return docs

    def _manifest_for_write(self) -> Manifest:
        manifest = read_manifest(self.paths)
        if manifest is None or manifest.format < FORMAT:
            raise StoreError(f"{self.paths.manifest} is missing or outdated; run `cehua kb rebuild`")
        return manifest

    def _embedder_for(self, manifest: Manifest) -> Embedder | None:
        """The embedder ``manifest`` was built with, or None when a new one must be fitted."""
        if uses_remote_embeddings(self.settings):
            remote = OpenAIEmbedder(self.settings)
            return remote if remote.embedder_id == manifest.embedder else None
        if not manifest.embedder.startswith("lsa-"):
            return None
        try:
            return LsaEmbedder.load(self.paths.embedders / manifest.embedder)
        except StoreError:
            return None

    def _write_all(self, base: Manifest, docs: list[DocInfo], progress: Progress, refit: bool) -> None:
        """Embed ``docs`` with a (re)fitted embedder, build all segments and swap (under the lock)."""
        self._swap(self._build_all(base, docs, progress, refit), base)

    def _build_all(self, base: Manifest, docs: list[DocInfo], progress: Progress, refit: bool) -> Manifest:
        """The next manifest after ``base``: ``docs`` embedded with a (re)fitted embedder, all segments built."""
        total = sum(d.chunks for d in docs)
        if uses_remote_embeddings(self.settings):
            embedder: Embedder = OpenAIEmbedder(self.settings)
        elif not refit and (existing := self._embedder_for(base)) is not None:
            embedder = existing
        else:
            progress.on_start(1, "fitting the embedding")
            fitted = LsaEmbedder.fit(self._sample_texts(docs, FIT_SAMPLE))
            fitted.save(self.paths.embedders / fitted.embedder_id)
            checkpoint("embedder saved")
            progress.on_advance()
            progress.on_done()
            embedder = fitted
        segments = self._embed_and_segment(docs, embedder, base.version, progress)
        new = Manifest(
            format=FORMAT, version=base.version, embedder=embedder.embedder_id,
            fitted_on=total if isinstance(embedder, LsaEmbedder) and embedder.embedder_id != base.embedder
            else base.fitted_on,
            docs=docs, segments=segments,
        )
        return new

    def _embed_and_segment(self, docs: list[DocInfo], embedder: Embedder, version: int,
                           progress: Progress) -> list[SegmentInfo]:
        """Vectors for every document of ``docs`` that lacks them, then segments over ``docs``."""
        self._embed(docs, embedder, progress)
        groups: list[list[DocInfo]] = [[]]
        for doc in docs:
            if groups[-1] and sum(d.chunks for d in groups[-1]) + doc.chunks > SEGMENT_CHUNKS:
                groups.append([])
            groups[-1].append(doc)
        groups = [g for g in groups if g]
        progress.on_start(len(groups), "building index")
        segments = []
        for group in groups:
            segments.append(self._segment(group, embedder.embedder_id, version))
            progress.on_advance()
        progress.on_done()
        return segments

    def _segment(self, docs: list[DocInfo], embedder_id: str, version: int) -> SegmentInfo:
        name = f"s{version + 1:06d}-{uuid.uuid4().hex[:8]}"
        return build_segment(self.paths, name, [(d.storage, d.chunks) for d in docs], embedder_id)

    def _embed(self, docs: list[DocInfo], embedder: Embedder, progress: Progress) -> None:
        """Embed, store in Chroma and save the vectors of each document that has none for ``embedder``
        (see ``_VectorFeed``)."""
        name = doc_vectors_name(embedder.embedder_id)
        todo = [d for d in docs if not (self.paths.docs / d.storage / name).exists()]
        if not todo:
            return
        progress.on_start(sum(d.chunks for d in todo), "embedding")
        feed = _VectorFeed(self.paths, embedder, VectorStore(self.settings, self.paths.chroma, embedder.embedder_id),
                           progress)
        for doc in todo:
            feed.add(doc)
        feed.flush()
        progress.on_done()

    def _sample_texts(self, docs: list[DocInfo], limit: int) -> list[str]:
        """At most ``limit`` chunk texts spread evenly over ``docs`` (the embedding's fitting sample)."""
        total = sum(d.chunks for d in docs)
        step = max(1.0, total / limit)
        texts: list[str] = []
        position = 0.0
        seen = 0
        for doc in docs:
            if int(position) >= seen + doc.chunks:
                seen += doc.chunks
                continue
            for i, chunk in enumerate(iter_doc_chunks(self.paths.docs / doc.storage)):
                if int(position) >= seen + doc.chunks or len(texts) >= limit:
                    break
                if seen + i == int(position):
                    texts.append(to_simplified(chunk.index_text()))
                    while int(position) <= seen + i:
                        position += step
            seen += doc.chunks
        return texts

    def _without(self, manifest: Manifest, gone: set[str], progress: Progress) -> list[SegmentInfo]:
        """``manifest``'s segments with the documents in ``gone`` taken out (their segments rebuilt)."""
        chunks = {d.storage: d.chunks for d in manifest.docs}
        segments = []
        for segment in manifest.segments:
            if not gone.intersection(segment.docs):
                segments.append(segment)
                continue
            left = [s for s in segment.docs if s not in gone]
            if left:
                progress.on_start(1, "building index")
                segments.append(build_segment(
                    self.paths, f"s{manifest.version + 1:06d}-{uuid.uuid4().hex[:8]}",
                    [(s, chunks[s]) for s in left], manifest.embedder,
                ))
                progress.on_advance()
                progress.on_done()
        return segments

    def _swap_added(self, current: Manifest, new_docs: list[DocInfo], segments: list[SegmentInfo],
                    progress: Progress) -> None:
        replaced = {d.doc_id for d in new_docs}
        gone = {d.storage for d in current.docs if d.doc_id in replaced}
        kept = self._without(current, gone, progress) if gone else list(current.segments)
        chunks = {d.storage: d.chunks for d in [*current.docs, *new_docs]}
        all_segments = self._compacted(kept + segments, chunks, current, progress)
        new = current.model_copy(deep=True)
        new.docs = [d for d in current.docs if d.doc_id not in replaced] + new_docs
        new.segments = all_segments
        self._swap(new, current)

    def _compacted(self, segments: list[SegmentInfo], chunks: dict[str, int], current: Manifest,
                   progress: Progress) -> list[SegmentInfo]:
        """``segments`` with the smallest merged, tier by tier, so the number a query visits stays small
        however many adds built them: once more than ``MAX_SMALL`` segments are below a tier's size
        (``SMALL_SEGMENT``, then ``SEGMENT_CHUNKS``), the smallest of them are merged (from their stored
        token streams) into one of at most ``SEGMENT_CHUNKS`` chunks. Full segments are never rewritten."""
        for limit in (SMALL_SEGMENT, SEGMENT_CHUNKS):
            tier = sorted((s for s in segments if s.chunks < limit), key=lambda s: s.chunks)
            if len(tier) <= MAX_SMALL:
                continue
            group: list[SegmentInfo] = []
            for segment in tier:
                if len(group) >= 2 and sum(s.chunks for s in group) + segment.chunks > SEGMENT_CHUNKS:
                    break
                group.append(segment)
            progress.on_start(1, "building index")
            merged = build_segment(
                self.paths, f"s{current.version + 1:06d}-{uuid.uuid4().hex[:8]}",
                [(d, chunks[d]) for seg in group for d in seg.docs], current.embedder,
            )
            progress.on_advance()
            progress.on_done()
            names = {s.name for s in group}
            segments = [s for s in segments if s.name not in names] + [merged]
        return segments

    def _swap(self, new: Manifest, previous: Manifest | None) -> None:
        """Write ``new`` as the next version, then delete what only older versions used."""
        new.format = FORMAT
        new.version = (previous.version if previous else 0) + 1
        new.writer = process_id()
        checkpoint("before swap")
        write_manifest(self.paths, new)
        checkpoint("swapped")
        with contextlib.suppress(CehuaError, OSError):
            self._cleanup(new, previous)

    def _is_live(self, info: DocInfo) -> bool:
        with contextlib.suppress(StoreError):
            manifest = read_manifest(self.paths)
            return manifest is not None and any(d.storage == info.storage for d in manifest.docs)
        return True  # unknown: keep it

    # ----- cleaning up -----------------------------------------------------------------------

    def _cleanup(self, manifest: Manifest, previous: Manifest | None) -> None:
        """Delete what neither ``manifest`` nor ``previous`` uses (readers of ``previous`` keep working)."""
        keep_docs = {d.storage for d in manifest.docs} | ({d.storage for d in previous.docs} if previous else set())
        if previous is not None:
            live = {d.storage for d in manifest.docs}
            stale = [d for d in previous.docs if d.storage not in live]
            if previous.embedder == manifest.embedder:
                self._forget_vectors(manifest, [self.paths.docs / d.storage for d in stale])
            elif previous.embedder:
                VectorStore(self.settings, self.paths.chroma, previous.embedder).drop()
        if not others_at_work(self.paths):  # otherwise what no manifest names may be their unfinished work
            self._remove_unused(manifest, keep_docs, {s.name for s in manifest.segments}
                                | ({s.name for s in previous.segments} if previous else set()),
                                {manifest.embedder, previous.embedder if previous else ""})
        checkpoint("cleaned up")

    def sweep_orphans(self, keep: set[str] | None = None) -> None:
        """Delete what crashed writers left (temporary folders, unused documents, segments, embedding
        models and Chroma collections). Call with the write lock held. Sweeps nothing while another writer
        is at work outside the lock: its unfinished files look just like a crashed writer's."""
        if others_at_work(self.paths):
            return
        try:
            manifest = read_manifest(self.paths)
        except StoreError:
            manifest = None
            if keep is None:
                return  # a damaged manifest: only a rebuild knows what is still needed
        manifest = manifest or Manifest()
        keep_docs = {d.storage for d in manifest.docs} | (keep or set())
        orphans = [
            p for p in (self.paths.docs.iterdir() if self.paths.docs.is_dir() else [])
            if p.name not in keep_docs and not p.name.startswith(TMP_PREFIX)
        ]
        if manifest.embedder and orphans:
            with contextlib.suppress(CehuaError):
                self._forget_vectors(manifest, orphans)
        self._remove_unused(manifest, keep_docs, {s.name for s in manifest.segments}, {manifest.embedder})
        if manifest.embedder or keep is None:
            with contextlib.suppress(CehuaError):
                prefix = collection_prefix(self.settings)
                wanted = VectorStore(self.settings, self.paths.chroma, manifest.embedder).name
                for name in list_collections(self.settings, self.paths.chroma):
                    if name.startswith(prefix) and name != wanted:
                        VectorStore.by_name(self.settings, self.paths.chroma, name).drop()

    def _remove_unused(self, manifest: Manifest, keep_docs: set[str], keep_segments: set[str],
                       keep_embedders: set[str]) -> None:
        for folder, keep in ((self.paths.docs, keep_docs), (self.paths.segments, keep_segments),
                             (self.paths.embedders, keep_embedders)):
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if path.name not in keep:
                    remove_tree(path)
        for leftover in self.paths.root.glob(f"{TMP_PREFIX}*") if self.paths.root.is_dir() else []:
            remove_tree(leftover)
        for folder in (self.paths.docs / d.storage for d in manifest.docs):
            for leftover in folder.glob(f"{TMP_PREFIX}*") if folder.is_dir() else []:
                remove_tree(leftover)
        for legacy in ("gen",):  # the single-generation layout of format 1
            remove_tree(self.paths.root / legacy)

    def _forget_vectors(self, manifest: Manifest, folders: list[Path]) -> None:
        """Delete from Chroma the vectors of the documents in ``folders`` that no live document shares."""
        live_prefixes = {f"{d.doc_id}:{d.sha256[:12]}:" for d in manifest.docs}
        ids: list[str] = []
        for folder in folders:
            with contextlib.suppress(OSError, ValueError, KeyError):
                ids.extend(c.chunk_id for c in iter_doc_chunks(folder)
                           if c.chunk_id.rsplit(":", 1)[0] + ":" not in live_prefixes)
        if ids:
            VectorStore(self.settings, self.paths.chroma, manifest.embedder).delete(ids)


class _VectorFeed:
    """Sends documents' vectors to Chroma ``EMBED_BATCH`` chunks at a time across documents (one
    Chroma write per batch, not per document: each write costs a commit however few vectors it holds).

    Vectors an ingest worker computed while reading a document are taken from its unsent file; the
    others are embedded here, a batch at a time, and appended to their documents' files. A document's
    file gets its final name once all its chunks are in Chroma, so a saved vectors file means
    "embedded and in Chroma"."""

    def __init__(self, paths: KbPaths, embedder: Embedder, store: VectorStore, progress: Progress):
        self.paths = paths
        self.embedder = embedder
        self.store = store
        self.progress = progress
        self.name = doc_vectors_name(embedder.embedder_id)
        self.unsent = unsent_vectors_name(embedder.embedder_id)
        # Pieces of documents with their vectors when a worker computed them; a None piece: the end of one.
        self.pending: list[tuple[DocInfo, list[Chunk] | None, np.ndarray | None]] = []
        self.size = 0
        self.writers: dict[str, VectorFileWriter] = {}
        self.started = False

    def add(self, doc: DocInfo) -> None:
        """Queue every chunk of ``doc`` (sending full batches as they fill)."""
        self.started = True
        folder = self.paths.docs / doc.storage
        ready: np.ndarray | None = None
        with contextlib.suppress(OSError, ValueError):
            if (folder / self.unsent).exists():
                ready = read_vectors(folder / self.unsent)
                if ready.ndim != 2 or ready.shape[0] != doc.chunks:
                    ready = None
        chunks = iter_doc_chunks(folder)
        offset = 0
        while piece := list(itertools.islice(chunks, EMBED_BATCH - self.size)):
            self.pending.append((doc, piece, None if ready is None else ready[offset:offset + len(piece)]))
            offset += len(piece)
            self.size += len(piece)
            if self.size >= EMBED_BATCH:
                self.flush()
        if offset != doc.chunks:
            raise StoreError(f"{folder / 'chunks.json'} does not match the manifest; run `cehua kb rebuild`")
        self.pending.append((doc, None, None))

    def flush(self) -> None:
        """One embedding call (for what no worker embedded) and one Chroma write for the pending pieces;
        the files of the documents that ended are put in place."""
        pending, self.pending, self.size = self.pending, [], 0
        missing = [c for _, piece, ready in pending if piece and ready is None for c in piece]
        embedded = self.embedder.embed([to_simplified(c.index_text()) for c in missing]) if missing else None
        parts: list[np.ndarray] = []
        used = 0
        for _, piece, ready in pending:
            if not piece:
                continue
            if ready is None:
                assert embedded is not None
                ready = embedded[used:used + len(piece)]
                used += len(piece)
            parts.append(np.asarray(ready, dtype=np.float32))
        chunks = [c for _, piece, _ in pending for c in piece or ()]
        if chunks:
            self.store.upsert([c.chunk_id for c in chunks], np.concatenate(parts),
                              [doc.doc_id for doc, piece, _ in pending for _ in piece or ()])
            checkpoint("vectors stored")
        at = 0
        for doc, piece, ready in pending:
            folder = self.paths.docs / doc.storage
            if piece is not None:
                if ready is None:  # embedded here: appended to the document's file
                    writer = self.writers.get(doc.storage)
                    if writer is None:
                        with disk_errors(folder):
                            writer = self.writers[doc.storage] = VectorFileWriter(folder / f"{TMP_PREFIX}{self.name}")
                    with disk_errors(folder):
                        writer.write(parts[at])
                at += 1
                continue
            self._finish(doc, folder)
        self.progress.on_advance(len(chunks))

    def _finish(self, doc: DocInfo, folder: Path) -> None:
        """Give ``doc``'s complete vectors file its final name."""
        writer = self.writers.pop(doc.storage, None)
        source = folder / (f"{TMP_PREFIX}{self.name}" if writer is not None else self.unsent)
        with disk_errors(folder):
            if writer is not None:
                writer.close()
            source.replace(folder / self.name)
        checkpoint("vectors saved")
