"""Assistant: the domain — briefs, plans, chat, drafting, validators and the model provider."""

from assistant.plan import Brief, BudgetLine, Chapter, Citation, Finding, Phase, Plan
from core.errors import CehuaError
from core.settings import Settings, get_settings

__all__ = [
    "Brief",
    "BudgetLine",
    "CehuaError",
    "Chapter",
    "Citation",
    "Finding",
    "Phase",
    "Plan",
    "Settings",
    "get_settings",
]
