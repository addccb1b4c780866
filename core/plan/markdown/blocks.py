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
    tokens = _parser().parse("\n".join(lines))
    headings: list[MarkdownHeading] = []
    tables: list[TableBlock] = []
    fenced: set[int] = set()
    heading_lines: set[int] = set()
    bullet_items: set[int] = set()
    lists: list[str] = []  # the open lists' kinds, innermost last
    in_body = False
    for i, token in enumerate(tokens):
        if token.type == "tbody_close":
            in_body = False
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        if token.map is None:
            continue
        start, end = token.map
        if token.type == "heading_open":
            heading_lines.update(range(start, end))
            if token.level == 0:
                text = tokens[i + 1].content.strip().strip("*").strip()
                headings.append(MarkdownHeading(start, int(token.tag[1]), text, end))
        elif token.type == "fence":
            fenced.update(range(start, end))
        elif token.type == "table_open":
            tables.append(TableBlock(header=start, end=end))
        elif token.type == "tbody_open":
            in_body = True
        elif token.type == "tr_open" and in_body and tables:
            # A body row ends the table at the first line without a pipe, as planners' tables do.
            if "|" in lines[start] and tables[-1].rows == list(range(tables[-1].header + 2, start)):
                tables[-1].rows.append(start)
        elif token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(token.type)
        elif token.type == "list_item_open" and lists[-1] == "bullet_list_open":
            bullet_items.add(start)
    for table in tables:
        table.end = (table.rows[-1] + 1) if table.rows else table.header + 2
    return Blocks(lines, headings, tables, fenced, heading_lines, bullet_items)


__all__ = ["Blocks", "MarkdownHeading", "TableBlock", "parse_blocks"]
