"""Cutting a cleaned, structured guidebook into section chunks that know where they came from."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from pydantic import BaseModel, Field

from knowledge.clean import CleanedText, clean_text
from knowledge.structure import Section, find_sections

MIN_CHUNK_CHARS = 15  # a section body shorter than this (a bare heading) joins its first subsection
MIN_BODY_CHARS = 8
MIN_PREFACE_CHARS = 40
MAX_CHUNK_CHARS = 700  # longer sections are split at sentence ends
TARGET_CHUNK_CHARS = 450

_SENTENCE = re.compile(r"[^。！？；!?;\n]*[。！？；!?;\n]+|[^。！？；!?;\n]+$")
_SPACES = re.compile(r"[ \t\u3000]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")
# A heading line's Markdown marks (「## 一、活动前准备」; .md, .html and .docx guidebooks give their headings so):
# the structure step has read them, and a passage quotes the heading, not its marks.
_HEADING_MARKS = re.compile(r"^#{1,6}[ \t]+(?=\S)|(?<=\S)[ \t]+#+[ \t]*$", re.M)


class Chunk(BaseModel):
    """One indexed piece of a guidebook: Simplified text, its section path and source offsets."""

    chunk_id: str
    doc: str
    title: str
    section: str
    text: str
    start: int
    end: int
    source: str = Field(default="", description="``text`` as the guidebook writes it (same length), when "
                                                "that is not Simplified: quoted to Traditional readers.")

    def index_text(self) -> str:
        """What retrieval matches against: the section path, then the text."""
        return f"{self.section}\n{self.text}" if self.section else self.text


class ChunkedDocument(BaseModel):
    """A document's chunks plus what cleaning found."""

    title: str
    chunks: list[Chunk]
    garbled_runs: int
    removed: dict[str, int]
    sections: list[str]


@dataclass
class ChunkStream:
    """A document's chunks as they are cut (one at a time), plus what cleaning found."""

    title: str
    garbled_runs: int
    removed: dict[str, int]
    sections: list[str]
    chunks: Iterator[Chunk]


def chunk_source(doc_id: str, source: str, content_key: str, fallback_title: str = "") -> ChunkedDocument:
    """Chunks of the raw ``source`` text of document ``doc_id``, ids salted with ``content_key``."""
    stream = stream_chunks(doc_id, source, content_key, fallback_title)
    return ChunkedDocument(
        title=stream.title, chunks=list(stream.chunks), garbled_runs=stream.garbled_runs, removed=stream.removed,
        sections=stream.sections,
    )


def stream_chunks(doc_id: str, source: str, content_key: str, fallback_title: str = "") -> ChunkStream:
    """``chunk_source`` for big documents: the chunks are cut as they are iterated, so a caller that
    writes them away holds one at a time."""
    cleaned = clean_text(source, fallback_title=fallback_title)
    sections = find_sections(cleaned.simplified, cleaned.toc_titles)
    title = cleaned.title or fallback_title or doc_id
    labels = (" > ".join(section.path) for section in sections)
    return ChunkStream(
        title=title, garbled_runs=cleaned.garbled_runs, removed=cleaned.removed,
        sections=list(dict.fromkeys(label for label in labels if label)),
        chunks=_chunks(doc_id, title, cleaned, sections, content_key),
    )


def _normalize(text: str) -> str:
    text = _SPACES.sub(" ", text)
    text = _BLANK_LINES.sub("\n", text)
    text = "\n".join(line.strip() for line in text.split("\n")).strip()
    return _HEADING_MARKS.sub("", text) if "#" in text else text


def _content_len(text: str) -> int:
    return len(re.sub(r"\s", "", text))


def _chunks(
    doc_id: str, title: str, cleaned: CleanedText, sections: list[Section], content_key: str
) -> Iterator[Chunk]:
    simp = cleaned.simplified
    spans: list[tuple[int, int, str]] = []
    pending: int | None = None
    for i, section in enumerate(sections):
        body = simp[section.heading_end:section.end]
        start = pending if pending is not None else section.start
        following = sections[i + 1] if i + 1 < len(sections) else None
        if (
            _content_len(body) < MIN_CHUNK_CHARS
            and following is not None
            and following.path[: len(section.path)] == section.path
        ):
            # A bare heading (or a one-line intro) belongs with the subsection that follows it.
            if pending is None:
                pending = section.start
            continue
        pending = None
        heading_len = _content_len(simp[section.start:section.heading_end])
        if start == section.start and _content_len(body) < MIN_BODY_CHARS and heading_len < MIN_PREFACE_CHARS // 2:
            continue  # a bare heading with nothing under it: no passage to cite
        if not section.path and _content_len(body) < MIN_PREFACE_CHARS:
            continue  # a preface that is only the document title
        spans.extend(_split(simp, start, section.end, " > ".join(section.path)))
    count = 0
    # Headings glued to their text ("3.1.1价格促销策略价格促销策略是…") get a line of their own.
    breaks = sorted({s.heading_end for s in sections if s.path} | {s.start for s in sections})
    for start, end, path in spans:
        text = _normalize(_with_breaks(simp, start, end, breaks))
        if _content_len(text) < 5:
            continue
        written = _normalize(_with_breaks(cleaned.text, start, end, breaks))
        src_start, src_end = cleaned.source_span(start, end)
        yield Chunk(
            chunk_id=f"{doc_id}:{content_key[:12]}:{count}",
            doc=doc_id, title=title, section=path, text=text, start=src_start, end=src_end,
            source=written if written != text and len(written) == len(text) else "",
        )
        count += 1


def _with_breaks(text: str, start: int, end: int, breaks: list[int]) -> str:
    """``text[start:end]`` with a newline at each break position inside it."""
    inside = breaks[bisect_right(breaks, start):bisect_left(breaks, end)]
    if not inside:
        return text[start:end]
    pieces = []
    previous = start
    for b in inside:
        pieces.append(text[previous:b])
        previous = b
    pieces.append(text[previous:end])
    return "\n".join(pieces)


def _split(text: str, start: int, end: int, path: str) -> list[tuple[int, int, str]]:
    """``[start, end)`` as one span, or several at sentence ends when it is too long."""
    if _content_len(text[start:end]) <= MAX_CHUNK_CHARS:
        return [(start, end, path)]
    pieces: list[tuple[int, int, str]] = []
    piece_start = start
    for m in _SENTENCE.finditer(text, start, end):
        if m.end() - piece_start >= TARGET_CHUNK_CHARS:
            pieces.append((piece_start, m.end(), path))
            piece_start = m.end()
    if piece_start < end:
        if pieces and _content_len(text[piece_start:end]) < MIN_CHUNK_CHARS * 2:
            last = pieces.pop()
            pieces.append((last[0], end, path))
        else:
            pieces.append((piece_start, end, path))
    return pieces
