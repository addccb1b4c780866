"""Core: the bottom layer every other package may use and that imports nothing of ours.

Errors, settings, the clock; Chinese text utilities and the plan model live here as they move down.
Layer order (enforced by the test suite): core <- knowledge <- assistant <- api.
"""

from core.clock import today
from core.errors import CehuaError
from core.settings import Settings, get_settings

__all__ = ["CehuaError", "Settings", "get_settings", "today"]
