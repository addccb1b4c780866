"""Processes a writer starts for its own work (ingest workers, the relevance fit): they end with it."""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal

PR_SET_PDEATHSIG = 1  # prctl(2)


def die_with_parent(parent: int) -> None:
    """Have Linux kill this process when the writer that started it dies (``kill -9`` included): a
    worker would otherwise wait on its pipe forever, a fit write into a knowledge base nobody waits for."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):
        pass  # not Linux: a worker ends when its pipe does, a fit when it is done
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)
