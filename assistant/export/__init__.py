"""Export: a plan as Markdown, Word (.docx) or JSON bytes.

    export_plan(plan, "docx") -> bytes
"""

from __future__ import annotations

from typing import Literal

from assistant.export.docx_export import plan_to_docx
from core.errors import InputError
from core.plan import Plan

ExportFormat = Literal["md", "docx", "json"]
FORMATS: tuple[str, ...] = ("md", "docx", "json")
MEDIA_TYPES: dict[str, str] = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "json": "application/json",
}


def export_plan(plan: Plan, format: str) -> bytes:
    """``plan`` in ``format`` ('md', 'docx' or 'json'); InputError naming the formats otherwise."""
    fmt = (format or "").strip().lower().lstrip(".")
    if fmt in ("markdown",):
        fmt = "md"
    if fmt == "md":
        return plan.to_markdown().encode("utf-8")
    if fmt == "docx":
        return plan_to_docx(plan)
    if fmt == "json":
        return plan.model_dump_json(indent=2).encode("utf-8")
    raise InputError(f"export format '{format}' is not supported: use one of {', '.join(FORMATS)}",
                     code="invalid_format")


__all__ = ["FORMATS", "MEDIA_TYPES", "ExportFormat", "export_plan", "plan_to_docx"]
