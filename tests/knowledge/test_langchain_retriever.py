"""The knowledge base through LangChain's retriever interface."""

from __future__ import annotations

from langchain_core.retrievers import BaseRetriever

from knowledge.base import KnowledgeBase
from knowledge.langchain_retriever import CehuaRetriever


def test_invoke_returns_documents_with_citation_metadata(shared_kb: KnowledgeBase) -> None:
    retriever = CehuaRetriever(knowledge_base=shared_kb, k=3)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke("满减优惠怎么设置?")
    assert len(documents) == 3
    expected = shared_kb.search("满减优惠怎么设置?", k=3).passages
    assert [d.page_content for d in documents] == [p.text for p in expected]
    assert documents[0].metadata["section"] == expected[0].section
    assert documents[0].metadata["good_match"] is True
    assert {"doc", "title", "start", "end", "score", "chunk_id"} <= set(documents[0].metadata)
