"""Search the guidebooks: passages with their sections and offsets, as the CLI prints them."""

from __future__ import annotations

from fastapi import APIRouter

from api.deps import KnowledgeBaseDep, ServerKeyDep, SettingsDep
from api.schemas import ERRORS, SearchHit, SearchRequest, SearchResponse
from assistant import script_boundary
from core.errors import QuestionError

router = APIRouter(prefix="/v1", tags=["search"])


@router.post("/search", response_model=SearchResponse, responses=ERRORS)
def search(_key: ServerKeyDep, body: SearchRequest, kb: KnowledgeBaseDep, settings: SettingsDep) -> SearchResponse:
    """The k best guidebook passages for the query, and whether anything matched well."""
    query = body.query.strip()
    if not query:
        raise QuestionError("query is empty: send the question or keywords to search for")
    if len(query) > settings.max_question_chars:
        raise QuestionError(f"query is {len(query)} characters: keep it under {settings.max_question_chars}")
    result = script_boundary.search_result(kb.search(query, k=body.k))  # the asker's script, the source's words
    return SearchResponse(
        query=result.query,
        results=[SearchHit(text=p.text, doc=p.doc, title=p.title, section=p.section, score=p.score,
                           start=p.start, end=p.end) for p in result.passages],
        good_match=result.good_match,
        top_score=result.top_score,
        relevance=result.relevance,
    )
