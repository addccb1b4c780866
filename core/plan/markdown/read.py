"""Plans people write, read into a ``Plan``: title, chapters with template keys and line numbers,
budget lines and total, timeline phases, citations, and the plan's script."""

from __future__ import annotations

import re

from core.clock import today
from core.errors import PlanFormatError
from core.plan.markdown.blocks import Blocks, parse_blocks
from core.plan.markdown.headings import chapter_headings, find_headings
from core.plan.markdown.render import UNSUPPORTED_MARK, UNSUPPORTED_PHRASE, WORDS
from core.plan.markdown.tables import BULLET, find_budget, find_currency, find_phases
from core.plan.model import Chapter, ChapterMatcher, Citation, Phase, PlanContent
from core.text.dates import titled_year, years_later
from core.text.numbering import strip_numbering
from core.text.scripts import Script, to_simplified, writing_script

_CITATION_MARK = re.compile(r"\[(\d{1,3})\](?!\()")
_REFERENCES = re.compile(r"^(?:参考资料|参考文献|引用资料|引用来源|资料来源|来源|出处|references|sources|citations)$",
                         re.IGNORECASE)


def _check_text(text: str) -> str:
    if not isinstance(text, str):
        raise PlanFormatError("a plan must be text (Markdown), not bytes: decode it as UTF-8 first")
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise PlanFormatError("the plan is empty: write chapters such as '## 一、活动背景与目标' with text under them")
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\n\r\t\f")
    if "\x00" in text or controls > max(3, len(text) // 200):
        raise PlanFormatError("the file looks binary, not a plan: give a Markdown or text file")
    return text



def _citations(lines: list[str], lo: int, hi: int) -> list[Citation]:
    out: list[Citation] = []
    for i in range(lo, hi):
        m = re.match(r"^\s*(?:[-*]\s*)?\[(\d{1,3})\]\s*(?P<rest>.+)$", lines[i]) or re.match(
            r"^\s*(\d{1,3})[.、]\s*(?P<rest>.+)$", lines[i])
        if not m:
            continue
        rest = m.group("rest").strip()
        title, doc, section = rest, "", ""
        parts = re.split(r"\s+[—–-]{1,2}\s+", rest, maxsplit=1)
        if len(parts) == 2:
            title, where = parts
            doc, _, section = where.partition("§")
        out.append(Citation(n=int(m.group(1)), text=rest, doc=doc.strip(), section=section.strip(),
                            title=title.strip()))
    return out



def parse_plan(text: str, template: ChapterMatcher | None = None) -> PlanContent:
    """The plan written in Markdown ``text``: title, chapters (with the keys of ``template``'s chapters
    they name), budget lines and total, timeline phases, citations and the plan's script, with 1-based
    line numbers. Without a template chapters have no keys and the budget and timeline are the first
    tables that look like them.

    Raises PlanFormatError when the text is empty, binary, or has no chapters."""
    text = _check_text(text)
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks = parse_blocks(lines)
    heads = find_headings(blocks)
    title_head, chapter_heads = chapter_headings(heads, template)
    if not chapter_heads:
        raise PlanFormatError(
            "no chapters found in the plan: start each chapter with a heading such as "
            "'## 一、活动背景与目标' or a line such as '一、活动背景'"
        )
    first_index = chapter_heads[0].index
    if title_head is not None:
        title = strip_markup(title_head.text)
    else:
        title = next((strip_markup(ln) for ln in lines[:first_index]
                      if ln.strip() and "|" not in ln and len(ln.strip()) <= 60), "")
    # The plan's language is what it writes, not what it quotes: quoted guidebook lines (> …) and the
    # reference list keep the source's language (an English plan quotes Chinese guidebooks).
    own = "\n".join(ln for ln in lines if not re.match(r"\s*(?:>|\[\d+\])", ln))
    script: Script = writing_script(own or text)
    year = titled_year(title, text)

    chapters: list[Chapter] = []
    citations: list[Citation] = []
    spans: dict[str, tuple[int, int]] = {}
    bounds = [h.index for h in chapter_heads] + [len(lines)]
    for k, head in enumerate(chapter_heads):
        lo, hi = head.end, bounds[k + 1]
        name = strip_numbering(head.text)
        if _REFERENCES.match(re.sub(r"\s+", "", to_simplified(name))):
            citations.extend(_citations(lines, lo, hi))
            continue
        body_lines = ([head.inline] if head.inline else []) + lines[lo:hi]
        supported = True
        if any(UNSUPPORTED_MARK in ln for ln in body_lines):
            supported = False
            notes = set(WORDS["unsupported"].values())
            # Blanked rather than removed, so body lines keep their line numbers.
            body_lines = ["" if UNSUPPORTED_MARK in ln or ln.strip() in notes else ln for ln in body_lines]
        first_line = head.index + 1 if head.inline else head.end + 1
        while body_lines and not body_lines[0].strip():
            body_lines.pop(0)
            first_line += 1
        body = "\n".join(body_lines).rstrip()
        if supported and UNSUPPORTED_PHRASE.search(to_simplified(body)):
            supported = False
        matched = template.match(head.text) if template is not None else None
        numbers = sorted({int(n) for n in _CITATION_MARK.findall(body)})
        chapters.append(Chapter(title=strip_markup(head.text), body=body, key=matched.key if matched else None,
                                line=head.index + 1, body_line=first_line, citations=numbers,
                                supported=supported))
        if matched and matched.key not in spans:
            spans[matched.key] = (lo, hi)

    budget_lines, budget_total = find_budget(blocks, spans, first_index)
    phases = find_phases(blocks, spans, year, first_index) if year is not None else _coming(blocks, spans, first_index)
    kpis: list[str] = []
    if "evaluation" in spans:
        lo, hi = spans["evaluation"]
        kpis = [BULLET.sub("", lines[i]).strip() for i in range(lo, hi)
                if (i in blocks.bullet_items or lines[i].lstrip().startswith("•")) and re.match(r"^\s*[-*+•]\s+\S", lines[i])]
    currency = find_currency(blocks, spans, first_index)
    return PlanContent(title=title, script=script, currency=currency, chapters=chapters, budget_lines=budget_lines,
                budget_total=budget_total, phases=phases, kpis=kpis, citations=citations)


# A plan that writes no year is about the coming months: its first phase at most this long before today.
_YEARLESS_PAST_DAYS = 90


def _coming(blocks: Blocks, spans: dict[str, tuple[int, int]], first_index: int) -> list[Phase]:
    """The phases of a plan that writes no year (「12/10–12/31 企業早鳥」「1/4–1/24 官網預購」), dated from today: this
    year's dates, all moved a year on when the first would start more than a quarter before today."""
    now = today()
    phases = find_phases(blocks, spans, now.year, first_index)
    first = next((p.start for p in phases if p.start is not None), None)
    if first is None or (now - first).days <= _YEARLESS_PAST_DAYS:
        return phases
    return [p.model_copy(update={"start": p.start and years_later(p.start, 1), "end": p.end and years_later(p.end, 1)})
            for p in phases]


def strip_markup(text: str) -> str:
    """A heading or title line without '#', emphasis marks and surrounding spaces."""
    return re.sub(r"^#+\s*", "", text.strip()).strip("*_ ").strip()


__all__ = ["parse_plan", "strip_markup"]
