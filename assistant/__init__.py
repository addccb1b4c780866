"""Assistant: the domain — briefs, plans, chat, drafting, validators and the model provider."""

from core.errors import CehuaError
from core.plan import Brief, BudgetLine, Chapter, Citation, Finding, Phase, Plan
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
