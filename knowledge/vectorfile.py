"""Per-document vector files: ``.npy`` arrays of float32 rows written a batch at a time.

A document's vectors for an embedder live in its folder as ``vectors-<embedder>.npy`` once they are
in Chroma too. An ingest worker that embeds while it chunks writes them as ``unsent_vectors_name``
first; the writer sends them to Chroma and renames the file.
"""

from __future__ import annotations

import io
from pathlib import Path
from types import TracebackType

import numpy as np

from knowledge.storage import TMP_PREFIX

_PLACEHOLDER_ROWS = 10**12  # the header is written first with this many rows, so the real count fits its room


def doc_vectors_name(embedder_id: str) -> str:
    return f"vectors-{embedder_id}.npy"


def unsent_vectors_name(embedder_id: str) -> str:
    """A document's vectors computed while it was read, not yet in Chroma (swept like other
    temporary files if the writer dies)."""
    return f"{TMP_PREFIX}unsent-{doc_vectors_name(embedder_id)}"


def _header(rows: int, dims: int) -> bytes:
    out = io.BytesIO()
    np.lib.format.write_array_header_1_0(out, {
        "descr": np.lib.format.dtype_to_descr(np.dtype(np.float32)), "fortran_order": False, "shape": (rows, dims),
    })
    return out.getvalue()


class VectorFileWriter:
    """Writes a .npy file of float32 rows a block at a time; the row count goes into its header at
    the end (the file is complete only once closed without an error)."""

    def __init__(self, path: Path, mode: str = "wb"):
        self.path = path
        self.rows = 0
        self.dims = 0
        self._handle = open(path, mode)  # noqa: SIM115 - closed in close()

    def write(self, block: np.ndarray) -> None:
        block = np.ascontiguousarray(block, dtype=np.float32)
        if not self.dims:
            self.dims = int(block.shape[1])
            self._handle.write(_header(_PLACEHOLDER_ROWS, self.dims))
        elif block.shape[1] != self.dims:
            raise ValueError(f"vectors of width {block.shape[1]} after {self.dims}")
        self._handle.write(block.tobytes())
        self.rows += len(block)

    def close(self) -> None:
        if self._handle.closed:
            return
        if self.dims:
            header = _header(self.rows, self.dims)
            if len(header) != len(_header(_PLACEHOLDER_ROWS, self.dims)):
                raise ValueError("the row count does not fit the header's room")
            self._handle.seek(0)
            self._handle.write(header)
        else:
            self._handle.write(_header(0, 1))
        self._handle.close()

    def __enter__(self) -> VectorFileWriter:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        if kind is None:
            self.close()
        else:
            self._handle.close()


def read_vectors(path: Path) -> np.ndarray:
    """The vectors stored at ``path`` (memory-mapped)."""
    return np.load(path, mmap_mode="r")
