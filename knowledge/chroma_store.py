"""Chroma as the dense vector store: embedded under the home directory, or a server when configured.

Chroma never embeds anything here: every add and query passes vectors we computed, so its default
embedding function (which downloads weights) is never used.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import numpy as np

from core.errors import StoreError
from core.settings import Settings

_CLIENTS: dict[str, Any] = {}
_LOCK = threading.Lock()
_BATCH = 4000


def _client(settings: Settings, chroma_dir: Path) -> Any:
    key = settings.chroma_url or str(chroma_dir)
    with _LOCK:
        client = _CLIENTS.get(key)
        if client is not None:
            return client
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
        try:
            if settings.chroma_url:
                from urllib.parse import urlparse

                url = urlparse(settings.chroma_url)
                client = chromadb.HttpClient(
                    host=url.hostname or "localhost", port=url.port or (443 if url.scheme == "https" else 8000),
                    ssl=url.scheme == "https", settings=chroma_settings,
                )
            else:
                chroma_dir.mkdir(parents=True, exist_ok=True)
                client = chromadb.PersistentClient(path=str(chroma_dir), settings=chroma_settings)
        except Exception as exc:  # chromadb raises many types (connection, sqlite, value errors)
            where = settings.chroma_url or chroma_dir
            raise StoreError(f"cannot open Chroma at {where} ({exc}); check CEHUA_CHROMA_URL or the data dir") from exc
        _CLIENTS[key] = client
        return client


def forget_client(settings: Settings, chroma_dir: Path) -> None:
    """Drop the cached embedded client of ``chroma_dir`` so the next use loads what other processes wrote.

    An embedded Chroma keeps its vector index in memory; vectors another process added are only seen
    by a client created after they were written. Clients already handed out keep working.
    """
    if settings.chroma_url:
        return  # a server is always current
    with _LOCK:
        if _CLIENTS.pop(str(chroma_dir), None) is None:
            return
        try:
            from chromadb.api.shared_system_client import SharedSystemClient

            systems = SharedSystemClient._identifier_to_system
            for identifier in [i for i in systems if Path(i).resolve() == chroma_dir.resolve()]:
                systems.pop(identifier, None)
                SharedSystemClient._identifier_to_refcount.pop(identifier, None)
        except (ImportError, AttributeError, OSError):
            pass


def collection_name(settings: Settings, embedder_id: str) -> str:
    """The Chroma collection holding vectors made by ``embedder_id``."""
    return f"{collection_prefix(settings)}{embedder_id}"[:63]


def collection_prefix(settings: Settings) -> str:
    """What the names of this knowledge base's collections start with."""
    return f"{settings.collection}-"


def list_collections(settings: Settings, chroma_dir: Path) -> list[str]:
    """Names of the collections in the store (to find those no manifest uses)."""
    if not settings.chroma_url and not chroma_dir.exists():
        return []
    client = _client(settings, chroma_dir)
    try:
        return [c if isinstance(c, str) else c.name for c in client.list_collections()]
    except Exception as exc:  # chromadb raises many types
        raise StoreError(f"cannot list Chroma collections ({exc})") from exc


class VectorStore:
    """One Chroma collection: add vectors, query by vector, delete ids."""

    def __init__(self, settings: Settings, chroma_dir: Path, embedder_id: str):
        self.settings = settings
        self.chroma_dir = chroma_dir
        self.name = collection_name(settings, embedder_id)
        self._collection: Any = None

    @classmethod
    def by_name(cls, settings: Settings, chroma_dir: Path, name: str) -> VectorStore:
        store = cls(settings, chroma_dir, "")
        store.name = name
        return store

    def _where(self) -> str:
        return self.settings.chroma_url or str(self.chroma_dir)

    def _get(self) -> Any:
        if self._collection is None:
            client = _client(self.settings, self.chroma_dir)
            try:
                self._collection = client.get_or_create_collection(
                    self.name, embedding_function=None, metadata={"hnsw:space": "cosine"}
                )
            except Exception as exc:
                raise StoreError(f"cannot open Chroma collection {self.name} ({exc})") from exc
        return self._collection

    def upsert(self, ids: list[str], vectors: np.ndarray, docs: list[str]) -> None:
        """Store ``vectors`` under ``ids`` (metadata: the document id of each)."""
        collection = self._get()
        try:
            for i in range(0, len(ids), _BATCH):
                collection.upsert(
                    ids=ids[i:i + _BATCH],
                    embeddings=vectors[i:i + _BATCH].astype(np.float32),
                    metadatas=[{"doc": d} for d in docs[i:i + _BATCH]],
                )
        except Exception as exc:  # chromadb: sqlite (read-only, disk full), connection and value errors
            self._collection = None
            raise StoreError(
                f"cannot store vectors in Chroma at {self._where()} ({exc}); check that the disk has space "
                "and CEHUA_HOME is writable (or that CEHUA_CHROMA_URL answers)"
            ) from exc

    def query(self, vector: np.ndarray, n: int) -> list[tuple[str, float]]:
        """The ``n`` nearest ids to ``vector`` with cosine similarity, best first."""
        return self.query_many(vector[None, :], n)[0]

    def query_many(self, vectors: np.ndarray, n: int) -> list[list[tuple[str, float]]]:
        """``query`` for each row of ``vectors``, in one call (much faster than a call each)."""
        collection = self._get()
        try:
            result = collection.query(
                query_embeddings=list(vectors.astype(np.float32)), n_results=n, include=["distances"]
            )
        except Exception:
            self._collection = None  # reopen next time (the collection may have been recreated)
            raise
        found = []
        for k, ids in enumerate(result["ids"]):
            distances = result["distances"][k] if result.get("distances") else [1.0] * len(ids)
            found.append([(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=False)])
        return found

    def count(self) -> int:
        return int(self._get().count())

    def delete(self, ids: list[str]) -> None:
        """Remove ``ids`` (missing ones are ignored)."""
        collection = self._get()
        try:
            for i in range(0, len(ids), _BATCH):
                collection.delete(ids=ids[i:i + _BATCH])
        except Exception as exc:  # chromadb raises many types
            self._collection = None
            raise StoreError(f"cannot delete vectors in Chroma at {self._where()} ({exc})") from exc

    def drop(self) -> None:
        """Delete the whole collection."""
        client = _client(self.settings, self.chroma_dir)
        try:
            client.delete_collection(self.name)
        except Exception:  # already gone
            pass
        self._collection = None
