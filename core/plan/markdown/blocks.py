"""A plan's Markdown as blocks with line numbers, parsed by markdown-it-py (CommonMark + GFM tables):
ATX and setext headings, fenced code, pipe tables and bullet list items, each with its 0-based line index."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

from markdown_it import MarkdownIt


@dataclass
class MarkdownHeading:
    index: int  # 0-based line index of the heading text (the first line of a setext heading)
    level: int  # 1..6
    text: str
    end: int  # 0-based line index after the heading (past a setext underline)


@dataclass
class TableBlock:
    header: int  # 0-based line index of the header row
    rows: list[int] = field(default_factory=list)  # 0-based line indices of the body rows
    end: int = 0  # 0-based line index just after the table


@dataclass
class Blocks:
    lines: list[str]
    headings: list[MarkdownHeading]
    tables: list[TableBlock]
    fenced: set[int]  # lines inside fenced code, fences included
    heading_lines: set[int]  # lines taken by Markdown headings, setext underlines included
    bullet_items: set[int]  # first lines of bullet list items (- * +)
    list_items: set[int] = field(default_factory=set)  # first lines of every list item, bullet or numbered (1. 2.)

    def tables_in(self, lo: int = 0, hi: int | None = None) -> list[TableBlock]:
        """The tables whose header row lies in lines[lo:hi], rows cut off at ``hi``."""
        hi = len(self.lines) if hi is None else hi
        out = []
        for table in self.tables:
            if lo <= table.header < hi:
                rows = [r for r in table.rows if r < hi]
                out.append(TableBlock(table.header, rows, min(table.end, hi)))
        return out


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    parser = MarkdownIt("commonmark").enable("table")
    parser.core.ruler.disable(["inline", "text_join"])  # blocks and their lines are all the reader needs
    return parser


def parse_blocks(lines: list[str]) -> Blocks:
    """The headings, tables, fences and list items of ``lines`` (a plan split on newlines)."""
    blocks = Blocks(lines, [], [], set(), set(), set())
    _read(blocks, 0, len(lines))
    blocks.headings.sort(key=lambda h: h.index)
    blocks.tables.sort(key=lambda t: t.header)
    for table in blocks.tables:
        table.end = (table.rows[-1] + 1) if table.rows else table.header + 2
    return blocks


def _read(blocks: Blocks, lo: int, hi: int) -> None:
    """Add the blocks markdown-it finds in ``blocks.lines[lo:hi]``, at their line indices in the whole plan.

    A list item's paragraph runs on over the lines after it that are not indented under it (CommonMark's lazy
    continuation), tables and all: 「7. 费用预算」 directly above its budget table, as planners number their
    chapters, swallows the table. Those lines belong to no item, so they are read again as blocks of their own."""
    lines = blocks.lines
    tokens = _parser().parse("\n".join(lines[lo:hi]))
    lists: list[str] = []  # the open lists' kinds, innermost last
    items: list[int] = []  # the open list items' content columns, innermost last
    in_body = False
    for i, token in enumerate(tokens):
        if token.type == "tbody_close":
            in_body = False
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_close":
            items.pop()
        if token.map is None:
            continue
        start, end = token.map[0] + lo, token.map[1] + lo
        if token.type == "heading_open":
            blocks.heading_lines.update(range(start, end))
            if token.level == 0:
                text = tokens[i + 1].content.strip().strip("*").strip()
                blocks.headings.append(MarkdownHeading(start, int(token.tag[1]), text, end))
        elif token.type == "fence":
            blocks.fenced.update(range(start, end))
        elif token.type == "table_open":
            blocks.tables.append(TableBlock(header=start, end=end))
        elif token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open" and in_body and blocks.tables:
            # A body row ends the table at the first line without a pipe, as planners' tables do.
            table = blocks.tables[-1]
            if "|" in lines[start] and table.rows == list(range(table.header + 2, start)):
                table.rows.append(start)
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(token.type)
        elif token.type == "list_item_open":
            blocks.list_items.add(start)
            if lists[-1] == "bullet_list_open":
                blocks.bullet_items.add(start)
            items.append(_content_column(lines[start], token.info + token.markup))
        elif token.type == "paragraph_open" and items:
            lazy = next((k for k in range(start + 1, end) if _indent(lines[k]) < items[-1]), None)
            if lazy is not None:
                _read(blocks, lazy, end)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def _content_column(line: str, marker: str) -> int:
    """The column a list item's text starts at: past its marker (「7.」「-」) and the spaces after it."""
    at = _indent(line) + len(marker)
    return at + min(4, _indent(line[at:])) if line[at:].strip() else at + 1


__all__ = ["Blocks", "MarkdownHeading", "TableBlock", "parse_blocks"]
