"""Knowledge: loading, cleaning, structuring, chunking, indexing and retrieving guidebooks."""

from knowledge.base import KnowledgeBase, open_knowledge_base
from knowledge.passage import Passage, Retriever, SearchResult
from knowledge.progress import Progress
from knowledge.storage import DocInfo

__all__ = ["DocInfo", "KnowledgeBase", "Passage", "Progress", "Retriever", "SearchResult", "open_knowledge_base"]
