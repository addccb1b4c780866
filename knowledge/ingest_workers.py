"""Files read, cleaned, chunked and tokenized into document folders, in worker processes for a bulk add
(or a rebuild, which chunks the stored sources again).

Tokenizing is most of the time an add takes, and jieba is pure Python, so one process does it on one
core however many there are. An add of ``PARALLEL_FILES`` or more files hands them to ``WORKERS``
forked processes (forked, not spawned: a spawned worker imports the caller's main module, which breaks
scripts without a ``__main__`` guard; the workers only read files and run jieba, never Chroma, whose
threads the fork leaves behind); fewer files are read in this process. Each worker writes whole document folders (``knowledge/ingest.py``), so what a
killed add leaves is what a killed single reader would: folders no manifest names, swept later.
"""

from __future__ import annotations

import itertools
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Generator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from pathlib import Path

from knowledge.child_processes import die_with_parent
from knowledge.embed import Embedder
from knowledge.ingest import doc_id_for, store_document, stored_source
from knowledge.load import load_document
from knowledge.storage import DocInfo, KbPaths, remove_tree

PARALLEL_FILES = 64  # an add of at least this many files reads them in worker processes
WORKERS = max(1, min(2, os.cpu_count() or 1))
AHEAD = 128  # files handed to each worker ahead of the one being collected (the writer sends vectors
# to Chroma between collecting them: the workers keep reading meanwhile)

Read = tuple[str, DocInfo | None]  # (the file's sha256, its new document; None when already known)

_STATE: tuple[KbPaths, frozenset[str], Embedder | None] | None = None


def read_file(paths: KbPaths, known: frozenset[str], path: Path | DocInfo,
              on_progress: Callable[[float], None] | None = None, embedder: Embedder | None = None) -> Read:
    """Read ``path`` and, unless its content is ``known``, store it as a new document folder
    (``on_progress`` hears the share of it done; with an ``embedder``, its vectors are computed too).
    A stored document (``DocInfo``, for a rebuild) is chunked again from its stored source, keeping
    its id and the date it was added."""
    if isinstance(path, DocInfo):
        return path.sha256, store_document(paths, path.doc_id, path.source_name, path.sha256,
                                           stored_source(paths, path), path.added_at, on_progress, embedder)
    doc = load_document(path)
    if doc.sha256 in known:
        return doc.sha256, None
    return doc.sha256, store_document(paths, doc_id_for(path), doc.source_name, doc.sha256, doc.text,
                                      on_progress=on_progress, embedder=embedder)


def read_files(paths: KbPaths, files: Sequence[Path | DocInfo], known: frozenset[str],
               on_progress: Sequence[Callable[[float], None]] = (),
               embedder: Embedder | None = None) -> Generator[Read, None, None]:
    """``read_file`` for each of ``files``, in order (in worker processes when there are many;
    ``on_progress[i]`` hears how far file i is when it is read here). A local ``embedder`` embeds
    each document's chunks as they are cut (the workers inherit it when they are forked).

    When reading stops early (a bad file, or the caller closes the iterator), files not handed out are
    not read, and the folders the workers wrote for files the caller never received are deleted."""
    if len(files) < PARALLEL_FILES or WORKERS < 2:
        for i, path in enumerate(files):
            yield read_file(paths, known, path, on_progress[i] if i < len(on_progress) else None, embedder)
        return
    pool = ProcessPoolExecutor(WORKERS, mp_context=multiprocessing.get_context("fork"),
                               initializer=_start_worker, initargs=(str(paths.root.parent), known, os.getpid(), embedder))
    waiting = iter(files)
    pending: deque[Future[Read]] = deque(pool.submit(_read_in_worker, p)
                                         for p in itertools.islice(waiting, WORKERS * AHEAD))
    finished = False
    try:
        while pending:
            result = pending.popleft().result()
            following = next(waiting, None)
            if following is not None:
                pending.append(pool.submit(_read_in_worker, following))
            yield result
        finished = True
    finally:
        for future in pending:
            future.cancel()
        pool.shutdown(wait=True)
        if not finished:
            for future in pending:
                if future.done() and not future.cancelled() and future.exception() is None:
                    info = future.result()[1]
                    if info is not None:
                        remove_tree(paths.docs / info.storage)


def _start_worker(home: str, known: frozenset[str], parent: int, embedder: Embedder | None) -> None:
    global _STATE
    _STATE = (KbPaths(Path(home)), known, embedder)
    die_with_parent(parent)


def _read_in_worker(path: Path | DocInfo) -> Read:
    if _STATE is None:
        raise RuntimeError("worker started without its knowledge base")
    paths, known, embedder = _STATE
    return read_file(paths, known, path, None, embedder)
