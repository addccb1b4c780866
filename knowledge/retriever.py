"""Search over the loaded index: passages in the asker's script, and whether they answer the question."""

from __future__ import annotations

from core.text.scripts import detect_script, to_script, to_simplified
from knowledge.embed import OpenAIEmbedder
from knowledge.glossary import search_query
from knowledge.index import GOOD_MATCH_COVERAGE, Generation
from knowledge.passage import Passage, SearchResult


def search(generation: Generation | None, query: str, k: int = 5) -> SearchResult:
    """Passages of ``generation`` for ``query``, best first, in the query's script."""
    query_simplified = to_simplified(query.strip())
    if generation is None or not query_simplified:
        return SearchResult(query=query, passages=[], good_match=False, top_score=0.0)
    script = detect_script(query)
    if script == "en":  # the index knows Chinese words: search the glossary's terms, quote in Simplified
        query_simplified = search_query(query, generation.segments.contains) or query_simplified
        script = "zh-Hans"
    hits, coverage = generation.search(query_simplified, max(1, k))
    passages = []
    for hit in hits:
        chunk = generation.chunks[hit.row]
        passages.append(
            Passage(
                text=to_script(chunk.text, script),
                doc=chunk.doc,
                title=to_script(chunk.title, script),
                section=to_script(chunk.section, script),
                start=chunk.start,
                end=chunk.end,
                score=round(hit.score, 4),
                chunk_id=chunk.chunk_id,
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
