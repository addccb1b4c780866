"""Planning by conversation: the plan application service, conversational intents, plan edits and undo.

    plans = PlanService(settings, drafter_factory, jobs)       # create, draft, edit, undo, validate, export
    chat = PlanningChat(chat_service, plans)                     # one message → answer, question back, or plan
"""

from assistant.planning.conversation import PlanningChat, TurnEvent, TurnReply
from assistant.planning.edits import Edit, parse_edits
from assistant.planning.intents import asks_how, wants_plan
from assistant.planning.jobs import DraftEngine, JobProgress, finding_summary, run_draft_job
from assistant.planning.messages import missing_message, missing_prompt
from assistant.planning.service import Change, Export, InlineJobs, PlanService, PlanState, revalidated

__all__ = [
    "Change", "DraftEngine", "Edit", "Export", "InlineJobs", "JobProgress", "PlanService", "PlanState",
    "PlanningChat", "TurnEvent", "TurnReply", "asks_how", "finding_summary", "missing_message", "missing_prompt",
    "parse_edits", "revalidated", "run_draft_job", "wants_plan",
]
