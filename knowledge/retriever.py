"""Search over the loaded index: passages (in Simplified, with the guidebook's own characters beside them)
and whether they answer the question."""

from __future__ import annotations

from core.text.scripts import detect_script, to_simplified
from knowledge.embed import OpenAIEmbedder
from knowledge.glossary import search_query
from knowledge.index import GOOD_MATCH_COVERAGE, Generation
from knowledge.passage import Passage, SearchResult


def search(generation: Generation | None, query: str, k: int = 5) -> SearchResult:
    """Passages of ``generation`` for ``query``, best first. Passages are in Simplified
    (``Passage.in_script`` shows one to a reader of the query's script)."""
    query_simplified = to_simplified(query.strip())
    if generation is None or not query_simplified:
        return SearchResult(query=query, passages=[], good_match=False, top_score=0.0)
    if detect_script(query) == "en":  # the index knows Chinese words: search the glossary's terms
        query_simplified = search_query(query, generation.segments.contains) or query_simplified
    hits, coverage = generation.search(query_simplified, max(1, k))
    passages = []
    for hit in hits:
        chunk = generation.chunks[hit.row]
        passages.append(
            Passage(
                text=chunk.text,
                doc=chunk.doc,
                title=chunk.title,
                section=chunk.section,
                start=chunk.start,
                end=chunk.end,
                score=round(hit.score, 4),
                chunk_id=chunk.chunk_id,
                source_text=chunk.source,
            )
        )
    good = bool(passages) and coverage >= GOOD_MATCH_COVERAGE
    warnings = []
    if isinstance(generation.embedder, OpenAIEmbedder) and (failure := generation.embedder.recent_failure()):
        warnings.append(failure)
    return SearchResult(
        query=query, passages=passages, good_match=good, top_score=passages[0].score if passages else 0.0,
        warnings=warnings,
    )
