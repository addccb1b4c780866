"""Knowledge: loading, cleaning, structuring, chunking, indexing and retrieving guidebooks.

The names below are imported when first used (PEP 562), so a module that needs one part of the package
(``knowledge.templates`` for ``cehua validate``, ``knowledge.progress`` for the CLI's progress bar) does not
load the index, its scientific libraries and its word tables with it.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from knowledge.base import KnowledgeBase, open_knowledge_base
    from knowledge.passage import Passage, Retriever, SearchResult
    from knowledge.progress import Progress
    from knowledge.storage import DocInfo

_HOME = {
    "DocInfo": "knowledge.storage",
    "KnowledgeBase": "knowledge.base",
    "Passage": "knowledge.passage",
    "Progress": "knowledge.progress",
    "Retriever": "knowledge.passage",
    "SearchResult": "knowledge.passage",
    "open_knowledge_base": "knowledge.base",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module 'knowledge' has no attribute {name!r}")
    return getattr(importlib.import_module(_HOME[name]), name)


__all__ = ["DocInfo", "KnowledgeBase", "Passage", "Progress", "Retriever", "SearchResult", "open_knowledge_base"]
