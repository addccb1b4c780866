"""How the fakes read a prompt, as a model would: the data blocks fenced by ``prompts/_data.j2``.

A block opens with ``<<<FENCE kind [n] header`` and closes with ``FENCE>>>``; FENCE is the random code the
prompt announces first (its rule sentence quotes ``"<<<FENCE"``). Only that code opens or closes a block,
so a guidebook line that looks like a header or a closing marker stays inside its block's text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_FIRST_FENCE = re.compile(r"<<<([0-9a-f]{12})")


@dataclass(frozen=True)
class DataBlock:
    """One fenced block: its kind (passage, question, planner, …), passage number, header and text."""

    kind: str
    n: int | None
    header: str
    text: str


def fence_of(content: str) -> str | None:
    """The code the prompt fences its data with (the first one it names), or None."""
    match = _FIRST_FENCE.search(content)
    return match.group(1) if match else None


def data_blocks(content: str) -> list[DataBlock]:
    """The prompt's data blocks, in order."""
    fence = fence_of(content)
    if fence is None:
        return []
    block = re.compile(rf"^<<<{fence} (?P<kind>[a-z]+)(?: \[(?P<n>\d+)\])?(?: (?P<header>[^\n]*))?\n"
                       rf"(?P<text>.*?)\n{fence}>>>$", re.M | re.S)
    return [DataBlock(m.group("kind"), int(m.group("n")) if m.group("n") else None, m.group("header") or "",
                      m.group("text")) for m in block.finditer(content)]


def passages_of(content: str) -> dict[int, DataBlock]:
    """The numbered passage blocks of a prompt, by number."""
    return {b.n: b for b in data_blocks(content) if b.kind == "passage" and b.n is not None}


def block_text(content: str, kind: str) -> str | None:
    """The text of the first block of ``kind`` (the question, the request, the latest message), or None."""
    return next((b.text for b in data_blocks(content) if b.kind == kind), None)
