"""Ingestion: files read, cleaned, chunked and tokenized into document folders, one document at a time.

A document folder holds everything later steps need, so nothing has to keep a whole corpus in memory:
``doc.json`` (its DocInfo and the checksum of its source), ``source.txt`` (what passage offsets point
into), ``chunks.json`` (see ``knowledge/chunkfile.py``) and ``tokens.txt`` (the BM25 token stream, one line per
chunk). Chunks are written and tokenized in batches as they are cut, so a big document never has all its
chunks or token lists in memory. Folders are written under a temporary name and renamed when complete.
"""

from __future__ import annotations

import hashlib
import itertools
import json
import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import nullcontext
from datetime import UTC, datetime
from pathlib import Path

from core.errors import DocumentError, StoreError
from core.text.scripts import to_simplified
from knowledge.chunk import Chunk, stream_chunks
from knowledge.chunkfile import ChunkFileWriter
from knowledge.embed import Embedder
from knowledge.load import SUPPORTED_SUFFIXES, load_document
from knowledge.storage import DocInfo, KbPaths, checkpoint, commit_dir, temp_dir
from knowledge.tokens import DEFAULT_MODE, tokenize
from knowledge.vectorfile import VectorFileWriter, unsent_vectors_name

BUNDLED_DIR = Path(__file__).parent / "guidebooks"
_DOC_ID = re.compile(r"[^\w\u3400-\u9fff.-]+")
TOKEN_BATCH = 1024  # chunks written and tokenized at a time
_STORAGE = re.compile(r"^(?P<doc>.+)-(?P<sha>[0-9a-f]{12})(?:-[0-9a-f]{6})?$")


def bundled_guidebooks() -> list[Path]:
    """The guidebook files shipped with Cehua."""
    return sorted(p for p in BUNDLED_DIR.iterdir() if p.is_file() and not p.name.startswith("."))


def doc_id_for(path: Path) -> str:
    """The document id of ``path``: its file stem, made safe for file names."""
    return _DOC_ID.sub("_", path.stem).strip("_") or "document"


def expand(paths: Iterable[Path]) -> list[Path]:
    """Files to add: each file as given, and the supported files inside each directory (sorted)."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            found = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            if not found:
                raise DocumentError(f"{path}: no {', '.join(SUPPORTED_SUFFIXES)} files in this directory")
            files.extend(found)
        else:
            files.append(path)
    return files


def store_document(
    paths: KbPaths, doc_id: str, source_name: str, sha256: str, text: str, added_at: datetime | None = None,
    on_progress: Callable[[float], None] | None = None, embedder: Embedder | None = None,
) -> DocInfo:
    """Chunk and tokenize ``text`` into a new document folder; its DocInfo. Chunks are written and
    tokenized ``TOKEN_BATCH`` at a time as they are cut; ``on_progress`` hears the share of ``text`` done.

    With an ``embedder`` (a local one: ingest workers run this), each batch is embedded too, into
    ``unsent_vectors_name``: the writer sends those vectors to Chroma and then gives the file its
    final name, so a document's vectors file still means "embedded and in Chroma"."""
    import uuid

    stream = stream_chunks(doc_id, text, sha256, fallback_title=Path(source_name).stem)
    storage = f"{doc_id}-{sha256[:12]}-{uuid.uuid4().hex[:6]}"
    with temp_dir(paths.docs, storage) as tmp:
        source = text.encode("utf-8")
        (tmp / "source.txt").write_bytes(source)
        source_sha256 = hashlib.sha256(source).hexdigest()
        del source
        header = {"title": stream.title, "sections": stream.sections, "removed": stream.removed,
                  "garbled_runs": stream.garbled_runs}
        with (open(tmp / "chunks.json", "w", encoding="utf-8") as chunk_handle,
              open(tmp / "tokens.txt", "w", encoding="utf-8") as token_handle,
              VectorFileWriter(tmp / unsent_vectors_name(embedder.embedder_id)) if embedder else nullcontext()
              as vector_file):
            chunks = ChunkFileWriter(chunk_handle, header)
            for batch in _batches(stream.chunks, TOKEN_BATCH):
                for chunk in batch:
                    chunks.write(chunk)
                token_handle.writelines(" ".join(tokenize(c.index_text(), DEFAULT_MODE)) + "\n" for c in batch)
                if vector_file is not None and embedder is not None:
                    vector_file.write(embedder.embed([to_simplified(c.index_text()) for c in batch]))
                if on_progress is not None:
                    on_progress(batch[-1].end / max(1, len(text)))
            chunks.close()
        if not chunks.count:
            raise DocumentError(_no_content(source_name, text, stream.title, stream.removed))
        info = DocInfo(
            doc_id=doc_id, title=stream.title, source_name=source_name, sha256=sha256,
            chunks=chunks.count, garbled_runs=stream.garbled_runs,
            added_at=added_at or datetime.now(UTC), storage=storage,
        )
        record = {**info.model_dump(mode="json"), "source_sha256": source_sha256}
        (tmp / "doc.json").write_text(json.dumps(record, ensure_ascii=False), encoding="utf-8")
        checkpoint("document written")
        commit_dir(tmp, paths.docs / storage)
    checkpoint("document committed")
    return info


def document_problem(path: Path) -> str | None:
    """Why the file at ``path`` cannot be added (unreadable, or no guidebook text once cleaned), or None;
    read and chunked but not tokenized or stored, to name every bad file of a folder at once."""
    try:
        doc = load_document(path)
    except DocumentError as exc:
        return exc.message
    stream = stream_chunks(doc_id_for(path), doc.text, doc.sha256, fallback_title=path.stem)
    if any(True for _ in stream.chunks):
        return None
    return _no_content(doc.source_name, doc.text, stream.title, stream.removed)


def _no_content(source_name: str, text: str, title: str, removed: dict[str, int]) -> str:
    """Why ``source_name`` gave no chunk, and what to do about it."""
    if removed:
        kinds = ", ".join(sorted(removed))
        return (f"{source_name}: no guidebook text left once its {kinds} was removed; check that the file holds "
                f"the guidebook's own text (not only a table of contents or garbled characters)")
    body = len(re.sub(r"\s", "", text)) - len(re.sub(r"\s", "", title))
    return (f"{source_name}: too little text to be a guidebook ({max(0, body)} characters under its title "
            f"「{title}」); add the guidebook's sections and text, or leave it out")


def _batches(items: Iterable[Chunk], size: int) -> Iterator[list[Chunk]]:
    iterator = iter(items)
    while batch := list(itertools.islice(iterator, size)):
        yield batch


def stored_source(paths: KbPaths, doc: DocInfo) -> str:
    """The stored source text of ``doc``, checked against its checksum; StoreError names a damaged one."""
    folder = paths.docs / doc.storage
    fix = (f"run `cehua kb remove {doc.doc_id}` and add its file ({doc.source_name}) again, "
           "then `cehua kb rebuild`")
    try:
        data = (folder / "source.txt").read_bytes()
    except OSError as exc:
        raise StoreError(f"document '{doc.doc_id}': its stored source is missing ({exc}); {fix}") from exc
    expected = None
    try:
        expected = json.loads((folder / "doc.json").read_text(encoding="utf-8")).get("source_sha256")
    except (OSError, ValueError):
        pass  # folders from older versions have no checksum
    if (expected and hashlib.sha256(data).hexdigest() != expected) or not data.strip():
        raise StoreError(f"document '{doc.doc_id}': its stored source {folder / 'source.txt'} is damaged; {fix}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise StoreError(f"document '{doc.doc_id}': its stored source is damaged ({exc}); {fix}") from exc


def recover_docs(paths: KbPaths) -> list[DocInfo]:
    """The documents found in the document folders (newest folder per id), for a lost manifest."""
    found: dict[str, tuple[float, DocInfo]] = {}
    if not paths.docs.is_dir():
        return []
    for folder in sorted(paths.docs.iterdir()):
        if folder.name.startswith(".") or not folder.is_dir():
            continue
        info = _folder_info(folder)
        if info is None:
            continue
        mtime = folder.stat().st_mtime
        if info.doc_id not in found or found[info.doc_id][0] < mtime:
            found[info.doc_id] = (mtime, info)
    return sorted((info for _, info in found.values()), key=lambda d: d.added_at)


def _folder_info(folder: Path) -> DocInfo | None:
    try:
        record = json.loads((folder / "doc.json").read_text(encoding="utf-8"))
        record["storage"] = folder.name
        return DocInfo.model_validate(record)
    except (OSError, ValueError):
        pass
    match = _STORAGE.match(folder.name)
    if match is None or not (folder / "source.txt").is_file():
        return None
    return DocInfo(
        doc_id=match["doc"], title=match["doc"], source_name=f"{match['doc']}.txt", sha256=match["sha"],
        chunks=0, added_at=datetime.fromtimestamp(folder.stat().st_mtime, UTC), storage=folder.name,
    )
