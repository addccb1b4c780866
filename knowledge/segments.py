"""Index segments: immutable pieces of the BM25 + vector index, built from stored token streams.

A segment holds the chunks of a few documents. Adding a document writes a new small segment next to
the others (nothing else is copied); small segments are merged now and then, and a removed document's
segment is rebuilt without it. BM25 scores are computed at query time from term frequencies with the
statistics of all live segments together (documents, lengths, document frequencies), so a query scores
exactly as one index over the whole corpus would (Lucene's BM25, as bm25s computes it).

Files of ``segments/<name>/`` (arrays are .npy, memory-mapped when read)::

    meta.json        chunks, total token count, documents (storage names)
    vocab.json       the segment's terms; term i's postings are rows[indptr[i]:indptr[i + 1]]
    indptr.npy rows.npy tf.npy doc_len.npy     postings (term frequency per chunk) and chunk lengths
    chunks.jsonl chunk_offsets.npy             chunk records, one JSON line each
    text.bin text_offsets.npy                  lower-cased index text of each chunk (coverage, English)
    vectors.npy                                 dense vectors, for the exact search when Chroma fails
    ids.txt                                     chunk ids (the ids of the Chroma vectors), one a line
"""

from __future__ import annotations

import json
import math
import mmap
import re
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

import numpy as np

from core.errors import StoreError
from knowledge.chunk import Chunk
from knowledge.chunkfile import iter_chunks
from knowledge.storage import KbPaths, SegmentInfo, checkpoint, commit_dir, temp_dir
from knowledge.vectorfile import doc_vectors_name

K1 = 1.5
B = 0.75
SEGMENT_CHUNKS = 16384  # a bulk add writes segments of about this many chunks
SMALL_SEGMENT = 2048  # segments below this size are merged once there are more than MAX_SMALL of them
MAX_SMALL = 6
TERM_CACHE_POSTINGS = 4_000_000  # postings kept worked out for the terms queries asked about (~48 MB)
_HAN_ONLY = re.compile(r"[\u3400-\u9fff]+")  # the characters ``knowledge.tokens`` indexes by pairs
POSTINGS_BATCH = 1024  # chunks whose postings are counted together
VECTOR_BLOCK = 4096  # vectors copied into a segment at a time
CEILING_BLOCK = 1 << 20  # postings read at a time for the highest one-token score


def _postings(ids: list[int], lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The distinct terms of each chunk of a batch (row by row, terms ascending), how many each chunk
    has, and their term frequencies; ``ids`` are the batch's term ids in order, ``lengths`` how many
    belong to each chunk."""
    rows = np.repeat(np.arange(len(lengths), dtype=np.int64), lengths)
    keys, counts = np.unique((rows << 32) | np.asarray(ids, dtype=np.int64), return_counts=True)
    per_row = np.bincount(keys >> 32, minlength=len(lengths)) if len(keys) else np.zeros(len(lengths), np.int64)
    return (keys & 0xFFFFFFFF).astype(np.int32), per_row, np.minimum(counts, 65535).astype(np.uint16)


def _write_term_major(tmp: Path, row_terms: np.ndarray, rows: int, terms: int) -> None:
    """indptr.npy, rows.npy and tf.npy (postings by term, rows ascending) from the row-major scratch
    files ``terms.part`` and ``tf.part`` (``row_terms``: where each row's postings start)."""
    from scipy.sparse import csr_matrix

    term_ids = np.fromfile(tmp / "terms.part", dtype=np.int32)
    tf = np.fromfile(tmp / "tf.part", dtype=np.uint16)
    (tmp / "terms.part").unlink()
    (tmp / "tf.part").unlink()
    by_term = csr_matrix((tf, term_ids, row_terms), shape=(rows, terms)).tocsc()  # a counting sort, in C
    del term_ids, tf
    by_term.sort_indices()
    np.save(tmp / "indptr.npy", by_term.indptr.astype(np.int64))
    np.save(tmp / "rows.npy", by_term.indices.astype(np.int32, copy=False))
    np.save(tmp / "tf.npy", by_term.data.astype(np.uint16, copy=False))


def _npy_header(shape: tuple[int, int]) -> dict[str, object]:
    return {"descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)), "fortran_order": False, "shape": shape}


def _copy_vectors(path: Path, count: int, out: BinaryIO, total: int, dims: int) -> int:
    """Append the ``count`` vectors stored at ``path`` to the open .npy file ``out`` of ``total`` rows
    (its header is written with the first document's width), a block at a time; the vector width."""
    try:
        with open(path, "rb") as handle:
            version = np.lib.format.read_magic(handle)
            read_header = np.lib.format.read_array_header_1_0 if version == (1, 0) else np.lib.format.read_array_header_2_0
            shape, fortran, dtype = read_header(handle)
            if len(shape) != 2 or shape[0] != count or fortran or (dims and shape[1] != dims):
                raise ValueError(f"shape {shape}, expected {count} rows")
            if not dims:
                dims = int(shape[1])
                np.lib.format.write_array_header_1_0(out, _npy_header((total, dims)))
            for start in range(0, count, VECTOR_BLOCK):
                n = min(VECTOR_BLOCK, count - start)
                block = np.fromfile(handle, dtype=dtype, count=n * dims)
                if block.size != n * dims:
                    raise ValueError("truncated")
                out.write(block.astype(np.float32, copy=False).tobytes())
    except (OSError, ValueError, EOFError) as exc:
        raise StoreError(f"{path} is damaged ({exc or 'empty'}); run `cehua kb rebuild`") from exc
    return dims


def iter_doc_chunks(doc_dir: Path) -> Iterator[Chunk]:
    """The chunks stored in a document folder, one at a time."""
    return iter_chunks(doc_dir / "chunks.json")


def read_doc_tokens(doc_dir: Path) -> Iterator[list[str]]:
    """The stored token stream of a document: one list of BM25 tokens per chunk."""
    with open(doc_dir / "tokens.txt", encoding="utf-8") as handle:
        for line in handle:
            yield line.split()


def build_segment(paths: KbPaths, name: str, docs: list[tuple[str, int]], embedder_id: str) -> SegmentInfo:
    """Write segment ``name`` over ``docs`` ((storage, chunks) pairs) from their stored chunks, token
    streams and vectors, one document at a time."""
    final = paths.segments / name
    total = sum(n for _, n in docs)
    with temp_dir(paths.segments, name) as tmp:
        vocab: dict[str, int] = {}
        doc_len = np.zeros(total, dtype=np.int32)
        row_terms = np.zeros(total + 1, dtype=np.int64)  # distinct terms of each row, then their cumsum
        chunk_offsets = np.zeros(total + 1, dtype=np.int64)
        text_offsets = np.zeros(total + 1, dtype=np.int64)
        dims = 0
        row = 0
        # Row-major postings (term, tf) go to scratch files a batch of chunks at a time and are transposed
        # to term-major at the end: the whole index is in memory only once, as the arrays written.
        with (open(tmp / "chunks.jsonl", "wb") as chunk_file, open(tmp / "text.bin", "wb") as text_file,
              open(tmp / "ids.txt", "w", encoding="utf-8") as id_file, open(tmp / "vectors.npy", "wb") as vector_file,
              open(tmp / "terms.part", "wb") as terms_file, open(tmp / "tf.part", "wb") as tf_file):
            for storage, count in docs:
                doc_dir = paths.docs / storage
                dims = _copy_vectors(doc_dir / doc_vectors_name(embedder_id), count, vector_file, total, dims)
                end = row + count
                batch_ids: list[int] = []
                batch_start = row
                pairs = zip(iter_doc_chunks(doc_dir), read_doc_tokens(doc_dir), strict=False)
                for chunk, tokens in pairs:
                    if row == end:
                        raise StoreError(f"{doc_dir} does not match the manifest; run `cehua kb rebuild`")
                    id_file.write(chunk.chunk_id + "\n")
                    line = chunk.model_dump_json().encode("utf-8") + b"\n"
                    chunk_file.write(line)
                    chunk_offsets[row + 1] = chunk_offsets[row] + len(line)
                    text = chunk.index_text().lower().encode("utf-8") + b"\0"
                    text_file.write(text)
                    text_offsets[row + 1] = text_offsets[row] + len(text)
                    batch_ids.extend([vocab.setdefault(t, len(vocab)) for t in tokens])
                    doc_len[row] = len(tokens)
                    row += 1
                    if row - batch_start == POSTINGS_BATCH or row == end:
                        terms, per_row, tf = _postings(batch_ids, doc_len[batch_start:row])
                        terms_file.write(terms.tobytes())
                        tf_file.write(tf.tobytes())
                        row_terms[batch_start + 1:row + 1] = per_row
                        batch_ids = []
                        batch_start = row
                if row != end:
                    raise StoreError(f"{doc_dir} (chunks or tokens) is damaged; run `cehua kb rebuild`")
            if not dims:
                np.lib.format.write_array_header_1_0(vector_file, _npy_header((0, 1)))
        np.maximum(doc_len, 1, out=doc_len)
        np.cumsum(row_terms, out=row_terms)
        _write_term_major(tmp, row_terms, total, len(vocab))
        np.save(tmp / "doc_len.npy", doc_len)
        np.save(tmp / "chunk_offsets.npy", chunk_offsets)
        np.save(tmp / "text_offsets.npy", text_offsets)
        terms_list = [""] * len(vocab)
        for term, i in vocab.items():
            terms_list[i] = term
        (tmp / "vocab.json").write_text(json.dumps(terms_list, ensure_ascii=False), encoding="utf-8")
        meta = {"chunks": total, "tokens": int(doc_len.sum()), "docs": [s for s, _ in docs]}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        checkpoint("segment written")
        commit_dir(tmp, final)
    checkpoint("segment committed")
    return SegmentInfo(name=name, docs=[s for s, _ in docs], chunks=total)


class Segment:
    """A loaded segment (read-only; arrays are memory-mapped)."""

    def __init__(self, directory: Path):
        self.directory = directory
        current = directory / "meta.json"
        try:
            meta = json.loads(current.read_text(encoding="utf-8"))
            self.size = int(meta["chunks"])
            self.tokens = int(meta["tokens"])
            current = directory / "vocab.json"
            terms = json.loads(current.read_text(encoding="utf-8"))
            self.vocab = {t: i for i, t in enumerate(terms)}
            arrays = {}
            for name in ("indptr", "rows", "tf", "doc_len", "chunk_offsets", "text_offsets", "vectors"):
                current = directory / f"{name}.npy"
                arrays[name] = np.load(current, mmap_mode="r")
            self.indptr, self.rows, self.tf = arrays["indptr"], arrays["rows"], arrays["tf"]
            self.doc_len = np.asarray(arrays["doc_len"], dtype=np.float64)
            self.chunk_offsets, self.text_offsets = arrays["chunk_offsets"], arrays["text_offsets"]
            self.vectors = arrays["vectors"]
            current = directory / "chunks.jsonl"
            self._chunks = _map(current)
            current = directory / "text.bin"
            self._text = _map(current)
            current = directory
            consistent = (
                len(self.indptr) == len(terms) + 1 and int(self.indptr[-1]) == len(self.rows) == len(self.tf)
                and len(self.doc_len) == self.size and len(self.chunk_offsets) == self.size + 1
                and len(self.text_offsets) == self.size + 1 and int(self.chunk_offsets[-1]) == len(self._chunks)
                and int(self.text_offsets[-1]) == len(self._text)
                and (self.vectors.shape[0] == self.size or (self.size == 0 and self.vectors.shape[0] == 0))
            )
            if not consistent:
                raise ValueError("its files do not fit together (truncated?)")
        except (OSError, ValueError, EOFError, KeyError, TypeError) as exc:
            raise StoreError(
                f"index file {current} is damaged ({exc or type(exc).__name__}); run `cehua kb rebuild`"
            ) from exc
        self.df = np.diff(self.indptr)

    def chunk(self, row: int) -> Chunk:
        start, end = int(self.chunk_offsets[row]), int(self.chunk_offsets[row + 1])
        return Chunk.model_validate_json(self._chunks[start:end])

    def lower_text(self, row: int) -> str:
        start, end = int(self.text_offsets[row]), int(self.text_offsets[row + 1]) - 1
        return self._text[start:end].decode("utf-8")

    def contains(self, needle: bytes) -> bool:
        """True when some chunk's lower-cased text holds ``needle`` (a scan of the whole segment)."""
        return self._text.find(needle) >= 0

    def row_contains(self, row: int, needle: bytes) -> bool:
        """True when chunk ``row``'s lower-cased text holds ``needle``."""
        return self._text.find(needle, int(self.text_offsets[row]), int(self.text_offsets[row + 1])) >= 0

    def postings(self, term: str) -> np.ndarray | None:
        """The rows holding ``term`` (ascending), or None when the segment has no such token."""
        i = self.vocab.get(term)
        if i is None:
            return None
        return self.rows[int(self.indptr[i]):int(self.indptr[i + 1])]

    def chunk_ids(self) -> list[str]:
        """Every chunk id, in row order."""
        path = self.directory / "ids.txt"
        try:
            ids = path.read_text(encoding="utf-8").split("\n")[:-1]
        except (OSError, ValueError) as exc:
            raise StoreError(f"index file {path} is damaged ({exc}); run `cehua kb rebuild`") from exc
        if len(ids) != self.size:
            raise StoreError(f"index file {path} is damaged (truncated); run `cehua kb rebuild`")
        return ids


def _rows_with_every(segment: Segment, pairs: set[str]) -> np.ndarray:
    """The rows of ``segment`` indexed by every character-pair token of ``pairs``, ascending (none when
    one of them is not indexed there): only they can hold a string made of those pairs."""
    postings = [segment.postings(p) for p in pairs]
    if not postings or any(p is None for p in postings):
        return np.empty(0, dtype=np.int64)
    postings.sort(key=len)  # type: ignore[arg-type]
    rows = np.asarray(postings[0])
    for other in postings[1:]:
        other = np.asarray(other)
        at = np.minimum(np.searchsorted(other, rows), len(other) - 1)
        rows = rows[other[at] == rows]
        if not len(rows):
            break
    return rows


def _map(path: Path) -> bytes | mmap.mmap:
    with open(path, "rb") as handle:
        if handle.seek(0, 2) == 0:
            return b""
        return mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)


class _TermPostings:
    """One term's postings across segments: global rows and BM25 term-frequency parts (tf saturated
    and length-normalised; times the term's idf they are its score)."""

    __slots__ = ("best", "rows", "tfc")

    def __init__(self, rows: np.ndarray, tfc: np.ndarray):
        self.rows = rows
        self.tfc = tfc
        self.best = float(np.max(tfc))


class SegmentSet:
    """The live segments read as one index: rows numbered across segments, corpus-wide BM25 statistics."""

    def __init__(self, segments: list[Segment]):
        self.segments = segments
        sizes = [s.size for s in segments]
        self.starts = np.concatenate([[0], np.cumsum(sizes)]).astype(np.int64) if segments else np.zeros(1, np.int64)
        self.size = int(self.starts[-1])
        total_tokens = sum(s.tokens for s in segments)
        self.avg_len = total_tokens / self.size if self.size else 1.0
        self._terms: dict[str, _TermPostings] = {}
        self._cached_postings = 0
        self._terms_lock = threading.Lock()

    def locate(self, row: int) -> tuple[Segment, int]:
        i = int(np.searchsorted(self.starts, row, side="right")) - 1
        return self.segments[i], row - int(self.starts[i])

    def chunk(self, row: int) -> Chunk:
        segment, local = self.locate(row)
        return segment.chunk(local)

    def lower_text(self, row: int) -> str:
        segment, local = self.locate(row)
        return segment.lower_text(local)

    def has_term(self, term: str) -> bool:
        return any(term in s.vocab for s in self.segments)

    def doc_freq(self, term: str) -> int:
        total = 0
        for s in self.segments:
            i = s.vocab.get(term)
            if i is not None:
                total += int(s.df[i])
        return total

    def rows_of(self, term: str) -> frozenset[int]:
        """The rows (numbered across segments) holding the token ``term``; empty when none does."""
        found = self._term(term)
        return frozenset(found.rows.tolist()) if found is not None else frozenset()

    def contains(self, text: str) -> bool:
        """True when some chunk's text holds ``text`` (case-insensitive).

        A Han string is looked up through the character-pair tokens every chunk is indexed by: only
        rows holding all its pairs can hold it, so a string the corpus never writes is usually ruled
        out without reading any text, and otherwise only those rows are read."""
        lowered = text.lower()
        needle = lowered.encode("utf-8")
        if len(lowered) < 2 or not _HAN_ONLY.fullmatch(lowered):
            return any(s.contains(needle) for s in self.segments)
        pairs = {"#" + lowered[i:i + 2] for i in range(len(lowered) - 1)}
        if len(lowered) == 2:
            return self.has_term(pairs.pop())
        return any(segment.row_contains(int(r), needle)
                   for segment in self.segments for r in _rows_with_every(segment, pairs))

    def rows_holding(self, text: str, limit: int) -> list[int]:
        """The rows whose lower-cased text, whitespace removed, holds ``text`` (lower-cased, no whitespace),
        ascending; [] when more than ``limit`` do, or ``text`` has no Han character pair to look it up by.

        Only rows holding every character pair of its Han runs can hold it (a pair the text writes across
        a line break is not indexed, so such a row is missed), and only those rows are read."""
        pairs = {"#" + p for run in _HAN_ONLY.findall(text) for p in (run[i:i + 2] for i in range(len(run) - 1))}
        if not pairs:
            return []
        out: list[int] = []
        for start, segment in zip(self.starts, self.segments, strict=False):
            for r in _rows_with_every(segment, pairs):
                if text in "".join(segment.lower_text(int(r)).split()):
                    out.append(int(start) + int(r))
                    if len(out) > limit:
                        return []
        return out

    def _idf(self, df: int) -> float:
        return math.log(1 + (self.size - df + 0.5) / (df + 0.5))

    def _weights(self, tokens: Iterable[str], factor: float = 1.0, into: dict[str, float] | None = None) -> dict[str, float]:
        """idf of each query token present in the corpus, times how often the query repeats it."""
        weights = into if into is not None else {}
        for t in tokens:
            df = self.doc_freq(t)
            if df:
                weights[t] = weights.get(t, 0.0) + factor * self._idf(df)
        return weights

    def _term(self, term: str) -> _TermPostings | None:
        """``term``'s postings over all segments with their BM25 term-frequency parts, worked out once
        per loaded index (queries keep asking about the same words) and kept up to a bound."""
        cached = self._terms.get(term)
        if cached is not None:
            return cached
        rows, parts = [], []
        for start, segment in zip(self.starts, self.segments, strict=False):
            i = segment.vocab.get(term)
            if i is None:
                continue
            lo, hi = int(segment.indptr[i]), int(segment.indptr[i + 1])
            local = np.asarray(segment.rows[lo:hi])
            parts.append(self._tfc(segment, local, segment.tf[lo:hi]))
            rows.append(local + int(start))
        if not rows:
            return None
        found = _TermPostings(np.concatenate(rows), np.concatenate(parts))
        with self._terms_lock:
            self._cached_postings += len(found.rows)
            if self._cached_postings > TERM_CACHE_POSTINGS:
                self._terms.clear()
                self._cached_postings = len(found.rows)
            self._terms[term] = found
        return found

    def _scores(self, weights: dict[str, float]) -> np.ndarray:
        """Every row's BM25 score for terms weighted by ``weights`` (their idf times repeats)."""
        rows, parts, factors, lengths = [], [], [], []
        for term, weight in weights.items():
            found = self._term(term)
            if found is None:
                continue
            rows.append(found.rows)
            parts.append(found.tfc)
            factors.append(weight)
            lengths.append(len(found.rows))
        if not rows:
            return np.zeros(self.size)
        scores = np.repeat(factors, lengths) * np.concatenate(parts)
        return np.bincount(np.concatenate(rows), weights=scores, minlength=self.size)

    def bm25_scores(self, tokens: Iterable[str]) -> np.ndarray:
        """The BM25 score of every row for query ``tokens`` (repeats count again)."""
        return self._scores(self._weights(tokens))

    def token_ceiling(self, term: str) -> float:
        """The highest score ``term`` gives any row."""
        found = self._term(term)
        if found is None:
            return 0.0
        return self._idf(len(found.rows)) * found.best

    def max_token_score(self) -> float:
        """The highest score any one token gives any row: per term, its best term-frequency part times
        its idf, the postings read ``CEILING_BLOCK`` at a time (whole terms), so memory stays small."""
        best = 0.0
        for segment in self.segments:
            if not len(segment.rows):
                continue
            idf = np.array([self._idf(d) for d in self.global_df(segment)])
            indptr = np.asarray(segment.indptr)
            first, terms = 0, len(idf)
            while first < terms:
                end = max(first + 1, int(np.searchsorted(indptr, indptr[first] + CEILING_BLOCK, side="right")) - 1)
                lo, hi = int(indptr[first]), int(indptr[end])
                parts = self._tfc(segment, segment.rows[lo:hi], segment.tf[lo:hi])
                per_term = np.maximum.reduceat(parts, indptr[first:end] - lo)
                best = max(best, float(np.max(per_term * idf[first:end])))
                first = end
        return best

    def global_df(self, segment: Segment) -> list[int]:
        """Corpus-wide document frequency of each of ``segment``'s terms."""
        if len(self.segments) == 1:
            return [int(d) for d in segment.df]
        terms = sorted(segment.vocab, key=segment.vocab.__getitem__)
        return [self.doc_freq(t) for t in terms]

    def _tfc(self, segment: Segment, rows: np.ndarray, tf: np.ndarray) -> np.ndarray:
        tf = np.asarray(tf, dtype=np.float64)
        return tf / (tf + K1 * (1 - B + B * segment.doc_len[rows] / self.avg_len))

    def terms(self) -> set[str]:
        """Every BM25 token of the corpus."""
        out: set[str] = set()
        for segment in self.segments:
            out.update(segment.vocab)
        return out

    def vector(self, row: int) -> np.ndarray:
        segment, local = self.locate(row)
        return np.asarray(segment.vectors[local])

    def bm25_scored(self, tokens: Iterable[str], n: int, context: Iterable[str] = (),
                    context_weight: float = 0.0, weighted: Iterable[tuple[str, float]] = ()) -> list[tuple[int, float]]:
        """The ``n`` best rows for query ``tokens`` with their BM25 scores (repeats count again; ``context``
        tokens count ``context_weight`` as much, each of ``weighted`` its own weight), best first, score > 0."""
        idf = self._weights(tokens)
        for token, weight in weighted:
            self._weights((token,), weight, into=idf)
        if not idf or not self.size:
            return []
        if context_weight:
            self._weights(context, context_weight, into=idf)
        totals = self._scores(idf)
        m = min(n, self.size)
        top = np.argpartition(-totals, m - 1)[:m] if m < self.size else np.arange(self.size)
        top = top[totals[top] > 0]
        return [(r, float(totals[r])) for r in sorted((int(r) for r in top), key=lambda r: (-totals[r], r))]

    def dense_top(self, vector: np.ndarray, n: int) -> list[int]:
        """The ``n`` rows nearest ``vector`` by exact search over the stored vectors."""
        candidates: list[tuple[float, int]] = []
        for start, segment in zip(self.starts, self.segments, strict=False):
            if segment.size == 0 or segment.vectors.shape[1] != vector.shape[0]:
                continue
            scores = np.asarray(segment.vectors @ vector)
            m = min(n, segment.size)
            top = np.argpartition(-scores, m - 1)[:m] if m < segment.size else np.arange(segment.size)
            candidates.extend((float(scores[r]), int(start) + int(r)) for r in top)
        candidates.sort(key=lambda item: (-item[0], item[1]))
        return [row for _, row in candidates[:n]]
