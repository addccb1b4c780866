"""A chapter body split into the blocks a document format draws: paragraphs, bullets and tables."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Literal

_TABLE_ROW = re.compile(r"^\s*\|.*\|\s*$")
_SEPARATOR = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_BULLET = re.compile(r"^\s*(?:[-*+•]|\d+[.)、])\s+")


@dataclass
class Block:
    kind: Literal["paragraph", "bullet", "table"]
    text: str = ""
    rows: list[list[str]] = field(default_factory=list)


def split_row(line: str) -> list[str]:
    """The cells of a Markdown table row."""
    return [cell.strip() for cell in line.strip().strip("|").split("|")]


def body_blocks(body: str) -> list[Block]:
    """``body`` as paragraphs (one per line: drafts write a sentence or statement per line), bullets
    and tables (header row first, separator rows dropped)."""
    blocks: list[Block] = []
    lines = body.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if _TABLE_ROW.match(line):
            rows = []
            while i < len(lines) and _TABLE_ROW.match(lines[i]):
                if not _SEPARATOR.match(lines[i]):
                    rows.append(split_row(lines[i]))
                i += 1
            blocks.append(Block("table", rows=rows))
            continue
        if line.strip().startswith("<!--"):
            pass  # Markdown comments (e.g. Cehua's unsupported-section mark) are not content
        elif _BULLET.match(line):
            blocks.append(Block("bullet", _BULLET.sub("", line).strip()))
        elif line.strip():
            blocks.append(Block("paragraph", line.strip()))
        i += 1
    return blocks
