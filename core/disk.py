"""Disk failures (full, read-only, not permitted) as one ``StoreError`` that names the path and the fix.

The state database, the knowledge index, uploads and the CLI all meet the same few ``OSError``s;
this is the one place that turns them into a sentence a person can act on.
"""

from __future__ import annotations

import errno
import os
import shutil
from pathlib import Path

from core.errors import StoreError

# errno values that mean "this disk cannot take the write", not a bug in the caller.
DISK_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


def _existing_parent(path: Path) -> Path:
    for candidate in (path, *path.parents):
        if candidate.exists():
            return candidate
    return Path("/")


def disk_problem(path: str | os.PathLike[str]) -> str | None:
    """What stops writing under ``path`` ("the disk holding X is full", "X is read-only"), or None."""
    where = _existing_parent(Path(path))
    folder = where if where.is_dir() else where.parent
    try:
        if shutil.disk_usage(folder).free < 1024 * 1024:
            return f"the disk holding {folder} is full"
    except OSError:
        pass
    if not os.access(folder, os.W_OK):
        return f"{folder} is not writable (read-only disk or missing permission)"
    return None


def disk_error(exc: OSError, path: str | os.PathLike[str] | None = None) -> StoreError | None:
    """The ``StoreError`` for a disk failure (full, quota, read-only, permission), or None for other errors."""
    if exc.errno not in DISK_ERRNOS:
        return None
    target = str(path or exc.filename or "the data directory")
    if exc.errno in (errno.ENOSPC, errno.EDQUOT):
        cause = f"no space left on the disk holding {target}"
        fix = "free some space there, or point CEHUA_HOME at a disk with room"
    elif exc.errno == errno.EROFS:
        cause = f"{target} is on a read-only disk"
        fix = "point CEHUA_HOME at a writable folder"
    else:
        cause = f"no permission to write {target}"
        fix = "make it writable for this user, or point CEHUA_HOME at a folder you own"
    return StoreError(f"{cause}: {fix}")
