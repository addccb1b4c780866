"""The relevance model of a new version fitted by a short-lived process of its own.

A fit asks every training question of the new index: thousands of searches, which build the typo
index, the BM25 term cache and Chroma's search graph. Inside a writer that still holds what ingestion
left (a 20 MB document: about 760 MB), that put the add's peak above 1 GB. A child process starts from
nothing, loads the version just swapped in read-only, fits, stores ``relevance.json`` atomically
(``knowledge/retriever.py``) and exits, handing its memory back; the writer's peak stays its ingestion
peak. The writer waits for it, so the first search of any process after the add finds the model stored,
and shows the child's progress as its own.

A small index is fitted inside the writer: little memory, and no second start (imports and the word
dictionaries) to pay. A child that fails or is killed changes nothing on disk but ``relevance.json``
(written whole or not at all): the knowledge base stays searchable, and the first search that needs the
model fits it (``retriever.relevance_model``).
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import IO

from core.errors import CehuaError, StoreError
from core.settings import Settings
from knowledge import retriever
from knowledge.child_processes import die_with_parent
from knowledge.ingest import expand
from knowledge.progress import Progress
from knowledge.reader import IndexReader, Loaded
from knowledge.storage import KbPaths, read_manifest

# From this many chunks on, the fit runs in a process of its own (below it, Chroma is not even
# searched: ``reader.EXACT_DENSE_ROWS``).
APART_CHUNKS = 4096
# An add of this many bytes of files starts the fit process as it begins (see ``FitProcess``): it will
# likely make a large index the stored model no longer serves.
EARLY_BYTES = 2_000_000
# What the child runs (``python -c``): tests put a child that dies in its place.
CHILD = "from knowledge.relevance_process import child_main; child_main()"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
PROGRESS_SECONDS = 0.2  # the child reports its advances this often
STDERR_TAIL = 2000  # characters of a failed child's error output kept for the log

log = logging.getLogger(__name__)


class FitProcess:
    """The child process that fits the relevance model of the version a writer swaps in.

    Started early (``start``) when the write will likely need a fit, it loads its libraries and word
    dictionaries (about 4 s of CPU) while the writer ingests, which mostly keeps one core busy; when the
    version is live, ``prepare`` tells it to fit, or ends it when no fit is needed."""

    def __init__(self, settings: Settings, early: bool = False) -> None:
        self.settings = settings
        self.early = early
        self._child: subprocess.Popen[str] | None = None
        self._errors: IO[bytes] | None = None

    def __enter__(self) -> FitProcess:
        if self.early:
            self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def start(self) -> None:
        """Start the child now; it warms up, then waits for ``prepare``."""
        if self._child is not None:
            return
        env = {**os.environ,
               "PYTHONPATH": os.pathsep.join(p for p in (str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")) if p)}
        self._errors = tempfile.TemporaryFile()
        # From the package root, so no folder named like ours in the caller's working directory is imported.
        self._child = subprocess.Popen(
            [sys.executable, "-c", CHILD, str(os.getpid())], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=self._errors, cwd=PACKAGE_ROOT, env=env, text=True, encoding="utf-8")

    def close(self) -> None:
        """End the child if it still runs (unused, or its writer failed) and free what it held."""
        child, errors, self._child, self._errors = self._child, self._errors, None, None
        if child is not None:
            if child.returncode is None:
                child.kill()  # it wrote nothing yet: it only writes after ``prepare``'s order
            with child:
                child.wait()
        if errors is not None:
            errors.close()

    def prepare(self, paths: KbPaths, loaded: Loaded, progress: Progress) -> None:
        """Have the relevance model of ``loaded`` (the version just swapped in) stored and ready: loaded
        when stored, fitted by the child when the index is large, else fitted in this process."""
        generation = loaded.generation
        if generation is not None and len(generation.chunks) >= APART_CHUNKS \
                and retriever.stored_relevance(loaded, paths) is None:
            failure = self._fit(progress)
            if failure:
                log.warning("the relevance model was not fitted (%s); the first search that needs it fits it", failure)
                return
            if retriever.stored_relevance(loaded, paths) is None:
                return  # not stored (a read-only index, or a newer version swapped in meanwhile): searches fit it
        self.close()
        if generation is not None:
            retriever.prepare_relevance(loaded, paths, progress)

    def _fit(self, progress: Progress) -> str:
        """Have the child fit and store the model, relaying its progress; what went wrong, or ""."""
        self.start()
        child, errors = self._child, self._errors
        assert child is not None and child.stdin is not None and child.stdout is not None and errors is not None
        # The child reads the knowledge base from the package root: its data directory must not be relative.
        given = self.settings.model_copy(update={"home": self.settings.home.absolute()})
        try:
            with contextlib.suppress(BrokenPipeError), child.stdin:  # a child that died says so below
                child.stdin.write(given.model_dump_json())
            started = False
            for line in child.stdout:
                started = _relay(line, progress, started)
            if started:
                progress.on_done()
            _, waited, usage = os.wait4(child.pid, 0)  # its own peak memory, which Popen.wait does not give
            status = child.returncode = os.waitstatus_to_exitcode(waited)
        finally:
            if child.returncode is None:
                self.close()
        peak_mb = usage.ru_maxrss / 1024
        log.info("relevance fit process: %.1f s CPU, peak RSS %.0f MB", usage.ru_utime + usage.ru_stime, peak_mb,
                 extra={"peak_mb": peak_mb})
        errors.seek(0)
        tail = errors.read().decode("utf-8", "replace")[-STDERR_TAIL:].strip()
        self.close()
        if status == 0:
            return ""
        how = f"signal {-status}" if status < 0 else f"status {status}"
        return f"the fit process ended with {how}" + (f": {tail.splitlines()[-1]}" if tail else "")


def large_add(files: Sequence[Path]) -> bool:
    """True when adding ``files`` (and the files in folders among them) likely ends in a fit apart."""
    total = 0
    with contextlib.suppress(CehuaError, OSError):
        for path in expand(list(files)):
            total += path.stat().st_size
    return total >= EARLY_BYTES


def large_index(paths: KbPaths) -> bool:
    """True when the current index is large enough that a fit of it runs apart."""
    with contextlib.suppress(CehuaError):
        manifest = read_manifest(paths)
        return manifest is not None and manifest.chunks >= APART_CHUNKS
    return False


def _relay(line: str, progress: Progress, started: bool) -> bool:
    """Pass one progress line of the child on to ``progress``; whether a stage is under way."""
    try:
        event = json.loads(line)
    except ValueError:
        return started  # a library printing: not ours
    if not isinstance(event, dict):
        return started
    if "start" in event:
        if started:
            progress.on_done()
        progress.on_start(int(event["start"]), str(event.get("description", "")))
        return True
    if "advance" in event:
        progress.on_advance(int(event["advance"]))
    elif "done" in event and started:
        progress.on_done()
        return False
    return started


class _PipeProgress(Progress):
    """Progress written to ``out`` as JSON lines, advances gathered for ``PROGRESS_SECONDS``."""

    def __init__(self, out: IO[str]):
        self.out = out
        self.pending = 0
        self.sent_at = 0.0

    def _send(self, event: dict[str, object]) -> None:
        self.out.write(json.dumps(event, ensure_ascii=False) + "\n")
        self.out.flush()

    def _flush(self) -> None:
        if self.pending:
            self._send({"advance": self.pending})
            self.pending = 0
        self.sent_at = time.monotonic()

    def on_start(self, total: int, description: str) -> None:
        self._flush()
        self._send({"start": total, "description": description})

    def on_advance(self, amount: int = 1) -> None:
        self.pending += amount
        if time.monotonic() - self.sent_at >= PROGRESS_SECONDS:
            self._flush()

    def on_done(self) -> None:
        self._flush()
        self._send({"done": True})


def _nothing_to_build() -> None:
    raise StoreError("the knowledge base has no index to fit the relevance model on")


def _warm_up() -> None:
    """Load what a fit needs before there is an index to fit on: libraries and word dictionaries."""
    import chromadb  # noqa: F401
    import sklearn.feature_extraction.text  # noqa: F401
    import sklearn.linear_model  # noqa: F401
    import sklearn.model_selection  # noqa: F401

    from core.text.question import analyse
    from knowledge import cedict
    from knowledge.wordweights import general_zipf

    analyse("双十一预热活动要提前多久开始?")
    general_zipf("预热活动")
    general_zipf("campaign")
    cedict.meant("campain")  # the English dictionary, for the training questions asked in English


def child_main() -> None:
    """The child: the writer's pid as the argument; warms up, then reads the settings (JSON) on stdin,
    fits the relevance model of the current version and stores it. Nothing on stdin: no fit needed."""
    die_with_parent(int(sys.argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the writer, which ends this process
    _warm_up()
    order = sys.stdin.read()
    if not order.strip():
        return
    settings = Settings.model_validate_json(order)
    paths = KbPaths(settings.home)
    loaded = IndexReader(settings, paths, _nothing_to_build).current()
    retriever.prepare_relevance(loaded, paths, _PipeProgress(sys.stdout))
