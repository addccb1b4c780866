"""Folders that hold uploaded files until the knowledge base has taken them in.

An upload is written to ``<home>/kb/uploads/cehua-upload-*/`` and added from there. While its request
runs, the folder's ``.lock`` is held with ``flock``; the kernel drops that lock when the process ends,
however it ends (``kill -9`` included). So ``sweep_staging`` — run when a process first opens the
knowledge base, i.e. on every start, and before each upload — deletes exactly the folders whose
process is gone, never one that another worker is still filling.

A folder is created under a ``.new-`` name, locked, and only then renamed to its ``cehua-upload-``
name, so the sweep never meets a live folder without its lock.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from knowledge.storage import KbPaths, checkpoint, disk_errors, remove_tree

PREFIX = "cehua-upload-"
_NEW = ".new-"
_LOCK = ".lock"
_ABANDONED_NEW = 3600.0  # a .new- folder is renamed within microseconds; one this old was abandoned


def uploads_dir(paths: KbPaths) -> Path:
    """Where uploads are staged."""
    return paths.root / "uploads"


@contextlib.contextmanager
def staging_dir(paths: KbPaths) -> Iterator[Path]:
    """A new, empty folder to write uploaded files into; deleted when the block ends (and by the next
    start's sweep if this process dies first)."""
    parent = uploads_dir(paths)
    with disk_errors(parent):
        parent.mkdir(parents=True, exist_ok=True)
        new = Path(tempfile.mkdtemp(prefix=_NEW, dir=parent))
        try:
            handle = open(new / _LOCK, "w")  # noqa: SIM115 - held until the folder is gone
        except OSError:
            remove_tree(new)
            raise
    try:
        with disk_errors(parent):
            fcntl.flock(handle, fcntl.LOCK_EX)
            folder = parent / (PREFIX + new.name[len(_NEW):])
            os.rename(new, folder)
        checkpoint("upload staging")
        yield folder
    finally:
        remove_tree(parent / (PREFIX + new.name[len(_NEW):]))
        remove_tree(new)
        handle.close()


def sweep_staging(paths: KbPaths) -> None:
    """Delete the staging folders of uploads whose process has ended."""
    parent = uploads_dir(paths)
    if not parent.is_dir():
        return
    with contextlib.suppress(OSError):
        for folder in parent.iterdir():
            if folder.name.startswith(_NEW):
                with contextlib.suppress(OSError):
                    if time.time() - folder.stat().st_mtime > _ABANDONED_NEW:
                        remove_tree(folder)
            elif folder.name.startswith(PREFIX):
                _remove_if_abandoned(folder)


def _remove_if_abandoned(folder: Path) -> None:
    try:
        handle = open(folder / _LOCK)  # noqa: SIM115
    except FileNotFoundError:
        remove_tree(folder)  # its owner is deleting it, or it lost its lock: nobody can use it
        return
    except OSError:
        return
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return  # a live upload
        remove_tree(folder)
