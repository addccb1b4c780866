"""What retrieval gives back: our own ``Passage`` type, whatever the backend."""

from __future__ import annotations

from typing import Protocol

from pydantic import BaseModel, Field

from core.plan import Citation
from knowledge.precedents import Precedent


class Passage(BaseModel):
    """One retrieved chunk of a guidebook, with enough to cite it exactly."""

    text: str = Field(description="Cleaned chunk text in Simplified script (what Cehua reads and matches).")
    doc: str = Field(description="Document id (file stem) in the knowledge base.")
    title: str = Field(default="", description="Document title.")
    section: str = Field(default="", description="Section path, e.g. '第三章 促销策略选择 > 3.1 促销策略类型'.")
    start: int = Field(default=0, description="Character offset of the chunk in the source text.")
    end: int = Field(default=0, description="End offset (exclusive) in the source text.")
    score: float = 0.0
    chunk_id: str = ""
    source_text: str = Field(default="", description="``text`` as the guidebook writes it (same length), "
                                                     "when the guidebook is not in Simplified script.")

    def citation(self, n: int, text: str | None = None) -> Citation:
        """This passage cited as ``n``: where it is (document, section, offsets) and ``text``, the part
        shown (the whole passage by default; a chat answer shows a window around its quote)."""
        return Citation(n=n, text=self.text if text is None else text, doc=self.doc, section=self.section,
                        title=self.title, start=self.start, end=self.end)


def quoted(passages: list[Passage]) -> list[tuple[str, str]]:
    """(Simplified, as written) pairs of ``passages``, so that text shown in Traditional quotes the
    sources' own characters (``assistant/script_boundary.py``)."""
    return [(p.text, p.source_text) for p in passages if p.source_text]


class SearchResult(BaseModel):
    """Passages for one query, best first, and whether anything matched well enough to answer from."""

    query: str
    passages: list[Passage]
    understood: str = Field(default="", description=(
        "The query as the index read it: Simplified, in the guidebooks' words (written Cantonese as Mandarin, "
        "an English question in Chinese terms), input-method slips put right (竟品 → 竞品)."))
    good_match: bool = Field(description="The passages answer the question: relevance at or above the model's threshold.")
    top_score: float = 0.0
    relevance: float = Field(default=0.0, description="Probability (calibrated) that the passages answer the question.")
    plausible: bool = Field(default=False, description="Relevance above the lenient floor: a chat model may judge.")
    warnings: list[str] = Field(
        default_factory=list, description="Why results may be worse than usual (e.g. word search only)."
    )
    precedents: list[tuple[Precedent, float]] = Field(default_factory=list, exclude=True, repr=False, description=(
        "The labelled questions put most like this one, with their similarity (``knowledge.precedents``): "
        "the offline answer quotes where they were answered. Not part of the API."))


class Retriever(Protocol):
    """Anything that finds passages for a question (the hybrid index, a test fake)."""

    def search(self, query: str, k: int = 5) -> SearchResult: ...
