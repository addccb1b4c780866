"""Stage 3: retrieve guidance for every section and number the passages as the plan will cite them."""

from __future__ import annotations

from assistant.drafting.outline import Outline
from assistant.drafting.queries import section_queries
from assistant.drafting.result import SectionGuidance
from core.plan import Brief, Citation
from knowledge.passage import Passage, Retriever, quoted


def _passage_id(passage: Passage) -> tuple[str, int, int, str]:
    return (passage.doc, passage.start, passage.end, passage.chunk_id)


class CitationBook:
    """Gives each distinct passage one citation number, in the order sections first use it."""

    def __init__(self) -> None:
        self._numbers: dict[tuple[str, int, int, str], int] = {}
        self._passages: list[Passage] = []

    def number(self, passage: Passage) -> int:
        key = _passage_id(passage)
        if key not in self._numbers:
            self._passages.append(passage)
            self._numbers[key] = len(self._passages)
        return self._numbers[key]

    def citations(self) -> list[Citation]:
        """The numbered citations, in Simplified (``sources`` quotes them as the guidebooks write them)."""
        return [p.citation(i + 1) for i, p in enumerate(self._passages)]

    def sources(self) -> list[tuple[str, str]]:
        """(Simplified, as written) pairs of the passages cited from guidebooks not in Simplified."""
        return quoted(self._passages)


def retrieve_section(queries: list[str], retriever: Retriever, book: CitationBook, *,
                     k: int = 4) -> SectionGuidance:
    """Guidance for one section: the top ``k`` passages for the first of ``queries`` that matches
    well (none when no query does, which marks the section unsupported)."""
    for query in queries:
        result = retriever.search(query, k=k)
        if result.good_match and result.passages:
            passages = list(result.passages)
            return SectionGuidance(query=query, passages=passages, numbers=[book.number(p) for p in passages],
                                   supported=True)
    return SectionGuidance(query=queries[0] if queries else "", supported=False)


def retrieve_all(outline: Outline, brief: Brief, retriever: Retriever, book: CitationBook, *,
                 k: int = 4) -> dict[str, SectionGuidance]:
    """Guidance for every section of ``outline``, keyed by section key, numbered in outline order."""
    return {spec.key: retrieve_section(section_queries(spec, brief), retriever, book, k=k)
            for spec in outline.sections}
