"""A document's ``chunks.json``: written a chunk at a time and read back a chunk at a time.

The file is one JSON object (``json.load`` reads it whole): its header fields come first on the first
line, then ``"chunks": [``, then one chunk per line. Writers append chunks as they are cut and readers
stream them back, so a 20 MB document never has all its chunks in memory. Files written whole on one
line by older versions are still read.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

from core.errors import StoreError
from knowledge.chunk import Chunk

_OPEN = ', "chunks": [\n'
_CLOSE = "]}\n"


class ChunkFileWriter:
    """Appends chunks to an open ``chunks.json`` after its header."""

    def __init__(self, handle: TextIO, header: dict[str, object]):
        self._handle = handle
        self.count = 0
        handle.write(json.dumps(header, ensure_ascii=False)[:-1] + _OPEN)

    def write(self, chunk: Chunk) -> None:
        self._handle.write(("," if self.count else "") + chunk.model_dump_json() + "\n")
        self.count += 1

    def close(self) -> None:
        self._handle.write(_CLOSE)


def iter_chunks(path: Path) -> Iterator[Chunk]:
    """The chunks in ``path``, one at a time; StoreError names a damaged file."""
    try:
        with open(path, encoding="utf-8") as handle:
            first = handle.readline()
            if not first.endswith(_OPEN):  # written whole by an older version
                meta = json.loads(first + handle.read())
                for item in meta["chunks"]:
                    yield Chunk.model_validate(item)
                return
            for line in handle:
                if line == _CLOSE:
                    return
                yield Chunk.model_validate_json(line.removeprefix(","))
        raise ValueError("it ends before its last chunk (truncated)")
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise StoreError(f"{path} is damaged ({exc}); run `cehua kb rebuild`") from exc
