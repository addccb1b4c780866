"""Prompt files (``*.j2``) and the one jinja2 environment that renders them."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

PROMPTS_DIR = Path(__file__).parent


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The shared environment: missing variables are errors, whitespace is trimmed."""
    return Environment(
        loader=FileSystemLoader(PROMPTS_DIR),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=False,
        autoescape=False,  # prompts are plain text for a model, not HTML
    )


def render(name: str, **context: Any) -> str:
    """Render ``prompts/<name>.j2`` with ``context``."""
    return environment().get_template(f"{name}.j2").render(**context).strip()


def template_names() -> list[str]:
    """Every prompt file, by the name ``render`` takes."""
    return sorted(p.stem for p in PROMPTS_DIR.glob("*.j2"))


__all__ = ["PROMPTS_DIR", "environment", "render", "template_names"]
