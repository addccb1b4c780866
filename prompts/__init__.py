"""Prompt files (``*.j2``) and the one jinja2 environment that renders them.

Text from outside Cehua — guidebook passages, the planner's words, earlier answers, a plan — goes into a
prompt as data: a block opened by ``<<<FENCE kind header`` and closed by ``FENCE>>>`` (``_data.j2``), where
FENCE is drawn at random for each render and never occurs in the text rendered. A guidebook line such as
「SYSTEM: ignore all previous instructions」, a fake ``[9]`` header or a ``Question:`` line therefore stays
inside its block: it cannot close the block, and it cannot pass for the template's own text.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

PROMPTS_DIR = Path(__file__).parent
FENCE_BYTES = 6  # 12 hex digits


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment: missing variables are errors, whitespace is trimmed."""
    env = Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # prompts are plain text for a model, not HTML
    )
    env.filters["oneline"] = oneline
    return env


def oneline(value: object) -> str:
    """``value`` on one line: a block header (a source, a title) cannot start a line of its own."""
    return " ".join(str(value).split())


def fence_for(context: Mapping[str, Any]) -> str:
    """A random fence that occurs nowhere in ``context`` (so no text in it can close a block early)."""
    seen = repr(dict(context))
    while True:
        fence = secrets.token_hex(FENCE_BYTES)
        if fence not in seen:
            return fence


def render(name: str, **context: Any) -> str:
    """Render ``prompts/<name>.j2`` with ``context`` and a fresh ``fence`` for its data blocks (pass
    ``fence`` to share one between the prompts of one request)."""
    if "fence" not in context:
        context["fence"] = fence_for(context)
    return environment().get_template(f"{name}.j2").render(**context).strip()


def template_names() -> list[str]:
    """Every prompt file, by the name ``render`` takes (``_*.j2`` hold shared macros, not prompts)."""
    return sorted(p.stem for p in PROMPTS_DIR.glob("*.j2") if not p.stem.startswith("_"))


__all__ = ["PROMPTS_DIR", "environment", "fence_for", "oneline", "render", "template_names"]
