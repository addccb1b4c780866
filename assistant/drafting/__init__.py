"""Drafting: campaign plans written section by section from the guidebooks, checked and repaired.

    result = draft_plan(brief, retriever=kb, model=get_chat_model(settings))
    result.plan_markdown, result.findings, result.citations
"""

from assistant.drafting.outline import Outline, SectionSpec, build_outline
from assistant.drafting.pipeline import check_brief, draft_plan
from assistant.drafting.progress import DraftProgress, RecordingProgress
from assistant.drafting.redraft import redraft_section
from assistant.drafting.result import DraftResult, SectionDraft

__all__ = [
    "DraftProgress",
    "DraftResult",
    "Outline",
    "RecordingProgress",
    "SectionDraft",
    "SectionSpec",
    "build_outline",
    "check_brief",
    "draft_plan",
    "redraft_section",
]
