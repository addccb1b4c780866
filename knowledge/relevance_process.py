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

import json
import logging
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import IO

from core.errors import StoreError
from core.settings import Settings
from knowledge import retriever
from knowledge.child_processes import die_with_parent
from knowledge.progress import Progress
from knowledge.reader import IndexReader, Loaded
from knowledge.storage import KbPaths

# From this many chunks on, the fit runs in a process of its own (below it, Chroma is not even
# searched: ``reader.EXACT_DENSE_ROWS``).
APART_CHUNKS = 4096
# What the child runs (``python -c``): tests put a child that dies in its place.
CHILD = "from knowledge.relevance_process import child_main; child_main()"
PACKAGE_ROOT = Path(__file__).resolve().parents[1]
PROGRESS_SECONDS = 0.2  # the child reports its advances this often
STDERR_TAIL = 2000  # characters of a failed child's error output kept for the log

log = logging.getLogger(__name__)


def prepare_relevance(settings: Settings, paths: KbPaths, loaded: Loaded, progress: Progress) -> None:
    """Have the relevance model of ``loaded`` (the version a writer just swapped in) stored and ready:
    loaded when stored, fitted in a child process when the index is large, else fitted here."""
    generation = loaded.generation
    if generation is None:
        return
    if len(generation.chunks) >= APART_CHUNKS and retriever.stored_relevance(loaded, paths) is None:
        failure = _fit_in_child(settings, progress)
        if failure:
            log.warning("the relevance model was not fitted (%s); the first search that needs it fits it", failure)
            return
        if retriever.stored_relevance(loaded, paths) is None:
            return  # not stored (a read-only index, or another version swapped in meanwhile): searches fit it
    retriever.prepare_relevance(loaded, paths, progress)


def _fit_in_child(settings: Settings, progress: Progress) -> str:
    """Run the fit in a child process, relaying its progress; what went wrong, or "" when it ended well."""
    # The child reads the knowledge base from the package root (so no folder named like ours in the
    # caller's working directory is imported instead): its data directory must not be relative.
    given = settings.model_copy(update={"home": settings.home.absolute()})
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(p for p in (str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")) if p)}
    with tempfile.TemporaryFile() as errors, subprocess.Popen(
            [sys.executable, "-c", CHILD, str(os.getpid())], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=errors, cwd=PACKAGE_ROOT, env=env, text=True, encoding="utf-8") as child:
        assert child.stdin is not None and child.stdout is not None
        try:
            with child.stdin:
                child.stdin.write(given.model_dump_json())
            started = False
            for line in child.stdout:
                started = _relay(line, progress, started)
            if started:
                progress.on_done()
            _, waited, usage = os.wait4(child.pid, 0)  # its own peak memory, which Popen.wait does not give
            status = child.returncode = os.waitstatus_to_exitcode(waited)
            peak_mb = usage.ru_maxrss / 1024
            log.info("relevance fit process: %.1f s CPU, peak RSS %.0f MB", usage.ru_utime + usage.ru_stime, peak_mb,
                     extra={"peak_mb": peak_mb})
        except BaseException:
            child.kill()
            raise
        if status == 0:
            return ""
        errors.seek(0)
        tail = errors.read().decode("utf-8", "replace")[-STDERR_TAIL:].strip()
    how = f"signal {-status}" if status < 0 else f"status {status}"
    return f"the fit process ended with {how}" + (f": {tail.splitlines()[-1]}" if tail else "")


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


def child_main() -> None:
    """The child: settings as JSON on stdin, the writer's pid as the argument; fits the relevance model
    of the current version and stores it."""
    die_with_parent(int(sys.argv[1]))
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C reaches the writer, which ends this process
    settings = Settings.model_validate_json(sys.stdin.read())
    paths = KbPaths(settings.home)
    loaded = IndexReader(settings, paths, _nothing_to_build).current()
    retriever.prepare_relevance(loaded, paths, _PipeProgress(sys.stdout))
