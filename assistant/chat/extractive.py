"""The offline answer: the guidebook sentences that best answer a question, quoted with citations.

Sentences of the retrieved passages are scored against the question (topic-word and character
bigram overlap in Simplified, a little prior for better-ranked passages), then picked MMR-style
so that a second sentence adds something new. A sentence that introduces a list (「以下几种:」)
or is one item of a list brings its sibling items along, kept whole, so enumerations in the source
survive intact. The result is a few sentences, or a bulleted list for 「有哪些」 questions.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from assistant.chat.question import bigrams, is_list_question, question_terms
from knowledge.passage import Passage
from knowledge.scripts import ScriptName, to_script, to_simplified

_SENTENCE_END = re.compile(r"(?<=[。！？!?；;])|\n+")
_ITEM_START = re.compile(
    r"(?=(?:[(（]\s*\d{1,2}\s*[)）]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫]|(?<![\d.])\d{1,2}[、.．](?![\d])|"
    r"(?<![一二三四五六七八九十])[一二三四五六七八九十]{1,2}、))"
)
_ITEM_MARKER = re.compile(
    r"^\s*(?:[(（]\s*\d{1,2}\s*[)）]|[①②③④⑤⑥⑦⑧⑨⑩⑪⑫]|\d{1,2}[、.．](?!\d)|[一二三四五六七八九十]{1,2}、|[-•·*])\s*"
)
_INTRODUCES_LIST = re.compile(r"[:：]\s*$|(?:如下|以下|包括|主要有|几种|几个方面|几点)[^。]{0,12}[:：]?\s*$")
_NUMBERING = re.compile(r"^\s*(?:第[一二三四五六七八九十百\d]+[章节篇部分]+|\d+(?:\.\d+){1,3})\s*")

MAX_ANSWER_CHARS = 360
MAX_ITEMS = 8
MAX_ITEM_CHARS = 110
CONTINUATION_CHARS = 150


@dataclass
class _Unit:
    """One sentence (or list item) of a passage."""

    text: str
    passage: int  # index in the passage list
    position: int  # index within its passage
    is_item: bool
    simplified: str = ""
    grams: set[str] = field(default_factory=set)
    score: float = 0.0


@dataclass
class _Block:
    """What the answer quotes from one place: a sentence run or a list, and the passage it cites."""

    passage: int
    lead: str
    items: list[str]


def split_units(text: str) -> list[str]:
    """The sentences and list items of ``text``, in order, each stripped."""
    units: list[str] = []
    for sentence in _SENTENCE_END.split(text):
        if not sentence or not sentence.strip():
            continue
        for piece in _ITEM_START.split(sentence):
            piece = piece.strip()
            if piece:
                units.append(piece)
    return units


def _headings(section: str) -> list[str]:
    """The ways a section path's headings can appear glued to the front of its text, longest first."""
    variants: set[str] = set()
    for part in section.split(">"):
        part = part.strip()
        if not part:
            continue
        variants.update({part, part.replace(" ", "")})
        bare = _NUMBERING.sub("", part).strip()
        if len(bare) >= 2:
            variants.add(bare)
    return sorted(variants, key=len, reverse=True)


def strip_headings(text: str, headings: Sequence[str]) -> str:
    """``text`` without the section numbers and titles glued to its front (「3.1.1价格促销策略价格…」)."""
    changed = True
    while changed:
        changed = False
        for heading in headings:
            if text.startswith(heading) and len(text) - len(heading) > 6:
                text, changed = text[len(heading):].lstrip(" :："), True
                break
        number = _NUMBERING.match(text)
        if number and len(text) - number.end() > 6:
            text, changed = text[number.end():], True
    return text


def _units(passages: Sequence[Passage]) -> list[list[_Unit]]:
    per_passage: list[list[_Unit]] = []
    for p_index, passage in enumerate(passages):
        headings = _headings(passage.section)
        units = []
        for position, raw in enumerate(split_units(passage.text)):
            simplified = to_simplified(raw)
            text = strip_headings(raw, headings)
            units.append(_Unit(text, p_index, position, bool(_ITEM_MARKER.match(text)), simplified,
                               bigrams(simplified)))
        per_passage.append(units)
    return per_passage


def _score(units: list[_Unit], question: str, passage_count: int, list_question: bool) -> None:
    terms = question_terms(question)
    q_grams = bigrams(to_simplified(question))
    n = max(1, len(units))
    weights = {}
    for term in terms:
        df = sum(1 for u in units if term in u.simplified)
        weights[term] = math.log(1 + n / (1 + df)) * (1.0 + 0.15 * min(len(term), 4))
    total = sum(weights.values()) or 1.0
    for unit in units:
        covered = sum(w for t, w in weights.items() if t in unit.simplified) / total
        gram_cover = len(q_grams & unit.grams) / len(q_grams) if q_grams else 0.0
        prior = 0.12 * (1 - unit.passage / max(1, passage_count))
        length = len(unit.simplified)
        shape = 1.0 if 8 <= length <= 220 else (0.5 if length < 8 else 0.8)
        listy = 0.08 if list_question and (unit.is_item or "、" in unit.simplified) else 0.0
        unit.score = (0.65 * covered + 0.35 * gram_cover) * shape + prior + listy


def _similarity(a: _Unit, b: _Unit) -> float:
    if not a.grams or not b.grams:
        return 0.0
    return len(a.grams & b.grams) / len(a.grams | b.grams)


def _item_run(units: list[_Unit], index: int) -> tuple[int, int]:
    """The first and last index of the run of list items containing ``units[index]``."""
    start = end = index
    while start > 0 and units[start - 1].is_item:
        start -= 1
    while end + 1 < len(units) and units[end + 1].is_item:
        end += 1
    return start, end


def _block_for(units: list[_Unit], anchor: _Unit, list_question: bool) -> _Block:
    """The quote around ``anchor``: its list when it heads or belongs to one, else it and what follows."""
    index = anchor.position
    if anchor.is_item:
        start, end = _item_run(units, index)
        if list_question or end > start:
            lead = units[start - 1].text if start > 0 and _INTRODUCES_LIST.search(units[start - 1].text) else ""
            first = start if list_question else index
            items = [u.text for u in units[first:end + 1]][:MAX_ITEMS]
            return _Block(anchor.passage, lead, items)
    following = units[index + 1:]
    if _INTRODUCES_LIST.search(anchor.text) and following:
        if following[0].is_item:
            _, end = _item_run(units, index + 1)
            return _Block(anchor.passage, anchor.text, [u.text for u in units[index + 1:end + 1]][:MAX_ITEMS])
        if list_question:  # a lead-in without markers: the next sentences are its items
            return _Block(anchor.passage, anchor.text, [u.text for u in following[:3]])
    # A short sentence rarely stands alone: carry on with what follows it in the guidebook.
    text = anchor.text
    for unit in following[:2]:
        if len(text) + len(unit.text) > CONTINUATION_CHARS:
            break
        text += unit.text if text.endswith(("。", "；", ";", "!", "！", "?", "？")) else " " + unit.text
    return _Block(anchor.passage, text, [])


def _clip(text: str, limit: int) -> str:
    text = text.strip()
    if len(text) <= limit:
        return text
    cut = max(text.rfind(mark, 0, limit) for mark in "。；;，,")
    return (text[: cut + 1] if cut > limit // 2 else text[:limit]) + "…"


def choose_blocks(question: str, passages: Sequence[Passage], max_blocks: int = 2) -> list[_Block]:
    """The places to quote for ``question``, best first (empty when nothing overlaps the question)."""
    if not passages:
        return []
    list_question = is_list_question(question)
    per_passage = _units(passages)
    flat = [u for units in per_passage for u in units]
    if not flat:
        return []
    _score(flat, question, len(passages), list_question)
    ranked = sorted(flat, key=lambda u: u.score, reverse=True)
    if ranked[0].score <= 0.12:
        return []
    chosen: list[_Unit] = []
    blocks: list[_Block] = []
    for candidate in ranked:
        if len(blocks) >= max_blocks:
            break
        if chosen:
            redundancy = max(_similarity(candidate, c) for c in chosen)
            in_block = any(candidate.passage == b.passage and _in_block(candidate, b) for b in blocks)
            if in_block or redundancy > 0.5 or candidate.score - 0.3 * redundancy < 0.75 * ranked[0].score:
                continue
        chosen.append(candidate)
        blocks.append(_block_for(per_passage[candidate.passage], candidate, list_question))
        if blocks[-1].items and list_question:
            break  # one list answers a list question; a second would only lengthen it
    return blocks


def _in_block(unit: _Unit, block: _Block) -> bool:
    return unit.text == block.lead or unit.text in block.items or unit.text in block.lead


def render_answer(blocks: list[_Block], script: ScriptName, lead_in: str) -> str:
    """The answer text: ``lead_in``, then each block with its citation marker, within the length budget."""
    lines = [lead_in]
    used = 0
    for block in blocks:
        marker = f"[{block.passage + 1}]"
        lead = block.lead
        if block.items:
            if lead:
                lines.append(_clip(lead, 120))
            for item in block.items:
                text = _clip(item, MAX_ITEM_CHARS)
                if used + len(text) > MAX_ANSWER_CHARS and used:
                    break
                used += len(text)
                lines.append(f"- {text}")
            lines[-1] += f" {marker}"
        else:
            text = _clip(lead, max(80, MAX_ANSWER_CHARS - used))
            if used and used + len(text) > MAX_ANSWER_CHARS:
                break
            used += len(text)
            lines.append(f"{text} {marker}")
    return to_script("\n".join(lines), script)


class ExtractiveResponder:
    """Answers from the passages alone, by quoting them; the offline counterpart of a chat model."""

    name = "extractive"

    def answer(self, question: str, passages: Sequence[Passage], script: ScriptName,
               lead_in: str) -> tuple[str, list[int]]:
        """The quoted answer and the passage indexes it cites; ('', []) when nothing in them fits."""
        blocks = choose_blocks(question, passages)
        if not blocks:
            return "", []
        cited = sorted({b.passage for b in blocks})
        return render_answer(blocks, script, lead_in), cited

    def stream(self, question: str, passages: Sequence[Passage], script: ScriptName,
               lead_in: str) -> Iterator[str]:
        """The same answer in line-sized chunks."""
        text, _ = self.answer(question, passages, script, lead_in)
        yield from text.splitlines(keepends=True)
