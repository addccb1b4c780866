"""Plan templates as data: which chapters a plan of a given kind has, and how to recognise them.

Templates live in ``knowledge/templates/<name>.yaml``. Aliases there are written in Simplified script
and English; the Traditional forms are added on load, so a heading written in either script matches.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field

from core.errors import NotFoundError
from core.text.numbering import strip_numbering
from core.text.scripts import to_simplified, to_traditional

_TEMPLATE_DIR = Path(__file__).with_name("templates")

_PUNCT = re.compile(r"[\s#*_`「」『』“”\"'《》〈〉【】\[\]()（）:：、,，.。;；!！?？/\\|&＆+＋\-—–~～]+")


@lru_cache(maxsize=8192)
def normalize_heading(heading: str) -> str:
    """A heading reduced for matching: numbering, punctuation and spaces removed, Simplified, lower case."""
    return _PUNCT.sub("", to_simplified(strip_numbering(heading))).lower()


class TemplateChapter(BaseModel):
    """One chapter a plan of this kind has: titles per script, aliases people use, what it is about."""

    model_config = ConfigDict(extra="forbid")

    key: str
    title: dict[str, str]
    aliases: list[str] = Field(default_factory=list)
    required: bool = True
    kind: str
    purpose: str
    phases: list[str] | None = None

    def title_in(self, script: str) -> str:
        """The chapter title in ``script`` ('zh-Hans', 'zh-Hant' or 'en')."""
        return self.title.get(script) or self.title["zh-Hans"]


class Template(BaseModel):
    """A kind of plan: its title per script and its chapters in order."""

    model_config = ConfigDict(extra="forbid")

    name: str
    title: dict[str, str]
    chapters: list[TemplateChapter]

    def chapter(self, key: str) -> TemplateChapter:
        """The chapter with ``key``; NotFoundError naming the keys when there is none."""
        for chapter in self.chapters:
            if chapter.key == key:
                return chapter
        keys = ", ".join(c.key for c in self.chapters)
        raise NotFoundError(f"template '{self.name}' has no chapter '{key}': use one of {keys}")

    @property
    def required(self) -> list[TemplateChapter]:
        """The chapters every plan of this kind must have."""
        return [c for c in self.chapters if c.required]

    def names(self, chapter: TemplateChapter) -> tuple[str, ...]:
        """The chapter's titles and aliases as ``normalize_heading`` reduces them (for containment checks)."""
        return _normalized_aliases(self.name, chapter.key, tuple(chapter.aliases))

    def match(self, heading: str) -> TemplateChapter | None:
        """The chapter a heading names, by its aliases in either script, ignoring numbering; or None.

        An exact alias wins; otherwise the chapter with the longest alias contained in the heading
        (so 「活动背景与目标」 is background, 「目标客群」 audience); ties go to the earlier chapter."""
        text = normalize_heading(heading)
        if not text:
            return None
        best: tuple[float, int, TemplateChapter] | None = None
        for order, chapter in enumerate(self.chapters):
            for alias in _normalized_aliases(self.name, chapter.key, tuple(chapter.aliases)):
                if not alias:
                    continue
                # Chinese puts the head noun last: 「推广预算」 is a budget, 「预算执行进度」 a timeline.
                if alias == text:
                    score = 1000.0 + len(alias)
                elif text.endswith(alias):
                    score = len(alias) + 0.5
                elif alias in text:
                    score = float(len(alias))
                else:
                    continue
                if best is None or score > best[0] or (score == best[0] and order < best[1]):
                    best = (score, order, chapter)
        return best[2] if best else None


@lru_cache(maxsize=64)
def _normalized_aliases(template: str, key: str, aliases: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(normalize_heading(a) for a in aliases))


def _with_traditional(aliases: list[str]) -> list[str]:
    out: list[str] = []
    for alias in aliases:
        for form in (alias, to_traditional(alias)):
            if form not in out:
                out.append(form)
    return out


def list_templates() -> list[str]:
    """The names of the bundled templates, sorted (e.g. ['annual', 'promotion'])."""
    return sorted(p.stem for p in _TEMPLATE_DIR.glob("*.yaml"))


@lru_cache(maxsize=16)
def _load(name: str) -> Template:
    path = _TEMPLATE_DIR / f"{name}.yaml"
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    for chapter in data["chapters"]:
        titles = [str(t) for t in chapter["title"].values()]
        chapter["aliases"] = _with_traditional(titles + [str(a) for a in chapter.get("aliases", [])])
    return Template.model_validate(data)


def load_template(name: str = "promotion", *, copy: bool = True) -> Template:
    """The template called ``name``; NotFoundError naming the available ones when there is none.

    ``copy=False`` returns the shared cached instance, for callers that only read it."""
    key = (name or "").strip().lower()
    available = list_templates()
    if key not in available:
        raise NotFoundError(
            f"unknown plan template '{name}': use one of {', '.join(available)}", code="template_not_found"
        )
    return _load(key).model_copy(deep=True) if copy else _load(key)


__all__ = ["Template", "TemplateChapter", "list_templates", "load_template", "normalize_heading"]
