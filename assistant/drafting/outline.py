"""Stage 1: the outline — which sections a plan has, in order, from the plan template."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from assistant import script_boundary
from core.errors import NotFoundError
from core.plan import Brief, Script
from core.text.numbering import numbered


class SectionSpec(BaseModel):
    """One section to draft: what the template says it is for, and its heading in the plan's script."""

    index: int = Field(description="0-based position in the outline.")
    key: str = Field(description="Template chapter key, e.g. 'budget'.")
    kind: str = Field(description="Section kind: picks the prompt and the offline composer rule.")
    title: str = Field(description="Chapter title in the plan's script, without numbering.")
    heading: str = Field(description="Numbered heading as written in the plan, e.g. '七、费用预算'.")
    purpose: str = ""
    required: bool = True
    phases: list[str] = Field(default_factory=list, description="Timeline phase names (timeline kind).")


class Outline(BaseModel):
    """The plan's title and its sections in order."""

    template: str
    title: str
    script: Script
    sections: list[SectionSpec]

    def section(self, key: str) -> SectionSpec:
        """The section with template key ``key``; NotFoundError lists the keys there are."""
        for spec in self.sections:
            if spec.key == key:
                return spec
        keys = ", ".join(s.key for s in self.sections)
        raise NotFoundError(f"section '{key}' is not in the '{self.template}' outline; use one of: {keys}")


def numbered_heading(index: int, title: str, script: Script) -> str:
    """The heading text for section ``index``: '三、目标客群与范围' in Chinese, '3. Audience' in English."""
    return numbered(index, title, chinese=script != "en")


def _localized(value: Any, script: Script) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict):
        return str(value.get(script) or value.get("zh-Hans") or next(iter(value.values()), ""))
    return str(value)


def plan_title(brief: Brief, template_title: str, script: Script) -> str:
    """The plan's title in ``script``: the brief's title (or brand + occasion + product) followed by the
    template's kind of plan; the planner's words as written, the occasion (the festival table's name) in
    the reader's characters."""
    base = brief.title.strip()
    if not base:
        base = (" " if script == "en" else "").join(part for part in (brief.brand, brief.occasion, brief.product) if part)
        base = script_boundary.text(base, script, script_boundary.own_words(brief.brand, brief.product))
    if not base:
        return template_title
    if template_title and template_title[-2:] in base:
        return base
    if script == "en":
        return f"{base}: {template_title}"
    suffix = "方案" if not base.endswith("方案") else ""
    return f"{base}{suffix}"


def build_outline(
    brief: Brief, template: Any, *, script: Script | None = None, include_optional: bool = False
) -> Outline:
    """The outline for ``brief`` from a loaded plan template: the chapters a draft has (required ones and
    those the template marks ``drafted``; every one when ``include_optional``) in template order, titled in
    ``script`` (default: the brief's script)."""
    script = script or brief.script
    specs: list[SectionSpec] = []
    for chapter in template.chapters:
        if not (chapter.required or chapter.drafted or include_optional):
            continue
        title = _localized(chapter.title, script)
        index = len(specs)
        specs.append(
            SectionSpec(
                index=index,
                key=chapter.key,
                kind=chapter.kind or chapter.key,
                title=title,
                heading=numbered_heading(index, title, script),
                purpose=chapter.purpose or "",
                required=bool(chapter.required),
                phases=list(getattr(chapter, "phases", None) or []),
            )
        )
    template_title = _localized(getattr(template, "title", ""), script)
    return Outline(
        template=template.name,
        title=plan_title(brief, template_title, script),
        script=script,
        sections=specs,
    )
