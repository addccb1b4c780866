"""Knowledge: loading, cleaning, structuring, chunking, indexing and retrieving guidebooks."""

from knowledge.passage import Passage, Retriever, SearchResult

__all__ = ["Passage", "Retriever", "SearchResult"]
