"""The knowledge base as a LangChain retriever, for chains that expect ``BaseRetriever``."""

from __future__ import annotations

from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from pydantic import ConfigDict

from knowledge.passage import Retriever


class CehuaRetriever(BaseRetriever):
    """LangChain ``Document``s for a question: passage text plus doc, title, section, offsets, score."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    knowledge_base: Any = None  # anything with ``search(query, k) -> SearchResult``; default: the open KB
    k: int = 5

    def _retriever(self) -> Retriever:
        if self.knowledge_base is None:
            from knowledge.base import open_knowledge_base

            self.knowledge_base = open_knowledge_base()
        return self.knowledge_base  # type: ignore[no-any-return]

    def _get_relevant_documents(self, query: str, *, run_manager: CallbackManagerForRetrieverRun) -> list[Document]:
        result = self._retriever().search(query, k=self.k)
        return [
            Document(
                page_content=p.text,
                metadata={
                    "doc": p.doc, "title": p.title, "section": p.section, "start": p.start, "end": p.end,
                    "score": p.score, "chunk_id": p.chunk_id, "good_match": result.good_match,
                },
            )
            for p in result.passages
        ]
