"""A small in-memory ``Retriever``: passages ranked by character-bigram overlap with the query."""

from __future__ import annotations

import re

from core.text.scripts import to_simplified
from knowledge.passage import Passage, SearchResult

_NOISE = re.compile(r"[\s\W_]+")


def _grams(text: str) -> set[str]:
    chars = _NOISE.sub("", to_simplified(text))
    return {chars[i:i + 2] for i in range(len(chars) - 1)}


class FakeRetriever:
    """Ranks ``passages`` by the share of the query's bigrams they contain; text, title and section come back
    in Simplified with the text as written in ``source_text``, as the knowledge base gives them.

    ``good_match`` is True when the best share reaches ``threshold``; ``queries`` records every search.
    """

    def __init__(self, passages: list[Passage], threshold: float = 0.25) -> None:
        self.passages = passages
        self.threshold = threshold
        self.queries: list[str] = []

    def search(self, query: str, k: int = 5) -> SearchResult:
        self.queries.append(query)
        query_grams = _grams(query)
        scored = []
        for passage in self.passages:
            share = len(query_grams & _grams(passage.text + passage.section)) / max(1, len(query_grams))
            scored.append((share, passage))
        scored.sort(key=lambda pair: pair[0], reverse=True)
        hits = [_simplified(p).model_copy(update={"score": s}) for s, p in scored[:k] if s > 0]
        top = scored[0][0] if scored else 0.0
        good = top >= self.threshold
        return SearchResult(query=query, passages=hits, good_match=good, top_score=top, relevance=top, plausible=good)


def _simplified(passage: Passage) -> Passage:
    text = to_simplified(passage.text)
    written = passage.text if passage.text != text and len(text) == len(passage.text) else ""
    return passage.model_copy(update={"text": text, "source_text": written, "title": to_simplified(passage.title),
                                      "section": to_simplified(passage.section)})
